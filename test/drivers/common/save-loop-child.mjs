// Run as its own Node process by kill-during-save.test.ts, which SIGKILLs it at a random moment. Opens the root,
// prints its pid, then saves without end, in LOOPS parallel loops: the persistent definition of the inactive
// domain `kc` (a full define or a CONFIG memtune change, alternately) and the live min_guarantee of the running
// domain `kd` (on cgroup v1 it lives only in the status record, which is saved at once). Step values grow from
// START, so each kill sees newer values.
import { openConnection, TypedParameterType } from '../../../dist/index.js';

const [uri, start, kcXmlTemplate, loops] = process.argv.slice(2);
const conn = await openConnection(uri);
const kc = await conn.lookupDomainByName('kc');
const kd = await conn.lookupDomainByName('kd');
process.stdout.write(`${process.pid}\n`);
let step = Number(start);
const loop = async () => {
  for (;;) {
    const i = step++;
    const kib = (256 << 10) + i * 4;
    if (i % 2) await conn.defineDomainXML(kcXmlTemplate.replace('SOFT', String(kib)));
    else await kc.setMemoryParameters([{ field: 'soft_limit', type: TypedParameterType.ULLONG, value: kib }], 2);
    await kd.setMemoryParameters([{ field: 'min_guarantee', type: TypedParameterType.ULLONG, value: 1024 + i * 4 }], 1);
  }
};
await Promise.all(Array.from({ length: Number(loops) }, loop));
