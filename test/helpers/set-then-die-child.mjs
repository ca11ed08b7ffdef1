// Run as its own Node process by the LXC and QEMU set-then-die tests: starts a domain through the built package, changes its
// hard limit live, prints its id, then blocks its event loop for good, so the deferred status save can never run
// and the test can kill this process between the change and the save.
import { openConnection, TypedParameterType } from '../../dist/index.js';

const [uri, xml, hardKiB] = process.argv.slice(2);
const conn = await openConnection(uri);
const dom = await conn.defineDomainXML(xml);
await dom.create();
await dom.setMemoryParameters([{ field: 'hard_limit', type: TypedParameterType.ULLONG, value: Number(hardKiB) }], 1);
// Pipes are synchronous on Linux: the line is out before the loop stops.
process.stdout.write(`${dom.id}\n`);
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
