import type { CommandHandler } from '../command-def.js';
import { domainOption } from '../domain-lookup.js';
import { kibToJSON, padRight } from '../output.js';
import { stateName } from '../state-names.js';

const line = (label: string, value: string): string => `${padRight(label, 15)} ${value}\n`;

/**
 * `dominfo DOMAIN [--json]` (virsh's cmdDominfo), with the lines virtune's drivers can answer: id, name, uuid,
 * state, CPUs, CPU time, memory, persistence. OS type, autostart, managed save and security labels are not part
 * of virtune's driver table, so those lines are absent.
 */
export const run: CommandHandler = async (ctl, cmd) => {
  const dom = await domainOption(ctl, cmd);
  if (!dom) return false;
  const info = await dom.getInfo();
  let persistent: boolean | undefined;
  try {
    persistent = await dom.isPersistent();
  } catch {
    persistent = undefined;
  }
  if (cmd.has('json')) {
    const doc = {
      id: dom.id < 0 ? null : dom.id,
      name: dom.name,
      uuid: dom.uuid,
      state: stateName(info.state),
      cpus: info.nrVirtCpu,
      cpuTimeNs: info.cpuTime.toString(),
      maxMemoryKiB: kibToJSON(info.maxMem),
      usedMemoryKiB: kibToJSON(info.memory),
      persistent: persistent ?? null,
    };
    ctl.print(`${JSON.stringify(doc, null, 2)}\n`);
    return true;
  }
  let out = line('Id:', dom.id < 0 ? '-' : String(dom.id));
  out += line('Name:', dom.name);
  out += line('UUID:', dom.uuid);
  out += line('State:', stateName(info.state));
  out += line('CPU(s):', String(info.nrVirtCpu));
  if (info.cpuTime !== 0n) out += line('CPU time:', `${(Number(info.cpuTime) / 1e9).toFixed(1)}s`);
  out += line('Max memory:', `${info.maxMem} KiB`);
  out += line('Used memory:', `${info.memory} KiB`);
  out += line('Persistent:', persistent === undefined ? 'unknown' : persistent ? 'yes' : 'no');
  ctl.print(out);
  return true;
};
