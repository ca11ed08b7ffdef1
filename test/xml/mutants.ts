import fc from 'fast-check';
import { VirError } from '../../src/errors.js';
import { UNLIMITED } from '../../src/memory/params.js';
import { formatDomainXML } from '../../src/xml/format-domain.js';
import { parseDomainXML } from '../../src/xml/parse-domain.js';
import type { RawAttr, RawNode } from '../../src/xml/raw.js';
import type { RawElement } from '../../src/xml/tokenizer.js';
import { domainDef, xmlText } from './arbitraries.js';
import { fixture } from './fixture.js';

/**
 * Mutants of valid domain documents, for the suites that must hold on any document (validation cache, schema
 * view, fuzzing): the edits most likely to break validity or to meet a cache key or schema rule at its edge —
 * leaf values from the edge of each datatype, comments, PIs and CDATA inside leaves, added attributes (namespace
 * declarations among them), removed, duplicated, renamed and inserted elements.
 */

export type Verdict = { ok: true } | { ok: false; code: number; message: string };

export function verdict(xml: string): Verdict {
  try {
    parseDomainXML(xml);
    return { ok: true };
  } catch (e) {
    if (!(e instanceof VirError)) throw e;
    return { ok: false, code: e.code, message: e.message };
  }
}

const esc = (s: string, attr: boolean) =>
  s.replace(attr ? /[&<>"\r\n\t]/g : /[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : `&#${c.charCodeAt(0)};`));

export function serialize(n: RawNode): string {
  switch (n.k) {
    case 't':
      return esc(n.text, false);
    case 'cdata':
      return `<![CDATA[${n.text}]]>`;
    case 'c':
      return `<!--${n.text}-->`;
    case 'pi':
      return `<?${n.name}${n.text ? ` ${n.text}` : ''}?>`;
    case 'e':
      return `<${n.name}${n.attrs.map(([k, v]) => ` ${k}="${esc(v, true)}"`).join('')}>${n.children.map(serialize).join('')}</${n.name}>`;
  }
}

// Values at the edges of what the schema's datatypes and virtune's cache patterns accept.
export const EDGE_VALUES = [
  '', ' ', '0', '1', '7', '+1', ' 1', '1 ', '\n1\n', '-1', '-0', '01', '1.0', '1e3', '0x10',
  '9999', '10000', '65535', '65536', '4294967295', '4294967296',
  '9999999999999999999', '18446744073709551615', '18446744073709551616', '99999999999999999999',
  'abc', '.a', 'a.', 'a/b', '/', 'a\u0085b', 'a\u007fb', 'a\u00a0b', '\u{1F600}', '\u{1F600}'.repeat(100),
  'x'.repeat(200), 'x'.repeat(201), '\u00e9'.repeat(100), '\u00e9'.repeat(101), 'x\ny', 'x\ry', 'x\ty',
  'hvm', 'exe', 'bogus', 'virtio', 'none', 'destroy', 'coredump-restart', 'static', 'auto', 'on', 'KiB', 'kib',
  'KIBB', 'b', 'bytes', 'EB', 'test', 'kvm', 'lxc',
  '6695eb01-f6a4-8304-79aa-97f2502e193f', '6695EB01F6A4830479AA97F2502E193F', '6695eb01-f6a4-8304-79aa-97f2502e193',
  ' 6695eb01-f6a4-8304-79aa-97f2502e193f', '6695eb01f6a4-8304-79aa97f2502e193f', 'g695eb01-f6a4-8304-79aa-97f2502e193f',
];
// The edges of <cputune>'s and <blkiotune>'s values (periods, quotas, shares, weights) and paths: leaf values only.
const TUNABLE_EDGE_VALUES = [
  '-2', '99', '100', '999', '1000', '1000000', '1000001', '1001', '262144', '262145', '17592186044415',
  '17592186044416', '9999999999999', '10000000000000', '/dev/sda', 'C:\\d', 'rel', '/a b', '/a\u0085', ' /a',
];
/** A leaf value: mostly one from the edge of some datatype, sometimes any text. */
export const value = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EDGE_VALUES) },
  { weight: 1, arbitrary: fc.constantFrom(...TUNABLE_EDGE_VALUES) },
  { weight: 1, arbitrary: xmlText(0, 12) },
);

const ELEMENT_NAMES = [
  'name', 'uuid', 'title', 'description', 'memory', 'currentMemory', 'maxMemory', 'memtune', 'hard_limit',
  'soft_limit', 'min_guarantee', 'swap_hard_limit', 'swap_soft_limit', 'vcpu', 'os', 'type', 'boot', 'kernel',
  'init', 'initarg', 'on_poweroff', 'on_crash', 'devices', 'emulator', 'memballoon', 'stats', 'metadata', 'x',
  'cputune', 'shares', 'period', 'quota', 'global_quota', 'iothread_period', 'vcpupin', 'blkiotune', 'weight',
  'device', 'path', 'read_iops_sec', 'write_bytes_sec',
  'p:x', 'p:name',
];
const ATTR_NAMES = [
  'unit', 'slots', 'dumpCore', 'placement', 'current', 'cpuset', 'arch', 'machine', 'dev', 'model', 'period',
  'type', 'id', 'foo', 'xmlns', 'xmlns:p',
];

