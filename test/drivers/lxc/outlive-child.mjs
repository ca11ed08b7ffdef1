// Run as its own Node process by outlive.test.ts: starts a container through the built package, prints its id
// and exits at once, so the test can check the container outlived its starter.
import { openConnection } from '../../../dist/index.js';

const [uri, xml] = process.argv.slice(2);
const conn = await openConnection(uri);
const dom = await conn.defineDomainXML(xml);
await dom.create();
process.stdout.write(`${dom.id}\n`);
process.exit(0);
