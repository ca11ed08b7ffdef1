import { exceptionFor } from './exceptions.js';
import { describeEdge, type ImportEdge } from './import-graph.js';
import { unitOf } from './layers.js';

/** One layering rule: the reason an import breaks it, or undefined when it keeps it. */
export interface Rule {
  name: string;
  check(edge: ImportEdge): string | undefined;
}

const under = (dir: string, p: string | undefined): boolean => p !== undefined && p.startsWith(`${dir}/`);
/** errors.ts and the files it is split into (error-codes.ts, error-messages.ts). */
const isErrors = (p: string | undefined): boolean => p !== undefined && /^src\/error(s|-[a-z-]+)\.ts$/.test(p);

/**
 * The model the brief names (xml/, typed-params/, errors*.ts) plus src/memory/params.ts: the tunables' names,
 * UNLIMITED and the empty memtune, which the XML code needs and which import only typed-params and XML types.
 */
const inModel = (p: string | undefined): boolean =>
  under('src/xml', p) || under('src/typed-params', p) || isErrors(p) || p === 'src/memory/params.ts';

const DRIVER_TABLE = ['src/driver.ts', 'src/events.ts'];

/** A rule that forbids `from` files to import anything `forbidden` says yes to. */
function forbid(name: string, from: (p: string) => boolean, forbidden: (to: string) => boolean): Rule {
  return {
    name,
    check: (e) => (from(e.from) && e.to !== undefined && !from(e.to) && forbidden(e.to) ? describeEdge(e) : undefined),
  };
}

export const RULES: readonly Rule[] = [
  forbid(
    'xml/, typed-params/ and errors*.ts import nothing of ours but each other (and memory/params.ts)',
    inModel,
    (to) => !inModel(to),
  ),
  forbid(
    'cgroup/ never imports drivers, the connection, the driver table, the CLI or the public face',
    (p) => under('src/cgroup', p),
    (to) => under('src/drivers', to) || under('src/connection', to) || under('src/cli', to) || DRIVER_TABLE.includes(to) || to === 'src/index.ts',
  ),
  forbid(
    'drivers never import the CLI or the public face',
    (p) => under('src/drivers', p),
    (to) => under('src/cli', to) || to === 'src/index.ts',
  ),
  forbid(
    'the connection never imports the CLI or the public face',
    (p) => under('src/connection', p),
    (to) => under('src/cli', to) || to === 'src/index.ts',
  ),
  {
    name: 'nothing in src/ but the CLI imports the CLI (bin/virtune.js runs it)',
    check: (e) => (under('src/cli', e.to) && !under('src/cli', e.from) ? describeEdge(e) : undefined),
  },
  forbid(
    'the CLI reaches drivers and cgroups only through the connection',
    (p) => under('src/cli', p),
    (to) => under('src/drivers', to) || under('src/cgroup', to),
  ),
  forbid(
    'cim/ reaches domains only through the connection: never drivers, cgroups, the CLI or the public face',
    (p) => under('src/cim', p),
    (to) => under('src/drivers', to) || under('src/cgroup', to) || under('src/cli', to) || to === 'src/index.ts',
  ),
  forbid(
    'the QMP client (drivers/qemu/qmp-*.ts) imports only errors*.ts: it knows QMP, not domains or drivers',
    (p) => /^src\/drivers\/qemu\/qmp-[a-z-]+\.ts$/.test(p),
    (to) => !isErrors(to),
  ),
  {
    name: 'drivers and the driver table use the connection only for `import type` from connection/uri.ts',
    check: (e) =>
      (under('src/drivers', e.from) || DRIVER_TABLE.includes(e.from)) &&
      under('src/connection', e.to) &&
      !(e.to === 'src/connection/uri.ts' && e.kind === 'type')
        ? describeEdge(e)
        : undefined,
  },
  {
    name: 'the connection loads a driver only lazily, through import() of its factory.ts (drivers/common aside)',
    check: (e) => {
      if (!under('src/connection', e.from) || !under('src/drivers', e.to) || under('src/drivers/common', e.to)) return undefined;
      return e.kind === 'dynamic' && /^src\/drivers\/[^/]+\/factory\.ts$/.test(e.to!) ? undefined : describeEdge(e);
    },
  },
  {
    name: 'every import points to a lower layer (type-only exceptions in exceptions.ts)',
    check: (e) => {
      if (e.to === undefined) return undefined;
      const from = unitOf(e.from);
      const to = unitOf(e.to);
      if (!from || !to || from === to || to.rank < from.rank || exceptionFor(e)) return undefined;
      return `${describeEdge(e)}: ${from.name} (${from.rank}) may not import ${to.name} (${to.rank})`;
    },
  },
];

/** Every rule `edges` break, as `rule: import` lines. */
export function violations(edges: readonly ImportEdge[], rules: readonly Rule[] = RULES): string[] {
  return rules.flatMap((r) => edges.map((e) => r.check(e)).filter((m) => m !== undefined).map((m) => `${r.name}: ${m}`));
}
