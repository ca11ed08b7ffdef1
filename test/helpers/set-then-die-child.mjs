// Run as its own Node process by the LXC and QEMU set-then-die tests: starts a domain through the built package (or,
// given `name:NAME` for the XML, takes that running domain as it is), makes
// one live change (`setMemoryParameters` by default: the hard limit to KiB; or another setter with its parameters as
// JSON, `[[field, type, value], ...]`), prints its id, then blocks its event loop for good, so the deferred status
// save can never run and the test can kill this process between the change and the save.
import { openConnection, TypedParameterType } from '../../dist/index.js';

const [uri, xml, hardKiBOrParams, setter = 'setMemoryParameters'] = process.argv.slice(2);
const params =
  setter === 'setMemoryParameters' && !hardKiBOrParams.startsWith('[')
    ? [{ field: 'hard_limit', type: TypedParameterType.ULLONG, value: Number(hardKiBOrParams) }]
    : JSON.parse(hardKiBOrParams).map(([field, type, value]) => ({
        field,
        type: TypedParameterType[type],
        value: type === 'ULLONG' || type === 'LLONG' ? BigInt(value) : Number(value),
      }));
const conn = await openConnection(uri);
const dom = xml.startsWith('name:') ? await conn.lookupDomainByName(xml.slice(5)) : await conn.defineDomainXML(xml);
if (!xml.startsWith('name:')) await dom.create();
await dom[setter](params, 1);
// Pipes are synchronous on Linux: the line is out before the loop stops.
process.stdout.write(`${dom.id}\n`);
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
