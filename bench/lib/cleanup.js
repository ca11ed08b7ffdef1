// What the bench must undo if it is interrupted: the `finally` blocks do it on the normal path, but a ^C or a
// SIGTERM ends the process without running them, and a started container or QEMU outlives its starter by design.

const pending = new Set();

/** Registers `undo` (sync or async) to run if the bench is interrupted; the returned function unregisters it. */
export function onInterrupt(undo) {
  pending.add(undo);
  return () => pending.delete(undo);
}

let stopping = false;
async function interrupted(signal) {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`\n${signal}: cleaning up ${pending.size} thing(s) the bench started\n`);
  // Newest first: a domain is destroyed before the temp dir holding its files is removed.
  for (const undo of [...pending].reverse()) {
    try {
      await undo();
    } catch (err) {
      process.stderr.write(`cleanup failed: ${err.message}\n`);
    }
  }
  process.exit(130);
}

for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void interrupted(signal));
