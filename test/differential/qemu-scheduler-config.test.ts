// Cross-cutting suite (test/differential/): virtune beside libvirt itself, the oracle; not the tests of one src/ file.
/**
 * The shared scheduler path (src/drivers/common/scheduler-apply.ts) against libvirt's own QEMU driver, on an
 * inactive domain of a private libvirtd: the same sequences of setSchedulerParameters calls, the same errors
 * (code, domain, message) and the same persistent definition read back. This holds libvirt's ranges, its order of
 * checks and its config semantics (0 unsets a period or quota, any negative quota is kept, shares are stored as
 * given) to libvirt 9.0, not to anyone's reading of its source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../src/index.js';
import { DomainObject } from '../../src/drivers/common/domain-objects.js';
import { getSchedulerParameters, setSchedulerParameters, type SchedulerContext } from '../../src/drivers/common/scheduler-apply.js';
import { ErrorDomain, VirError } from '../../src/errors.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../../src/flags.js';
import { POSIX_SCHEDULER_PARAM_NAMES } from '../../src/scheduler/params.js';
import { TypedParameterType as T, type TypedParameterInput } from '../../src/typed-params/types.js';
import { domainDef } from '../helpers/domain-def.js';
import { skipUnless } from '../helpers/prereq.js';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../helpers/private-libvirtd.js';
import { assertBuilt, runVirsh, runVirtune } from '../helpers/spawn-cli.js';

const u = (field: string, value: bigint | number): TypedParameterInput => ({ field, type: T.ULLONG, value: BigInt(value) });
const l = (field: string, value: bigint | number): TypedParameterInput => ({ field, type: T.LLONG, value: BigInt(value) });

/** Each case: calls in order on a fresh inactive domain, each [params, flags]; the config is read after each. */
const CASES: Record<string, [TypedParameterInput[], number][]> = {
  'every parameter, then each unset by 0': [
    [[u('cpu_shares', 512), u('vcpu_period', 5000), l('vcpu_quota', 2000), u('emulator_period', 1000000), l('emulator_quota', -1), u('global_period', 1000), l('global_quota', 17592186044415n), u('iothread_period', 4000), l('iothread_quota', -5)], 0],
    [[u('vcpu_period', 0), l('vcpu_quota', 0), u('cpu_shares', 0), l('iothread_quota', 0)], DOMAIN_AFFECT_CONFIG],
  ],
  'shares are stored as given, even where no cgroup would take them': [[[u('cpu_shares', 1)], 0], [[u('cpu_shares', 2n ** 64n - 1n)], 0], [[u('cpu_shares', 300000)], 0]],
  'ranges: below and above, periods and quotas': [
    [[u('vcpu_period', 999)], 0],
    [[u('global_period', 1000001)], 0],
    [[l('emulator_quota', 999)], 0],
    [[l('iothread_quota', 17592186044416n)], 0],
    [[l('vcpu_quota', 1)], 0],
    [[l('global_quota', -9223372036854775808n)], 0],
  ],
  'the first bad value in the caller order wins, and nothing is kept': [
    [[u('cpu_shares', 700), l('global_quota', 5), u('vcpu_period', 1)], 0],
    [[u('vcpu_period', 1), l('global_quota', 5)], 0],
  ],
  'types, duplicates and unknown names': [
    [[l('cpu_shares', 5)], 0],
    [[u('vcpu_quota', 5000)], 0],
    [[u('cpu_shares', 5), u('cpu_shares', 6)], 0],
    [[u('weight', 5)], 0],
    [[{ field: 'vcpu_period', type: T.UINT, value: 5000 }], 0],
  ],
  'flags: LIVE on an inactive domain, LIVE|CONFIG, unknown bits': [
    [[u('cpu_shares', 5)], DOMAIN_AFFECT_LIVE],
    [[u('vcpu_period', 999)], DOMAIN_AFFECT_LIVE],
    [[u('cpu_shares', 5)], DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG],
    [[u('cpu_shares', 5)], 8],
  ],
  // Not compared: an empty list. Through the daemon it arrives as NULL and libvirt's public function refuses it
  // (`params in virDomainSetSchedulerParametersFlags must not be NULL`); a local C caller's empty array is accepted.
};

type Outcome = { ok: [string, string][] } | { error: [number, number, string] };
const asError = (e: unknown): Outcome => {
  if (!(e instanceof VirError)) throw e;
  return { error: [e.code, e.domain, e.message] };
};
const pairs = (ps: { field: string; value: unknown }[]): [string, string][] => ps.map((p) => [p.field, String(p.value)]);

