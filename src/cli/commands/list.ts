import { FAILED, attempt } from '../attempt.js';
import type { CommandHandler } from '../command-def.js';
import type { Domain } from '../../connection/domain.js';
import {
  CONNECT_LIST_DOMAINS_ACTIVE,
  CONNECT_LIST_DOMAINS_INACTIVE,
  CONNECT_LIST_DOMAINS_OTHER,
  CONNECT_LIST_DOMAINS_PAUSED,
  CONNECT_LIST_DOMAINS_PERSISTENT,
  CONNECT_LIST_DOMAINS_RUNNING,
  CONNECT_LIST_DOMAINS_SHUTOFF,
  CONNECT_LIST_DOMAINS_TRANSIENT,
} from '../../flags.js';
import { exclusive } from '../options.js';
import { formatTable } from '../output.js';
import { stateName } from '../state-names.js';

const FILTERS: ReadonlyArray<readonly [string, number]> = [
  ['persistent', CONNECT_LIST_DOMAINS_PERSISTENT],
  ['transient', CONNECT_LIST_DOMAINS_TRANSIENT],
  ['state-running', CONNECT_LIST_DOMAINS_RUNNING],
  ['state-paused', CONNECT_LIST_DOMAINS_PAUSED],
  ['state-shutoff', CONNECT_LIST_DOMAINS_SHUTOFF],
  ['state-other', CONNECT_LIST_DOMAINS_OTHER],
];

/** C's strcasecmp on UTF-8: only ASCII letters fold, and bytes compare as code points do (not UTF-16 units). */
function compareNames(a: string, b: string): number {
  const x = [...a.replace(/[A-Z]/g, (c) => c.toLowerCase())];
  const y = [...b.replace(/[A-Z]/g, (c) => c.toLowerCase())];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** virsh's virshDomainSorter: running domains by id, then inactive ones by name, case-insensitively (ASCII only). */
export function compareDomains(a: Domain, b: Domain): number {
  const ia = a.id < 0 ? undefined : a.id;
  const ib = b.id < 0 ? undefined : b.id;
  if (ia === undefined && ib === undefined) return compareNames(a.name, b.name);
  if (ia !== undefined && ib !== undefined) return ia - ib;
  return ia !== undefined ? -1 : 1;
}

/** `list [--all|--inactive] [filters] [--uuid] [--name] [--id] [--table] [--json]` (virsh's cmdList). */
export const run: CommandHandler = async (ctl, cmd) => {
  // As virsh: running domains by default, but a state filter alone looks at every domain.
  const stateFilter = FILTERS.some(([name]) => name.startsWith('state-') && cmd.has(name));
  let flags = stateFilter ? 0 : CONNECT_LIST_DOMAINS_ACTIVE;
  if (cmd.has('inactive')) flags = CONNECT_LIST_DOMAINS_INACTIVE;
  if (cmd.has('all')) flags = CONNECT_LIST_DOMAINS_INACTIVE | CONNECT_LIST_DOMAINS_ACTIVE;
  for (const [name, bit] of FILTERS) if (cmd.has(name)) flags |= bit;
  for (const other of ['name', 'uuid', 'id']) if (!exclusive(ctl, cmd, 'table', other)) return false;

  const domains = await attempt(ctl, 'Failed to list domains', () => ctl.conn.listAllDomains(flags));
  if (domains === FAILED) return false;
  domains.sort(compareDomains);

  if (cmd.has('json')) {
    const rows = [];
    for (const d of domains) {
      const { state } = await d.getState();
      rows.push({ id: d.id < 0 ? null : d.id, name: d.name, uuid: d.uuid, state: stateName(state), persistent: await d.isPersistent() });
    }
    ctl.print(`${JSON.stringify(rows, null, 2)}\n`);
    return true;
  }

  const uuid = cmd.has('uuid');
  const name = cmd.has('name');
  const id = cmd.has('id');
  if (!uuid && !name && !id) {
    const rows: string[][] = [];
    for (const d of domains) {
      let state: number;
      try {
        ({ state } = await d.getState());
      } catch {
        continue; // removed meanwhile, as virsh skips it
      }
      rows.push([d.id < 0 ? '-' : String(d.id), d.name, stateName(state)]);
    }
    ctl.print(formatTable(['Id', 'Name', 'State'], rows, !ctl.options.quiet));
    return true;
  }
  for (const d of domains) {
    const idText = d.id < 0 ? '-' : String(d.id);
    // Asked for ids alone, inactive domains have none to print.
    if (id && !uuid && !name && d.id < 0) continue;
    const fields: string[] = [];
    if (uuid) fields.push(d.uuid);
    if (id) fields.push(idText);
    if (name) fields.push(d.name);
    ctl.print(`${fields.join(' ')}\n`);
  }
  return true;
};
