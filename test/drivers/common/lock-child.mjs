// Run as its own Node process by process-lock.test.ts. `count FILE N`: N times, under the lock, read the number
// in FILE, yield to the event loop, write it back plus one. `hold`: take the lock, print "held", wait forever
// (the test kills it).
import { readFileSync, writeFileSync } from 'node:fs';
import { acquireProcessLock } from '../../../dist/drivers/common/process-lock.js';

const [mode, namespace, file, n] = process.argv.slice(2);
if (mode === 'hold') {
  await acquireProcessLock(namespace, 'k', 0);
  process.stdout.write('held\n');
  setInterval(() => undefined, 1 << 30);
} else {
  for (let i = 0; i < Number(n); i++) {
    const lock = await acquireProcessLock(namespace, 'k', 0);
    const seen = Number(readFileSync(file, 'utf8'));
    await new Promise((r) => setImmediate(r));
    writeFileSync(file, String(seen + 1));
    lock.release();
  }
}
