// Cross-cutting suite (test/bench/): a smoke run of bench/, which holds the speed goals.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { skipUnless } from '../helpers/prereq.js';

// Runs the whole bench the way a machine would (`--quick --json`) and checks what it prints: the shape of every
// row and the arithmetic of ratio and met. Speed is the bench's business, not this test's.

interface Row {
  name: string;
  virtune: number | null;
  reference: number | null;
  unit: string;
  ratio: number | null;
  target: string | null;
  met: boolean | null;
  note?: string;
}

const RUN_JS = fileURLToPath(new URL('../../bench/run.js', import.meta.url));

/** One row per measurement of issue 7, items 1–7 and memory, and of issue 11 item 2 (hostile documents). */
const EXPECTED_NAMES = [
  'memparams.set+get',
  'define+xmldesc',
  'define+xmldesc.validated',
  'define+xmldesc.validated.new-machine',
  'define+xmldesc.validated.uncached',
  'memtune.parse',
  'memtune.format',
  'memtune.validate',
  'domain.validate',
  'hostile.metadata-40k',
  'hostile.metadata-40k.validated',
  'hostile.metadata-80k',
  'hostile.metadata-80k.validated',
  'hostile.consoles-300k',
  'hostile.consoles-300k.validated',
  'hostile.domain-attrs-40k',
  'hostile.domain-attrs-40k.validated',
  'hostile.consoles-5000',
  'hostile.consoles-5000.validated',
  'hostile.boots-4990',
  'hostile.boots-4990.validated',
  'hostile.boots-4990-os-attrs',
  'hostile.boots-4990-os-attrs.validated',
  'hostile.metadata-99950',
  'hostile.metadata-99950.validated',
  'hostile.attrs-388x256',
  'hostile.attrs-388x256.validated',
  'hostile.crlf-text-9mb',
  'hostile.crlf-text-9mb.validated',
  'hostile.tab-attr-9mb',
  'hostile.tab-attr-9mb.validated',
  'hostile.cdata-9mb',
  'hostile.cdata-9mb.validated',
  'hostile.metadata-lines-9mb',
  'hostile.metadata-lines-9mb.validated',
  'hostile.quote-attrs-150x60k',
  'hostile.quote-attrs-150x60k.validated',
  'hostile.metadata-lone-cr-9mb',
  'hostile.metadata-lone-cr-9mb.validated',
  'hostile.one-line-10mib',
  'hostile.one-line-10mib.validated',
  'cgroup.live-set',
  'cgroup.live-set.vs-write',
  'cgroup.live-set.cpu',
  'sched.set+get',
  'blkio.set+get',
  'cgroup.live-set.sched',
  'cgroup.live-set.sched.vs-write',
  'cgroup.live-set.sched.cpu',
  'cgroup.live-set.blkio',
  'cgroup.live-set.blkio.vs-write',
  'cgroup.live-set.blkio.cpu',
  'domains.define-all',
  'domains.list-all',
  'domains.lookup-all',
  'cli.cold-start.vs-node',
  'cli.cold-start.cpu.vs-node',
  'cli.cold-start.vs-virsh',
  'qemu.start-to-qmp',
  'qemu.start-to-qmp.vs-attach',
  'qemu.cli-start.vs-libvirtd',
  'qemu.cli-start.vs-libvirtd.node22',
  'qemu.cli-start.vs-libvirtd.node20',
  'qemu.cli-start.cpu',
  'qemu.cli-start.node',
  'qemu.cli-start.node.node20',
  'qemu.cli-start.node.node20.no-extra-ca',
  'qemu.cli-start.cli-loaded',
  'qemu.cli-start.root-opened',
  'qemu.cli-start.bare-qemu.greeting',
  'qemu.cli-start.bare-qemu.capabilities',
  'qemu.cli-start.bare-qemu.cont',
  'qemu.cli-start.cgroup-attach',
  'qemu.cli-start.minimal-node',
  'qemu.cli-start.floor',
  'remote.set+get',
  'remote.set+get.in-flight',
  'remote.set+get.in-flight.vs-sequential',
  'remote.set+get.in-flight.minimal-vs-sequential',
  'remote.open+call+close',
  'remote.open+call+close.cold',
  'autopilot.intervals-to-steady',
  'autopilot.reclaimed',
  'memory.peak-rss',
  'memory.per-domain',
  'memory.per-domain.settled',
];

const numberOrNull = (x: unknown): boolean => x === null || (typeof x === 'number' && Number.isFinite(x));

describe('npm run bench -- --quick --json', () => {
  let rows: Row[];
  let stderr: string;

  beforeAll(async () => {
    const out = await promisify(execFile)(process.execPath, [RUN_JS, '--quick', '--json'], {
      maxBuffer: 16 * 1024 * 1024,
      timeout: 170_000,
    });
    stderr = out.stderr;
    const parsed = JSON.parse(out.stdout) as { results: Row[] };
    expect(Object.keys(parsed)).toEqual(['results']);
    rows = parsed.results;
  }, 180_000);

  it('prints one row per measurement, each name once', () => {
    expect(rows.map((r) => r.name)).toEqual(EXPECTED_NAMES);
    expect(stderr).not.toMatch(/suite failed/);
  });

  it('gives every row the documented fields and types', () => {
    for (const r of rows) {
      expect(typeof r.name).toBe('string');
      expect(typeof r.unit).toBe('string');
      expect(numberOrNull(r.virtune), r.name).toBe(true);
      expect(numberOrNull(r.reference), r.name).toBe(true);
      expect(numberOrNull(r.ratio), r.name).toBe(true);
      expect(r.target === null || /^(>=|<=) [0-9.]+$/.test(r.target), r.name).toBe(true);
      expect(r.met === null || typeof r.met === 'boolean', r.name).toBe(true);
      // A side without a figure says why.
      if (r.virtune === null || (r.reference === null && r.target !== null)) expect(r.note, r.name).toBeTruthy();
    }
  });

  it('computes ratio as virtune / reference and met from ratio and target', () => {
    for (const r of rows) {
      if (r.virtune === null || r.reference === null) {
        expect(r.ratio, r.name).toBeNull();
        expect(r.met, r.name).toBeNull();
        continue;
      }
      // Figures and ratio are printed to 4 and 3 significant digits, so they agree to within rounding.
      const exact = r.virtune / r.reference;
      expect(Math.abs(r.ratio! - exact) / exact, r.name).toBeLessThan(0.005);
      if (r.target === null) {
        expect(r.met, r.name).toBeNull();
      } else {
        const [op, bound] = r.target.split(' ') as ['>=' | '<=', string];
        expect(r.met, r.name).toBe(op === '>=' ? r.ratio! >= Number(bound) : r.ratio! <= Number(bound));
      }
    }
  });

  describe.skipIf(skipUnless('python-libvirt'))('with libvirt installed', () => {
    it('measures the libvirt side of every test-driver comparison', () => {
      for (const name of ['memparams.set+get', 'define+xmldesc', 'define+xmldesc.validated', 'domains.define-all', 'memory.peak-rss']) {
        const r = rows.find((x) => x.name === name)!;
        expect(r.reference, name).toBeGreaterThan(0);
      }
    });
  });
});
