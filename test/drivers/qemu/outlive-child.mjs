// Run as its own Node process by outlive.test.ts: starts a QEMU guest through the built package, prints the pid
// from its status file and exits at once (monitor still open), so the test can check QEMU outlived its starter.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openConnection } from '../../../dist/index.js';

const [uri, root, xml] = process.argv.slice(2);
const conn = await openConnection(uri);
const dom = await conn.defineDomainXML(xml);
await dom.create();
const { pid } = JSON.parse(readFileSync(join(root, 'run', 'qemu', `${dom.name}.json`), 'utf8'));
process.stdout.write(`${dom.id} ${pid}\n`);
process.exit(0);
