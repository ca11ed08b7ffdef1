import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../../src/cgroup/controller.js';
import type { DomainCgroup } from '../../../src/cgroup/domain-cgroup.js';
import { DomainObject } from '../../../src/drivers/common/domain-objects.js';
import { runningStatusRecord } from '../../../src/drivers/common/status-record.js';
import { withHeldValues } from '../../../src/drivers/common/live-recovery.js';
import { UNLIMITED } from '../../../src/memory/params.js';
import { makeFakeV2Tree, removeFakeV2Tree } from '../../helpers/fake-cgroupfs.js';
import { domainDef, type DefPatch } from '../../helpers/domain-def.js';
import type { DomainDef } from '../../../src/xml/domain-def.js';
import type { DomainStatusRecord } from '../../../src/drivers/common/store.js';
import { CPU, MEMORY } from '../../../src/cgroup/controllers.js';

const MiB = 1024n;
let root: string;
let cg: DomainCgroup;

beforeEach(() => {
  const tree = makeFakeV2Tree('rebuild');
  root = tree.root;
  cg = HostCgroups.open({ ...tree, controllers: [MEMORY, CPU] })!.domain('web', 'lxc');
  cg.create();
});
afterEach(() => removeFakeV2Tree(root));

/** A running domain whose status was saved with the cgroup holding `limits` (hard implied by <memory>). */
function savedWith(memtune: DefPatch['memtune'], applied: DefPatch['memtune']) {
  const def = domainDef('lxc', { name: 'web', memtune });
  cg.tunables(MEMORY).apply({ ...def.memtune, ...applied });
  const obj = new DomainObject(def, structuredClone(def));
  return { def, record: runningStatusRecord(obj, def, { pid: 1, pidStartTime: '1', cgroup: cg, cpu: { domain: cg }, oomKillsAtStart: 0 }) };
}

/** The live memtune a reconnect rebuilds from `record` and the files. */
const rebuildLiveMemTune = (def: DomainDef, record: DomainStatusRecord, cgroup: DomainCgroup) => withHeldValues(def, record, { cgroup }).memtune;

describe('withHeldValues: memtune (reconnect after a deferred status save)', () => {
  it('takes a limit from the cgroup when its file changed after the record was saved', () => {
    const { def, record } = savedWith({ softLimit: 100n * MiB }, { hardLimit: 1024n * MiB });
    expect(record.cgroupLimits?.hardLimit).toBe(String(1024n * MiB));
    // A live change the dying process applied but never saved.
    writeFileSync(`${cg.path}/memory.max`, String(600n * MiB * 1024n));
    writeFileSync(`${cg.path}/memory.high`, String(50n * MiB * 1024n));
    const rebuilt = rebuildLiveMemTune(def, record, cg);
    expect(rebuilt.hardLimit).toBe(600n * MiB);
    expect(rebuilt.softLimit).toBe(50n * MiB);
  });

  it('keeps the record where the files hold what it says, so a limit set implicitly at start stays out', () => {
    const { def, record } = savedWith({ softLimit: 100n * MiB }, { hardLimit: 1024n * MiB });
    const rebuilt = rebuildLiveMemTune(def, record, cg);
    expect(rebuilt).toEqual(def.memtune);
    expect(rebuilt.hardLimit).toBe(UNLIMITED);
  });

  it('a record without cgroupLimits (an older virtune) takes every managed limit from the files', () => {
    const { def, record } = savedWith({ softLimit: 100n * MiB }, { hardLimit: 1024n * MiB });
    delete record.cgroupLimits;
    const rebuilt = rebuildLiveMemTune(def, record, cg);
    expect(rebuilt.hardLimit).toBe(1024n * MiB);
    expect(rebuilt.softLimit).toBe(100n * MiB);
  });
});

describe('withHeldValues: cputune (reconnect after a deferred status save)', () => {
  const run = () => ({ cgroup: cg, cpu: { domain: cg } });

  it('notes the scheduler values the files keep, and takes those changed after the save', () => {
    const { def, record } = savedWith({}, {});
    const live = { ...def, cputune: { shares: 1024n } };
    cg.tunables(CPU).apply({ shares: 1024n, period: 100000n, quota: -1n });
    const saved = runningStatusRecord(new DomainObject(def, live), live, { pid: 1, pidStartTime: '1', ...run(), oomKillsAtStart: 0 });
    // v2 keeps shares as cpu.weight, rounded: the note is what the files give back.
    const shares = cg.tunables(CPU).read().shares!;
    expect(shares).not.toBe(1024n);
    expect(saved.cgroupCpu).toEqual({ shares: String(shares), period: '100000', quota: '-1' });
    // Unchanged since the save: the live definition stays as saved (no period or quota appears from the kernel's,
    // and the rounded shares do not replace the value set).
    expect(withHeldValues(live, saved, run())).toBe(live);
    // A live change the dying process applied but never saved.
    writeFileSync(`${cg.path}/cpu.max`, '20000 50000');
    expect(withHeldValues(live, saved, run()).cputune).toEqual({ shares: 1024n, period: 50000n, quota: 20000n });
    expect(record.cgroupCpu).toBeDefined();
  });

  it('a record without cgroupCpu (an older virtune, which saved every scheduler change) keeps its cputune', () => {
    const { def, record } = savedWith({}, {});
    delete record.cgroupCpu;
    writeFileSync(`${cg.path}/cpu.max`, '20000 50000');
    expect(withHeldValues(def, record, run())).toBe(def);
  });
});
