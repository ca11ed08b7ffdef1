import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../../src/cgroup/controller.js';
import type { DomainCgroup } from '../../../src/cgroup/domain-cgroup.js';
import { DomainObject } from '../../../src/drivers/common/domain-objects.js';
import { rebuildLiveMemTune, runningStatusRecord } from '../../../src/drivers/common/status-record.js';
import { UNLIMITED } from '../../../src/memory/params.js';
import { makeFakeV2Tree, removeFakeV2Tree } from '../../helpers/fake-cgroupfs.js';
import { domainDef, type DefPatch } from '../../helpers/domain-def.js';
import { MEMORY } from '../../../src/cgroup/controllers.js';

const MiB = 1024n;
let root: string;
let cg: DomainCgroup;

beforeEach(() => {
  const tree = makeFakeV2Tree('rebuild');
  root = tree.root;
  cg = HostCgroups.open(tree)!.domain('web', 'lxc');
  cg.create();
});
afterEach(() => removeFakeV2Tree(root));

/** A running domain whose status was saved with the cgroup holding `limits` (hard implied by <memory>). */
function savedWith(memtune: DefPatch['memtune'], applied: DefPatch['memtune']) {
  const def = domainDef('lxc', { name: 'web', memtune });
  cg.tunables(MEMORY).apply({ ...def.memtune, ...applied });
  const obj = new DomainObject(def, structuredClone(def));
  return { def, record: runningStatusRecord(obj, def, { pid: 1, pidStartTime: '1', cgroup: cg, oomKillsAtStart: 0 }) };
}

describe('rebuildLiveMemTune (reconnect after a deferred status save)', () => {
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