describe.skipIf(skipUnless('root', 'libvirtd', 'qemu', 'unshare', 'virsh'))("the shared scheduler path beside libvirtd's QEMU driver (persistent definition)", () => {
  let daemon: PrivateLibvirtd;
  let conn: Connection;
  beforeAll(async () => {
    daemon = await startPrivateLibvirtd({ qemu: true });
    // The daemon probes QEMU's capabilities on the first open: seconds, more on a busy machine.
    conn = await openConnection(`${daemon.unixURI('qemu:///system')}&connect_timeout=120000&call_timeout=120000`);
  }, 150_000);
  afterAll(async () => {
    await conn?.close();
    await daemon?.stop();
  }, 60_000);

  it.each(Object.entries(CASES))('%s', async (name, calls) => {
    const domName = `vt-sched-${process.pid}-${Object.keys(CASES).indexOf(name)}`;
    const dom = await conn.defineDomainXML(`<domain type='qemu'><name>${domName}</name><memory unit='MiB'>64</memory><vcpu>2</vcpu>
      <os><type arch='x86_64' machine='pc'>hvm</type></os><devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices></domain>`);
    const obj = new DomainObject(domainDef('qemu', { name: domName }));
    const ctx: SchedulerContext = {
      errorDomain: ErrorDomain.QEMU,
      supported: POSIX_SCHEDULER_PARAM_NAMES,
      live: undefined,
      saveLive: async () => {},
      saveConfig: async () => {},
    };
    try {
      for (const [params, flags] of calls) {
        const theirs: Outcome[] = [];
        const ours: Outcome[] = [];
        await dom.setSchedulerParameters(params, flags).then(
          () => theirs.push({ ok: [] }),
          (e: unknown) => theirs.push(asError(e)),
        );
        await setSchedulerParameters(obj, params, flags, ctx, 'qemuDomainSetSchedulerParametersFlags').then(
          () => ours.push({ ok: [] }),
          (e: unknown) => ours.push(asError(e)),
        );
        theirs.push({ ok: pairs(await dom.getSchedulerParameters(DOMAIN_AFFECT_CONFIG)) });
        ours.push({ ok: pairs(getSchedulerParameters(obj, DOMAIN_AFFECT_CONFIG | 4, ctx, 'qemuDomainGetSchedulerParametersFlags')) });
        expect({ params, flags, ours }).toEqual({ params, flags, ours: theirs });
      }
    } finally {
      await dom.undefine();
    }
  }, 120_000);

  it("virsh's schedinfo and virtune's print the same for the posix scheduler's nine parameters", async () => {
    assertBuilt();
    // Two identical domains: virsh tunes one, virtune the other (the daemon keeps what each batch changed).
    const names = ['virsh', 'virtune'].map((tool) => `vt-schedcli-${process.pid}-${tool}`);
    const doms = await Promise.all(
      names.map((n) =>
        conn.defineDomainXML(`<domain type='qemu'><name>${n}</name><memory unit='MiB'>64</memory><vcpu>2</vcpu>
          <os><type arch='x86_64' machine='pc'>hvm</type></os><devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices></domain>`),
      ),
    );
    const batch = (n: string) =>
      [
        `schedinfo ${n}`,
        `schedinfo ${n} --set cpu_shares=-1 --set vcpu_quota=-5 emulator_period=5000`,
        `schedinfo ${n} --config --set vcpu_period=999`,
        `schedinfo ${n} --set vcpu_quota=abc`,
        `schedinfo ${n} --set global_quota=18446744073709551615`,
        `schedinfo ${n} --set cpu_shares=+7 --set iothread_quota=-9223372036854775808`,
        `schedinfo ${n} --weight 5`,
        `schedinfo ${n} --live`,
        `schedinfo ${n} --live --config`,
        `schedinfo ${n} --current --set vcpu_period=0 --set cpu_shares=0`,
      ].join('; ');
    try {
      const uri = daemon.unixURI('qemu:///system');
      const theirs = await runVirsh(['-q', '-c', uri, batch(names[0]!)]);
      const ours = await runVirtune(['-q', '-c', uri, batch(names[1]!)]);
      expect(ours).toEqual(theirs);
      expect(theirs.stdout).toContain('cpu_shares     : 18446744073709551615');
    } finally {
      for (const d of doms) await d.undefine();
    }
  }, 120_000);
});