export type Edit =
  | { op: 'text'; value: string }
  | { op: 'comment' | 'pi' | 'ws'; at: number }
  | { op: 'cdata' }
  | { op: 'attr'; name: string; value: string }
  | { op: 'remove' | 'dup' }
  | { op: 'rename'; name: string }
  | { op: 'child'; name: string; value: string };

export const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 12, arbitrary: value.map((v) => ({ op: 'text' as const, value: v })) },
  fc.record({ op: fc.constantFrom('comment' as const, 'pi' as const, 'ws' as const), at: fc.nat() }),
  fc.constant({ op: 'cdata' as const }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant('attr' as const), name: fc.constantFrom(...ATTR_NAMES), value }) },
  fc.record({ op: fc.constantFrom('remove' as const, 'dup' as const) }),
  fc.record({ op: fc.constant('rename' as const), name: fc.constantFrom(...ELEMENT_NAMES) }),
  fc.record({ op: fc.constant('child' as const), name: fc.constantFrom(...ELEMENT_NAMES), value }),
);

/** Every element with its parent, in document order (the root has none). */
function elements(root: RawElement): Array<[RawElement, RawElement | undefined]> {
  const out: Array<[RawElement, RawElement | undefined]> = [];
  const walk = (el: RawElement, parent: RawElement | undefined) => {
    out.push([el, parent]);
    for (const c of el.children) if (c.k === 'e') walk(c, el);
  };
  walk(root, undefined);
  return out;
}

// The leaves whose values the cache replaces (children of <domain>, <memtune>, <cputune>, <blkiotune>, <device>).
const CACHED_LEAVES = new Set([
  'name', 'uuid', 'title', 'description', 'memory', 'currentMemory', 'maxMemory', 'vcpu',
  'hard_limit', 'soft_limit', 'min_guarantee', 'swap_hard_limit', 'swap_soft_limit',
  'shares', 'period', 'quota', 'global_period', 'global_quota', 'emulator_period', 'emulator_quota', 'iothread_period',
  'iothread_quota', 'weight', 'path', 'read_iops_sec', 'write_iops_sec', 'read_bytes_sec', 'write_bytes_sec',
]);
const LEAF_PARENTS = new Set(['memtune', 'cputune', 'blkiotune', 'device']);

export function apply(root: RawElement, target: number, leaf: boolean, e: Edit): void {
  const all = elements(root);
  // Leaves are where keys of different documents meet: aim most edits at them.
  const leaves = all.filter(([el, p]) => CACHED_LEAVES.has(el.name) && (p === root || LEAF_PARENTS.has(p?.name ?? '')));
  const pool = leaf && leaves.length > 0 ? leaves : all;
  const [el, parent] = pool[target % pool.length]!;
  const kids = el.children;
  switch (e.op) {
    case 'text':
      el.children = [{ k: 't', text: e.value }];
      return;
    case 'comment':
      kids.splice(e.at % (kids.length + 1), 0, { k: 'c', text: 'c' });
      return;
    case 'pi':
      kids.splice(e.at % (kids.length + 1), 0, { k: 'pi', name: 'p', text: 'x' });
      return;
    case 'ws':
      kids.splice(e.at % (kids.length + 1), 0, { k: 't', text: ' \n\t' });
      return;
    case 'cdata':
      el.children = kids.map((c) => (c.k === 't' && !c.text.includes(']]>') ? { k: 'cdata', text: c.text } : c));
      return;
    case 'attr': {
      const attrs: RawAttr[] = el.attrs.filter(([n]) => n !== e.name);
      attrs.push([e.name, e.value]);
      el.attrs = attrs;
      return;
    }
    case 'remove':
      if (parent) parent.children = parent.children.filter((c) => c !== el);
      return;
    case 'dup':
      if (parent) parent.children.splice(parent.children.indexOf(el), 0, structuredClone(el));
      return;
    case 'rename':
      if (parent) el.name = e.name;
      return;
    case 'child':
      kids.push({ k: 'e', name: e.name, attrs: [], children: e.value === '' ? [] : [{ k: 't', text: e.value }] });
      return;
  }
}

/** Valid seeds: real documents and generated definitions. */
export function seeds(): string[] {
  const docs = [fixture('real-world-qemu.xml'), fixture('minimal-lxc.xml')];
  fc.sample(domainDef, { numRuns: 30, seed: 42 }).forEach((def) => docs.push(formatDomainXML(def)));
  docs.push(formatDomainXML({ ...parseDomainXML(docs[0]!), memtune: { hardLimit: 0n, softLimit: 1n, minGuarantee: 2n, swapHardLimit: 3n, swapSoftLimit: UNLIMITED } }));
  docs.push(formatDomainXML({
    ...parseDomainXML(docs[0]!),
    cputune: { shares: 1024n, period: 100000n, quota: -1n, emulatorQuota: 5000n },
    blkiotune: { weight: 500, devices: [{ path: '/dev/sda', weight: 100, readIopsSec: 7n }, { path: '/dev/sdb', writeBytesSec: 1n }] },
  }));
  docs.push(
    "<domain type='kvm'><name>tun</name><memory>1024</memory><vcpu>2</vcpu><cputune><shares>2</shares><vcpupin vcpu='0' cpuset='0'/>" +
    "<global_period>1000</global_period><emulatorpin cpuset='1'/></cputune><blkiotune><device><path>/x</path><weight>1000</weight>" +
    '</device></blkiotune><os><type>hvm</type></os></domain>',
  );
  return docs;
}

