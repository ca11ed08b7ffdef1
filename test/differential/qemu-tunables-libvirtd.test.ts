/**
 * libvirtd's own QEMU driver as the oracle for scheduler and blkio tuning (issue 15 item 7): the same guest XML
 * (two vCPUs, TCG) runs under a private libvirtd and under virtune's QEMU driver; the same live `schedinfo` and
 * `blkiotune` commands go to each (`virsh` to the daemon, `virtune` to the embedded root), and each must print the
 * same, fail the same, and leave the same values in the same cgroup files of its guest: the domain's cgroup,
 * `emulator/` and `vcpuN/` in the cpu hierarchy, the weight and throttles in blkio.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../src/index.js';
import { removeCgroupDir } from '../helpers/cgroup-dirs.js';
import { attachLoopDevice, type LoopDevice } from '../helpers/loop-device.js';
import { skipUnless } from '../helpers/prereq.js';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../helpers/private-libvirtd.js';
import { assertBuilt, runVirsh, runVirtune, type CliResult } from '../helpers/spawn-cli.js';

const NAME = `vt-tune-${process.pid}`;
const GUEST = `<domain type='qemu'>
  <name>${NAME}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>2</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>
</domain>`;
const CPU_FILES = ['cpu.shares', 'cpu.cfs_period_us', 'cpu.cfs_quota_us'];
const GROUPS = ['', 'emulator', 'vcpu0', 'vcpu1'];

describe.skipIf(skipUnless('root', 'libvirtd', 'qemu', 'unshare', 'virsh', 'cgroup-v1-memory', 'cgroup-v1-cpu', 'cgroup-v1-blkio', 'loop-device'))(
  "schedinfo and blkiotune against libvirtd's QEMU driver",
  () => {
    const root = mkdtempSync(join(tmpdir(), `vq-tune-${process.pid}-`));
    const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
    const ours = `qemu:///embed?root=${encodeURIComponent(root)}&cgroup_parent=${parent}`;
    let daemon: PrivateLibvirtd;
    let theirs: string;
    let loop: LoopDevice;
    let conn: Connection;

    beforeAll(async () => {
      assertBuilt();
      loop = attachLoopDevice(16 << 20);
      daemon = await startPrivateLibvirtd({ qemu: true });
      theirs = daemon.unixURI('qemu:///system');
      for (const uri of [`${theirs}&connect_timeout=120000&call_timeout=120000`, ours]) {
        const c = await openConnection(uri);
        const dom = await c.defineDomainXML(GUEST);
        await dom.create();
        if (uri === ours) conn = c;
        else await c.close();
      }
    }, 180_000);

    afterAll(async () => {
      for (const uri of [theirs, ours]) {
        if (!uri) continue;
        const c = uri === ours ? conn : await openConnection(uri).catch(() => undefined);
        const dom = await c?.lookupDomainByName(NAME).catch(() => undefined);
        await dom?.destroy().catch(() => undefined);
        await dom?.undefine().catch(() => undefined);
        await c?.close();
      }
      await daemon?.stop();
      loop?.remove();
      for (const h of ['memory', 'cpu', 'cpuacct', 'blkio']) await removeCgroupDir(`/sys/fs/cgroup/${h}/${parent}`);
      rmSync(root, { recursive: true, force: true });
    }, 60_000);

    /** The guest's cgroup directory in hierarchy `h`, for the daemon's guest or ours. */
    function guestCgroup(h: string, side: 'theirs' | 'ours'): string {
      const dir = side === 'theirs' ? `/sys/fs/cgroup/${h}/machine` : `/sys/fs/cgroup/${h}/${parent}`;
      const hit = readdirSync(dir).find((d) => (side === 'theirs' ? d.endsWith(`-${NAME}.libvirt-qemu`) : d.startsWith(`${NAME}.virtune-qemu`)));
      if (!hit) throw new Error(`no ${side} cgroup for ${NAME} in ${dir}`);
      return join(dir, hit);
    }

    /** Every file compared: cpu files of the domain and its thread groups, blkio's weight and write throttle. */
    function cgroupValues(side: 'theirs' | 'ours'): Record<string, string> {
      const out: Record<string, string> = {};
      const cpu = guestCgroup('cpu', side);
      for (const g of GROUPS) {
        for (const f of CPU_FILES) out[`cpu/${g}${g ? '/' : ''}${f}`] = existsSync(join(cpu, g)) ? readFileSync(join(cpu, g, f), 'utf8').trim() : 'missing';
      }
      const blkio = guestCgroup('blkio', side);
      for (const f of ['blkio.bfq.weight', 'blkio.throttle.write_bps_device', 'blkio.throttle.read_iops_device']) {
        out[`blkio/${f}`] = readFileSync(join(blkio, f), 'utf8').trim();
      }
      return out;
    }

    async function both(command: string): Promise<[CliResult, CliResult]> {
      return [await runVirsh(['-q', '-c', theirs, command]), await runVirtune(['-q', '-c', ours, command])];
    }

    it('prints the same and leaves the same cgroup files after each live change', async () => {
      const steps = [
        `schedinfo ${NAME}`,
        `schedinfo ${NAME} --live --set cpu_shares=512`,
        `schedinfo ${NAME} --live --set vcpu_quota=50000`,
        `schedinfo ${NAME} --live --set emulator_period=200000 --set emulator_quota=30000`,
        `schedinfo ${NAME} --live --set global_quota=500000`,
        // Below the vCPUs' quota: the kernel refuses it on v1 (EINVAL), and nothing changes.
        `schedinfo ${NAME} --live --set global_quota=20000`,
        `schedinfo ${NAME} --live --set vcpu_period=50000 --set vcpu_quota=-1`,
        `schedinfo ${NAME} --config`,
        `blkiotune ${NAME}`,
        `blkiotune ${NAME} --live --weight 300`,
        `blkiotune ${NAME} --live --device-write-bytes-sec ${loop.path},1048576 --device-read-iops-sec ${loop.path},40`,
        `blkiotune ${NAME} --live`,
        `blkiotune ${NAME} --live --device-write-bytes-sec ${loop.path},0`,
        `blkiotune ${NAME} --live --device-write-bytes-sec /dev/null,1`,
      ];
      const seen: Record<string, { out: CliResult; files: Record<string, string> }> = {};
      for (const step of steps) {
        const [virsh, virtune] = await both(step);
        expect({ step, ...virtune }).toEqual({ step, ...virsh });
        const files = cgroupValues('ours');
        expect({ step, files }).toEqual({ step, files: cgroupValues('theirs') });
        seen[step] = { out: virtune, files };
      }
      // The sequence did reach the files it names (so the comparison above compared something).
      const after = (i: number): { out: CliResult; files: Record<string, string> } => seen[steps[i]!]!;
      expect(after(2).files['cpu/vcpu1/cpu.cfs_quota_us']).toBe('50000');
      expect(after(3).files['cpu/emulator/cpu.cfs_period_us']).toBe('200000');
      expect(after(4).out.stdout).toContain('global_quota   : 500000');
      expect(after(5).out.stderr).toContain("Invalid value '20000' for 'cpu.cfs_quota_us'");
      expect(after(10).files['blkio/blkio.throttle.write_bps_device']).toMatch(/^\d+:\d+ 1048576$/);
      expect(after(13).out.stderr).toContain("Path '/dev/null' must be a block device");
    }, 240_000);
  },
);
