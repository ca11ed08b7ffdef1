import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../../src/cgroup/controller.js';
import { CPU, CPUACCT, MEMORY } from '../../../src/cgroup/controllers.js';
import type { DomainCgroup } from '../../../src/cgroup/domain-cgroup.js';
import { placeQemuThreads, vcpuThreads } from '../../../src/drivers/qemu/cgroup-layout.js';
import { QmpClient } from '../../../src/drivers/qemu/qmp-client.js';
import { removeCgroupDir } from '../../helpers/cgroup-dirs.js';
import { skipUnless } from '../../helpers/prereq.js';
import { startNoOsQemu, type NoOsQemu } from './helpers/no-os-qemu.js';

const tids = (dir: string): number[] => readFileSync(`${dir}/tasks`, 'utf8').split('\n').filter(Boolean).map(Number).sort();
const value = (dir: string, file: string): string => readFileSync(`${dir}/${file}`, 'utf8').trim();

/** libvirt's QEMU layout on the real v1 hierarchies, with a real TCG QEMU of two vCPUs. */
describe.skipIf(skipUnless('root', 'qemu', 'cgroup-v1-memory', 'cgroup-v1-cpu', 'cgroup-v1-cpuacct'))('QEMU cgroup layout (emulator/, vcpuN/)', () => {
  const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  let host: HostCgroups;
  let cg: DomainCgroup;
  let qemu: NoOsQemu | undefined;
  let qmp: QmpClient | undefined;

  beforeAll(() => {
    host = HostCgroups.open({ parent, controllers: [MEMORY], optionalControllers: [CPU, CPUACCT] })!;
  });
  afterEach(async () => {
    await qmp?.close();
    await qemu?.dispose();
    qemu = undefined;
  });
  afterAll(async () => {
    for (const p of host.placements) await removeCgroupDir(`${p.root}/${parent}`);
  });

  it('moves the vCPU threads QMP names into vcpuN/ and every other thread into emulator/, in cpu and cpuacct', async () => {
    cg = host.domain(`vm-${randomBytes(2).toString('hex')}`, 'qemu');
    cg.create();
    qemu = await startNoOsQemu({ cgroupDirs: cg.dirs, smp: 2 });
    qmp = await QmpClient.connect(qemu.socket);
    const vcpus = await vcpuThreads(qmp);
    expect([...vcpus.keys()]).toEqual([0, 1]);
    const layout = (await placeQemuThreads(cg, qmp, qemu.proc.pid))!;
    const cpuRoot = host.placements.find((p) => p.spec === CPU)!.root;
    const acctRoot = host.placements.find((p) => p.spec === CPUACCT)!.root;
    for (const root of [cpuRoot, acctRoot]) {
      const dom = `${root}/${cg.relPath}`;
      expect(tids(`${dom}/vcpu0`)).toEqual([vcpus.get(0)]);
      expect(tids(`${dom}/vcpu1`)).toEqual([vcpus.get(1)]);
      const emulator = tids(`${dom}/emulator`);
      expect(emulator).toContain(qemu.proc.pid);
      expect(emulator).not.toContain(vcpus.get(0));
      // Every thread is in one of the groups; none stays at the domain level.
      expect(tids(dom)).toEqual([]);
    }
    // Memory stays whole: the process is in the domain's memory cgroup, which has no children.
    expect(value(cg.path, 'cgroup.procs')).toBe(String(qemu.proc.pid));
    expect(layout.emulator.threads()).toContain(qemu.proc.pid);

    // Each group has its own cpu tunables: a vCPU quota lands in vcpuN/ only.
    layout.vcpus[0]!.tunables(CPU).apply({ quota: 50000n });
    expect(value(`${cpuRoot}/${cg.relPath}/vcpu0`, 'cpu.cfs_quota_us')).toBe('50000');
    expect(value(`${cpuRoot}/${cg.relPath}/vcpu1`, 'cpu.cfs_quota_us')).toBe('-1');
    expect(value(`${cpuRoot}/${cg.relPath}/emulator`, 'cpu.cfs_quota_us')).toBe('-1');
    expect(value(`${cpuRoot}/${cg.relPath}`, 'cpu.cfs_quota_us')).toBe('-1');

    // Removal takes the thread groups first, once QEMU is gone.
    await qmp.close();
    qmp = undefined;
    await qemu.dispose();
    qemu = undefined;
    cg.remove();
    expect(host.placements.map((p) => `${p.root}/${cg.relPath}`).filter((d) => existsSync(d))).toEqual([]);
  });
});
