import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { CPU } from '../../src/cgroup/controllers.js';
import type { CpuValues } from '../../src/cgroup/cpu-values.js';
import { CgroupTunables } from '../../src/cgroup/tunables.js';
import { removeCgroupDir } from '../helpers/cgroup-dirs.js';
import { skipUnless } from '../helpers/prereq.js';

// A handle plans a change from what it remembers, and keeps the text of remembered values that hold every field
// (the text its last change wrote) instead of encoding them again. Whatever changes, rollbacks and re-reads come
// in between, its plan must be the one a new handle makes after reading the files: same files, same texts, same
// undo texts. Real cgroup v1 cpu files, a cgroup of this test's own.

const change = fc.record(
  {
    shares: fc.bigInt({ min: 2n, max: 262144n }),
    period: fc.bigInt({ min: 1000n, max: 1000000n }),
    quota: fc.oneof(fc.constant(-1n), fc.bigInt({ min: 1000n, max: 2000000n })),
  },
  { requiredKeys: [] },
);
const step = fc.record({ next: change, then: fc.constantFrom('keep', 'rollback', 'forget', 'read') });

describe.skipIf(skipUnless('root', 'cgroup-v1-cpu'))('a handle plans from what it remembers as from the files (real cgroup v1)', () => {
  const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  let host: HostCgroups;

  beforeAll(() => {
    host = HostCgroups.open({ parent, controllers: [CPU] })!;
  });
  afterAll(async () => {
    for (const p of host.placements) await removeCgroupDir(`${p.root}/${parent}`);
  });

  it('gives the plan of a new handle that has read the files, through changes, rollbacks and re-reads', () => {
    const cg = host.domain(`known-${randomBytes(2).toString('hex')}`, 'lxc');
    cg.create();
    const handle = cg.tunables(CPU);
    const fromFiles = (): CgroupTunables<CpuValues> => {
      const fresh = new CgroupTunables(handle.fs, handle.files, handle.dir);
      fresh.read();
      return fresh;
    };
    try {
      fc.assert(
        fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
          for (const { next, then } of steps) {
            const touched = Object.keys(next) as (keyof CpuValues)[];
            expect(handle.plan(next, touched)).toEqual(fromFiles().plan(next, touched));
            const applied = handle.apply(next, handle.plan(next, touched));
            if (then === 'rollback') expect(applied.rollback()).toEqual([]);
            else if (then === 'forget') handle.forget();
            else if (then === 'read') handle.read();
          }
        }),
        { numRuns: 40 },
      );
    } finally {
      cg.remove();
    }
  });
});
