// Run as its own Node process by open-files.test.ts: on its own connection to the same root, destroys the running
// container `name` and starts it again (a new cgroup under the same path), then exits.
import { openConnection } from '../../../dist/index.js';

const [uri, name] = process.argv.slice(2);
const conn = await openConnection(uri);
const dom = await conn.lookupDomainByName(name);
await dom.destroy();
await dom.create();
await conn.close();
process.stdout.write('restarted\n');
