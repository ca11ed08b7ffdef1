// Run as its own Node process by outlive.test.ts: starts a container, prints its id and exits at once.
import { openConnection } from '../../../src/connection/connection.js';
import { lxcXML } from './defs.js';

const [uri, name] = process.argv.slice(2) as [string, string];
const conn = await openConnection(uri);
const dom = await conn.defineDomainXML(lxcXML(name, 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done'));
await dom.create();
process.stdout.write(`${dom.id}\n`);
process.exit(0);
