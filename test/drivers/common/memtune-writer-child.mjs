// Run as its own Node process by concurrent-writers.test.ts: CALLERS async callers on one connection, each making
// STEPS memtune changes to one domain. Caller w (writer index * 16 + caller) at step i sets one parameter, live
// or config (cycling through all eight), to encodeValue(param, w, i) — so every value names its writer and step.
// Prints the last value each caller set for each (affect, param) as JSON; any error exits 1.
import { openConnection, TypedParameterType } from '../../../dist/index.js';
import { PARAMS, encodeValue } from './memtune-values.mjs';

const [uri, name, writer, callers, steps] = process.argv.slice(2);
const conn = await openConnection(uri);
const dom = await conn.lookupDomainByName(name);
const last = {};
await Promise.all(
  Array.from({ length: Number(callers) }, async (_, c) => {
    const w = Number(writer) * 16 + c;
    for (let i = 0; i < Number(steps); i++) {
      const combo = (i + c) % (2 * PARAMS.length);
      const affect = combo < PARAMS.length ? 1 : 2;
      const field = PARAMS[combo % PARAMS.length];
      const value = encodeValue(field, w, i);
      await dom.setMemoryParameters([{ field, type: TypedParameterType.ULLONG, value }], affect);
      last[`${w}/${affect === 1 ? 'live' : 'config'}/${field}`] = value;
    }
  }),
);
await conn.close();
process.stdout.write(`${JSON.stringify(last)}\n`);
