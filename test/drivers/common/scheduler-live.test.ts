/**
 * The scheduler entries of the LXC and QEMU drivers on real cgroups: a start writes <cputune> where libvirt puts
 * it, LIVE writes the files all or nothing, CONFIG changes only the persistent definition, CURRENT resolves by
 * state, and the getters read the files back.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../src/connection/connection.js';
import { ErrorCode } from '../../../src/errors.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE, DOMAIN_XML_INACTIVE } from '../../../src/flags.js';
import { typedParamsToRecord } from '../../../src/typed-params/helpers.js';
import { TypedParameterType } from '../../../src/typed-params/types.js';
import { parentDirs, removeCgroupDir } from '../../helpers/cgroup-dirs.js';
import { assertNoLeftovers, findLeftovers } from '../../helpers/leftovers.js';
import { skipUnless } from '../../helpers/prereq.js';
import { rejection } from '../../helpers/vir-error.js';

const ULL = TypedParameterType.ULLONG;
const LL = TypedParameterType.LLONG;

/**
 * A private root of `driver` with a unique cgroup parent, and a connection to it, for the calling describe block;
 * after it the connection is closed, and the root and cgroups removed and checked for leftovers. Read `conn` inside
 * tests only.
 */
function privateDriver(driver: 'lxc' | 'qemu'): { parent: string; conn: Connection } {
  const root = mkdtempSync(join(tmpdir(), `virtune-sched-${process.pid}-`));
  const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  const env = { parent } as { parent: string; conn: Connection };
  beforeAll(async () => {
    env.conn = await openConnection(`${driver}:///embed?root=${encodeURIComponent(root)}&cgroup_parent=${parent}`);
  });
  afterAll(async () => {
    await env.conn?.close();
    const leftovers = findLeftovers({ cgroupDirs: parentDirs(parent), socketsUnder: root });
    for (const dir of parentDirs(parent)) await removeCgroupDir(dir);
    rmSync(root, { recursive: true, force: true });
    assertNoLeftovers(leftovers, `the ${driver} driver`);
  });
  return env;
}

/** The cpu hierarchy's directory of domain `name` under `parent`. */
function cpuDir(parent: string, name: string): string {
  const dir = `/sys/fs/cgroup/cpu/${parent}`;
  return join(dir, readdirSync(dir).find((d) => d.startsWith(`${name}.virtune-`))!);
}

const cpuFiles = (dir: string): string[] => ['cpu.shares', 'cpu.cfs_period_us', 'cpu.cfs_quota_us'].map((f) => readFileSync(join(dir, f), 'utf8').trim());

describe.skipIf(skipUnless('root', 'cgroup-v1-memory', 'cgroup-v1-cpu', 'cgroup-v1-cpuacct', 'unshare'))('LXC scheduler parameters on real cgroups', () => {
  const env = privateDriver('lxc');

  it('starts with <cputune> in the container cgroup, changes it live all or nothing, and reads it back', async () => {
    const dom = await env.conn.defineDomainXML(`<domain type='lxc'><name>ct</name><memory unit='MiB'>128</memory>
      <cputune><shares>2048</shares><period>50000</period><quota>20000</quota></cputune>
      <os><type>exe</type><init>/bin/sh</init><initarg>-c</initarg><initarg>exec sleep 600</initarg></os></domain>`);
    expect(await dom.getSchedulerType()).toEqual({ type: 'posix', nparams: 3 });
    await dom.create();
    const dir = cpuDir(env.parent, 'ct');
    expect(cpuFiles(dir)).toEqual(['2048', '50000', '20000']);
    expect(typedParamsToRecord(await dom.getSchedulerParameters(DOMAIN_AFFECT_LIVE))).toEqual({ cpu_shares: 2048n, vcpu_period: 50000n, vcpu_quota: 20000n });

    await dom.setSchedulerParameters([{ field: 'cpu_shares', type: ULL, value: 300n }, { field: 'vcpu_quota', type: LL, value: -1n }], DOMAIN_AFFECT_LIVE);
    expect(cpuFiles(dir)).toEqual(['300', '50000', '-1']);
    // The persistent definition is untouched by a live change.
    expect(typedParamsToRecord(await dom.getSchedulerParameters(DOMAIN_AFFECT_CONFIG))).toEqual({ cpu_shares: 2048n, vcpu_period: 50000n, vcpu_quota: 20000n });

    // All or nothing: shares are refused by their range before the quota is written, and nothing changes.
    const err = await rejection(dom.setSchedulerParameters([{ field: 'vcpu_quota', type: LL, value: 30000n }, { field: 'cpu_shares', type: ULL, value: 1n }], DOMAIN_AFFECT_LIVE));
    expect([err.code, err.message]).toEqual([ErrorCode.INVALID_ARG, "invalid argument: shares '1' must be in range [2, 262144]"]);
    expect(cpuFiles(dir)).toEqual(['300', '50000', '-1']);
    // LXC takes only shares and the container's bandwidth.
    expect((await rejection(dom.setSchedulerParameters([{ field: 'emulator_quota', type: LL, value: 5000n }], DOMAIN_AFFECT_LIVE))).code).toBe(ErrorCode.ARGUMENT_UNSUPPORTED);

    // CONFIG alone: the files stay, the next start takes it.
    await dom.setSchedulerParameters([{ field: 'vcpu_period', type: ULL, value: 20000n }], DOMAIN_AFFECT_CONFIG);
    expect(cpuFiles(dir)).toEqual(['300', '50000', '-1']);
    expect(await dom.getXMLDesc(DOMAIN_XML_INACTIVE)).toContain('<period>20000</period>');
    await dom.destroy();
    // CURRENT on an inactive domain is CONFIG.
    await dom.setSchedulerParameters([{ field: 'cpu_shares', type: ULL, value: 700n }]);
    await dom.create();
    expect(cpuFiles(cpuDir(env.parent, 'ct'))).toEqual(['700', '20000', '20000']);
    await dom.destroy();
    await dom.undefine();
  });
});

describe.skipIf(skipUnless('root', 'qemu', 'cgroup-v1-memory', 'cgroup-v1-cpu', 'cgroup-v1-cpuacct'))("QEMU scheduler parameters on libvirt's layout", () => {
  const env = privateDriver('qemu');

  it('puts <cputune> into the domain, emulator/ and vcpuN/ at start and live, and reads each back', async () => {
    const dom = await env.conn.defineDomainXML(`<domain type='qemu'><name>vm</name><memory unit='MiB'>128</memory><vcpu>2</vcpu>
      <cputune><shares>2048</shares><period>50000</period><quota>20000</quota><emulator_quota>30000</emulator_quota></cputune>
      <os><type machine='microvm'>hvm</type></os><devices><memballoon model='virtio'/></devices></domain>`);
    await dom.create();
    const dir = cpuDir(env.parent, 'vm');
    const layout = (): Record<string, string[]> => Object.fromEntries(['', 'emulator', 'vcpu0', 'vcpu1'].map((g) => [g || 'domain', cpuFiles(join(dir, g))]));
    expect(layout()).toEqual({
      domain: ['2048', '100000', '-1'],
      emulator: ['1024', '100000', '30000'],
      vcpu0: ['1024', '50000', '20000'],
      vcpu1: ['1024', '50000', '20000'],
    });
    expect(await dom.getSchedulerType()).toEqual({ type: 'posix', nparams: 9 });

    await dom.setSchedulerParameters([{ field: 'global_quota', type: LL, value: 500000n }, { field: 'vcpu_quota', type: LL, value: 10000n }], DOMAIN_AFFECT_LIVE);
    // A global quota below the vCPUs' is refused by the kernel (v1), after the shares went in: both undone.
    const err = await rejection(
      dom.setSchedulerParameters([{ field: 'cpu_shares', type: ULL, value: 999n }, { field: 'global_quota', type: LL, value: 5000n }], DOMAIN_AFFECT_LIVE),
    );
    expect([err.code, err.message]).toEqual([ErrorCode.SYSTEM_ERROR, "Invalid value '5000' for 'cpu.cfs_quota_us': Invalid argument"]);
    expect(layout()).toEqual({
      domain: ['2048', '100000', '500000'],
      emulator: ['1024', '100000', '30000'],
      vcpu0: ['1024', '50000', '10000'],
      vcpu1: ['1024', '50000', '10000'],
    });
    expect(typedParamsToRecord(await dom.getSchedulerParameters(DOMAIN_AFFECT_LIVE))).toEqual({
      cpu_shares: 2048n,
      vcpu_period: 50000n,
      vcpu_quota: 10000n,
      emulator_period: 100000n,
      emulator_quota: 30000n,
      global_period: 100000n,
      global_quota: 500000n,
      // No I/O threads: libvirt reports the domain's own bandwidth.
      iothread_period: 100000n,
      iothread_quota: 500000n,
    });
    await dom.destroy();
    await dom.undefine();
  }, 60_000);
});
