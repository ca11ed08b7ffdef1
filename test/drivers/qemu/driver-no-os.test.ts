import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runningAttachWarmers } from '../../../src/cgroup/attach-warmer.js';
import type { Domain } from '../../../src/connection/domain.js';
import { hasCapSysResource, memlockCeilingBytes, memlockBytesFor, readMemlock } from '../../../src/drivers/qemu/process.js';
import { QmpClient } from '../../../src/drivers/qemu/qmp-client.js';
import { ErrorCode } from '../../../src/errors.js';
import { DomainEventStoppedDetail, DomainEventType } from '../../../src/events.js';
import {
  DOMAIN_AFFECT_CONFIG,
  DOMAIN_AFFECT_LIVE,
  DOMAIN_XML_INACTIVE,
  DomainShutoffReason,
  DomainState,
} from '../../../src/flags.js';
import { UNLIMITED } from '../../../src/memory/params.js';
import { ull } from '../../helpers/typed-param.js';
import { skipUnless } from '../../helpers/prereq.js';
import { findLeftovers } from '../../helpers/leftovers.js';
import { eventually } from '../../helpers/eventually.js';
import { qemuEnvPerTest } from './helpers/env-per-test.js';
import { type QemuTestEnv, noOsXML } from './helpers/env.js';

const UUID = '8f0e3b7a-4c1d-4e5f-9a6b-1c2d3e4f5a6b';
const UUID2 = '8f0e3b7a-4c1d-4e5f-9a6b-1c2d3e4f5a6c';
const MiB = 1024n;

/** The pid of the running domain, from its status file (what a later process reconnects by). */
function statusOf(env: QemuTestEnv, name: string): { pid: number; monitorSocket: string } {
  return JSON.parse(readFileSync(join(env.root, 'run', 'qemu', `${name}.json`), 'utf8')) as { pid: number; monitorSocket: string };
}

function cgroupBytes(env: QemuTestEnv, name: string, file: string): bigint {
  return BigInt(readFileSync(join(env.domainCgroup(name), file), 'utf8').trim());
}

/**
 * RLIMIT_MEMLOCK QEMU should have for a hard limit of `kib`: both limits `kib << 10` with CAP_SYS_RESOURCE (as
 * libvirt); without it (this sandbox) the soft limit held to our own hard limit, and the hard limit inherited.
 */
async function expectedMemlock(kib: bigint): Promise<string[]> {
  const bytes = memlockBytesFor(kib, memlockCeilingBytes()).toString();
  return hasCapSysResource() ? [bytes, bytes] : [bytes, (await readMemlock(process.pid))[1]];
}

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    return false;
  }
}

describe.skipIf(skipUnless('root', 'qemu', 'cgroup-v1-memory'))('QEMU driver with a no-OS guest', () => {
  const qemu = qemuEnvPerTest('&shutdown_acpi_ms=200');

  async function startGuest(memtune = ''): Promise<Domain> {
    const dom = await qemu.conn.defineDomainXML(noOsXML('vm1', UUID, { memtune }));
    await dom.create();
    // The start kept the cgroup attach path warm until its threads were placed, and no longer.
    expect(runningAttachWarmers()).toBe(0);
    return dom;
  }

  it('defines a domain with a default virtio balloon and saves it', async () => {
    const dom = await qemu.conn.defineDomainXML(noOsXML('vm1', UUID, { balloon: '' }));
    expect(await dom.isActive()).toBe(false);
    expect(await dom.getXMLDesc()).toContain("<memballoon model='virtio'/>");
    expect(readFileSync(join(qemu.env.root, 'etc', 'qemu', 'vm1.xml'), 'utf8')).toBe(await dom.getXMLDesc(DOMAIN_XML_INACTIVE));
    expect((await qemu.conn.listAllDomains()).map((d) => d.name)).toEqual(['vm1']);
    await dom.undefine();
    expect(existsSync(join(qemu.env.root, 'etc', 'qemu', 'vm1.xml'))).toBe(false);
    await expect(qemu.conn.lookupDomainByName('vm1')).rejects.toMatchObject({ code: ErrorCode.NO_DOMAIN });
  });

  describe('min_guarantee (libvirt QEMU refuses it; virtune honours it by admission control)', () => {
    const GiB = 1024n * MiB;
    const guaranteeXML = (mib: number): string => `<memtune><min_guarantee unit='MiB'>${mib}</min_guarantee></memtune>`;
    /** Holds the test's own cgroup parent to `kib`: what admission must fit every guarantee under. */
    function limitParent(kib: bigint): void {
      if (!existsSync(qemu.env.cgroupDir)) mkdirSync(qemu.env.cgroupDir);
      writeFileSync(join(qemu.env.cgroupDir, 'memory.limit_in_bytes'), String(kib * 1024n));
    }
    const statusFile = (name: string): string => join(qemu.env.root, 'run', 'qemu', `${name}.json`);
    const guaranteeOf = async (dom: Domain, flags: number): Promise<bigint | undefined> =>
      (await dom.getMemoryParameters(flags)).find((p) => p.field === 'min_guarantee')?.value as bigint | undefined;

    it('defines a guest with min_guarantee, reports it as an extension, and sets it in config', async () => {
      const dom = await qemu.conn.defineDomainXML(noOsXML('vm1', UUID, { memtune: guaranteeXML(64) }));
      expect(await dom.getXMLDesc(DOMAIN_XML_INACTIVE)).toContain("<min_guarantee unit='KiB'>65536</min_guarantee>");
      expect(await dom.getMemoryParameterCount()).toBe(4);
      expect((await dom.getMemoryParameters()).map((p) => p.field)).toEqual(['hard_limit', 'soft_limit', 'swap_hard_limit', 'min_guarantee']);
      await dom.setMemoryParameters([ull('min_guarantee', 32n * MiB)], DOMAIN_AFFECT_CONFIG);
      expect(await guaranteeOf(dom, DOMAIN_AFFECT_CONFIG)).toBe(BigInt(32n * MiB));
      expect(readFileSync(join(qemu.env.root, 'etc', 'qemu', 'vm1.xml'), 'utf8')).toContain("<min_guarantee unit='KiB'>32768</min_guarantee>");
      // 0 is "no guarantee": it is no longer reported, and the count drops back to libvirt's three.
      await dom.setMemoryParameters([ull('min_guarantee', 0n)], DOMAIN_AFFECT_CONFIG);
      expect(await dom.getMemoryParameterCount()).toBe(3);
      expect(await dom.getXMLDesc(DOMAIN_XML_INACTIVE)).not.toContain('min_guarantee');
      // swap_soft_limit stays a cgroup v2 parameter.
      await expect(dom.setMemoryParameters([ull('swap_soft_limit', 1n)], DOMAIN_AFFECT_CONFIG)).rejects.toMatchObject({
        code: ErrorCode.ARGUMENT_UNSUPPORTED,
      });
    });

    it('refuses a start the parent cgroup cannot cover, leaving no process, socket, cgroup or status', async () => {
      limitParent(GiB);
      const dom = await qemu.conn.defineDomainXML(noOsXML('vm1', UUID, { memtune: guaranteeXML(2048) }));
      await expect(dom.create()).rejects.toMatchObject({
        code: ErrorCode.OPERATION_FAILED,
        message: `operation failed: cannot guarantee ${2n * GiB} KiB to domain 'vm1': guarantees would total ${2n * GiB} KiB, above the limit of ${GiB} KiB of cgroup '${qemu.env.cgroupParent}'`,
      });
      expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.UNKNOWN });
      expect(findLeftovers({ cgroupDir: qemu.env.cgroupDir, mentionedBy: qemu.env.root, socketsUnder: qemu.env.root })).toEqual([]);
      expect(readdirSync(qemu.env.cgroupDir)).not.toContainEqual(expect.stringMatching(/^vm1\.virtune-qemu/));
      expect(existsSync(statusFile('vm1'))).toBe(false);
      // A transient guest refused the same way is not kept either.
      await expect(qemu.conn.createDomainXML(noOsXML('vm2', UUID2, { memtune: guaranteeXML(2048) }))).rejects.toMatchObject({
        code: ErrorCode.OPERATION_FAILED,
      });
      await expect(qemu.conn.lookupDomainByName('vm2')).rejects.toMatchObject({ code: ErrorCode.NO_DOMAIN });
      expect(findLeftovers({ cgroupDir: qemu.env.cgroupDir, mentionedBy: qemu.env.root, socketsUnder: qemu.env.root })).toEqual([]);
    });

    it('admits only one of two concurrent starts whose guarantees together do not fit', async () => {
      limitParent(GiB);
      const doms = await Promise.all([
        qemu.conn.defineDomainXML(noOsXML('vm1', UUID, { memtune: guaranteeXML(600) })),
        qemu.conn.defineDomainXML(noOsXML('vm2', UUID2, { memtune: guaranteeXML(600) })),
      ]);
      const results = await Promise.allSettled(doms.map((d) => d.create()));
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
      expect(refused.reason).toMatchObject({ code: ErrorCode.OPERATION_FAILED });
      expect((refused.reason as Error).message).toMatch(/guarantees would total 1228800 KiB, above the limit of 1048576 KiB/);
      expect((await Promise.all(doms.map((d) => d.isActive()))).filter(Boolean)).toHaveLength(1);
    });

    it('starts when the guarantees fit, counts the running guest against the next, and admits live raises the same way', async () => {
      limitParent(GiB);
      const dom = await startGuest(guaranteeXML(512));
      expect(await dom.getState()).toEqual({ state: DomainState.RUNNING, reason: 1 });
      expect(await guaranteeOf(dom, DOMAIN_AFFECT_LIVE)).toBe(BigInt(512n * MiB));
      expect(await dom.getMemoryParameterCount(DOMAIN_AFFECT_LIVE)).toBe(4);

      // 512 MiB held by vm1 + 600 MiB > 1 GiB: vm2 is refused before anything of it exists.
      const dom2 = await qemu.conn.defineDomainXML(noOsXML('vm2', UUID2, { memtune: guaranteeXML(600) }));
      await expect(dom2.create()).rejects.toThrow(
        `cannot guarantee ${600n * MiB} KiB to domain 'vm2': guarantees would total ${1112n * MiB} KiB, above the limit of ${GiB} KiB`,
      );
      expect(await dom2.isActive()).toBe(false);
      expect(existsSync(statusFile('vm2'))).toBe(false);

      // A live raise past what the parent can cover is refused and changes nothing: definition, status, event.
      const statusBefore = readFileSync(statusFile('vm1'), 'utf8');
      const eventsBefore = qemu.env.events.length;
      await expect(dom.setMemoryParameters([ull('min_guarantee', 2n * GiB)], DOMAIN_AFFECT_LIVE)).rejects.toMatchObject({
        code: ErrorCode.OPERATION_FAILED,
        message: `operation failed: cannot guarantee ${2n * GiB} KiB to domain 'vm1': guarantees would total ${2n * GiB} KiB, above the limit of ${GiB} KiB of cgroup '${qemu.env.cgroupParent}'`,
      });
      // Refused together with another parameter: neither is applied.
      await expect(
        dom.setMemoryParameters([ull('hard_limit', 900n * MiB), ull('min_guarantee', 2n * GiB)], DOMAIN_AFFECT_LIVE),
      ).rejects.toMatchObject({ code: ErrorCode.OPERATION_FAILED });
      expect(await guaranteeOf(dom, DOMAIN_AFFECT_LIVE)).toBe(BigInt(512n * MiB));
      expect(cgroupBytes(qemu.env, 'vm1', 'memory.limit_in_bytes')).toBe(9223372036854771712n);
      expect(readFileSync(statusFile('vm1'), 'utf8')).toBe(statusBefore);
      expect(qemu.env.events.length).toBe(eventsBefore);

      // A raise that fits is applied live only, saved in the status record and announced.
      await dom.setMemoryParameters([ull('min_guarantee', 768n * MiB)], DOMAIN_AFFECT_LIVE);
      expect(await guaranteeOf(dom, DOMAIN_AFFECT_LIVE)).toBe(BigInt(768n * MiB));
      expect(await guaranteeOf(dom, DOMAIN_AFFECT_CONFIG)).toBe(BigInt(512n * MiB));
      expect(readFileSync(statusFile('vm1'), 'utf8')).toContain('786432');
      expect(qemu.env.events.at(-1)).toMatchObject({ kind: 'tunable', params: [ull('min_guarantee', 768n * MiB)] });
      // Lowering is never refused, even past what the parent would now allow a newcomer.
      limitParent(400n * MiB);
      await dom.setMemoryParameters([ull('min_guarantee', 300n * MiB)], 0);
      expect(await guaranteeOf(dom, DOMAIN_AFFECT_LIVE)).toBe(BigInt(300n * MiB));
      await dom.setMemoryParameters([ull('min_guarantee', 0n)], DOMAIN_AFFECT_LIVE);
      expect(await dom.getMemoryParameterCount(DOMAIN_AFFECT_LIVE)).toBe(3);
    });
  });

  it('starts QEMU named after the guest inside its cgroup with memtune and memlock applied', async () => {
    const dom = await startGuest(
      "<memtune><hard_limit unit='MiB'>512</hard_limit><soft_limit unit='KiB'>262145</soft_limit></memtune>",
    );
    const { pid } = statusOf(qemu.env, 'vm1');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toContain('guest=vm1');
    expect(readFileSync(join(qemu.env.domainCgroup('vm1'), 'cgroup.procs'), 'utf8').split('\n')).toContain(String(pid));
    // In the cgroup before exec: v1 never moves charges with a task, so every anonymous page QEMU has is charged
    // to the domain cgroup only if QEMU was already there when it touched it.
    const rssAnonKiB = Number(/^RssAnon:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
    const chargedAnon = /^rss (\d+)$/m.exec(readFileSync(join(qemu.env.domainCgroup('vm1'), 'memory.stat'), 'utf8'))![1]!;
    expect(Number(BigInt(chargedAnon) >> 10n)).toBeGreaterThanOrEqual(rssAnonKiB * 0.95);
    // libvirt writes KiB << 10; the kernel rounds down to a page (262145 KiB -> 262144 KiB).
    expect(cgroupBytes(qemu.env, 'vm1', 'memory.limit_in_bytes')).toBe(512n * 1024n * 1024n);
    expect(cgroupBytes(qemu.env, 'vm1', 'memory.soft_limit_in_bytes')).toBe(262144n * 1024n);
    expect(await readMemlock(pid)).toEqual(await expectedMemlock(512n * MiB));
    expect(await dom.getState()).toEqual({ state: DomainState.RUNNING, reason: 1 });
    expect(await dom.getInfo()).toMatchObject({ state: DomainState.RUNNING, maxMem: 128n * MiB, memory: 128n * MiB, nrVirtCpu: 1 });
    expect(await dom.getXMLDesc()).toMatch(/^<domain type='qemu' id='1'>/);
  });

  it('changes memtune live and in config, and memlock follows the live hard limit', async () => {
    const dom = await startGuest();
    const { pid } = statusOf(qemu.env, 'vm1');
    const inherited = await readMemlock(pid);
    await dom.setMemoryParameters([ull('hard_limit', 300n * MiB), ull('swap_hard_limit', 400n * MiB)], DOMAIN_AFFECT_LIVE);
    expect(cgroupBytes(qemu.env, 'vm1', 'memory.limit_in_bytes')).toBe(300n << 20n);
    expect(cgroupBytes(qemu.env, 'vm1', 'memory.memsw.limit_in_bytes')).toBe(400n << 20n);
    expect(await readMemlock(pid)).toEqual(await expectedMemlock(300n * MiB));
    expect(await dom.getMemoryParameters(DOMAIN_AFFECT_LIVE)).toEqual([
      ull('hard_limit', 300n * MiB),
      ull('soft_limit', UNLIMITED),
      ull('swap_hard_limit', 400n * MiB),
    ]);
    // The persistent definition is untouched by a live change.
    expect((await dom.getMemoryParameters(DOMAIN_AFFECT_CONFIG))[0]).toEqual(ull('hard_limit', UNLIMITED));
    expect(qemu.env.events.some((e) => e.kind === 'tunable')).toBe(true);

    await dom.setMemoryParameters([ull('swap_hard_limit', UNLIMITED), ull('hard_limit', UNLIMITED)], DOMAIN_AFFECT_LIVE);
    expect(cgroupBytes(qemu.env, 'vm1', 'memory.limit_in_bytes')).toBe(9223372036854771712n);
    expect(await readMemlock(pid)).toEqual(inherited);

    await dom.setMemoryParameters([ull('soft_limit', 100n * MiB)], DOMAIN_AFFECT_CONFIG);
    expect(await dom.getXMLDesc(DOMAIN_XML_INACTIVE)).toContain("<soft_limit unit='KiB'>102400</soft_limit>");
    expect(cgroupBytes(qemu.env, 'vm1', 'memory.soft_limit_in_bytes')).toBe(9223372036854771712n);
  });

  it('refuses a live hard limit above swap_hard_limit and leaves the cgroup as it was', async () => {
    const dom = await startGuest("<memtune><hard_limit unit='MiB'>256</hard_limit><swap_hard_limit unit='MiB'>300</swap_hard_limit></memtune>");
    await expect(dom.setMemoryParameters([ull('hard_limit', 400n * MiB)], DOMAIN_AFFECT_LIVE)).rejects.toMatchObject({
      code: ErrorCode.INVALID_ARG,
      message: 'invalid argument: memory hard_limit tunable value must be lower than or equal to swap_hard_limit',
    });
    expect(cgroupBytes(qemu.env, 'vm1', 'memory.limit_in_bytes')).toBe(256n << 20n);
    await expect(dom.setMemoryParameters([ull('swap_soft_limit', 1n)], 0)).rejects.toMatchObject({ code: ErrorCode.ARGUMENT_UNSUPPORTED });
  });

  it('moves the balloon target live and currentMemory in config', async () => {
    const dom = await qemu.conn.defineDomainXML(noOsXML('vm1', UUID, { balloon: "<memballoon model='virtio'><stats period='5'/></memballoon>" }));
    await dom.create();
    expect(await dom.getXMLDesc()).toContain("<stats period='5'/>");
    await dom.setMemory(64n * MiB, DOMAIN_AFFECT_CONFIG);
    expect(await dom.getXMLDesc(DOMAIN_XML_INACTIVE)).toContain("<currentMemory unit='KiB'>65536</currentMemory>");
    // A guest without a balloon driver accepts the target and never moves.
    await dom.setMemory(64n * MiB, DOMAIN_AFFECT_LIVE);
    expect((await dom.getInfo()).memory).toBe(128n * MiB);
    await expect(dom.setMemory(256n * MiB, DOMAIN_AFFECT_LIVE)).rejects.toMatchObject({
      code: ErrorCode.INVALID_ARG,
      message: 'invalid argument: cannot set memory higher than max memory',
    });
    await expect(dom.setMaxMemory(256n * MiB, DOMAIN_AFFECT_LIVE)).rejects.toMatchObject({ code: ErrorCode.OPERATION_INVALID });
  });

  it('refuses live memory changes without a balloon device', async () => {
    const dom = await qemu.conn.defineDomainXML(noOsXML('vm1', UUID, { balloon: "<memballoon model='none'/>" }));
    await dom.create();
    await expect(dom.setMemory(64n * MiB, DOMAIN_AFFECT_LIVE)).rejects.toMatchObject({ code: ErrorCode.OPERATION_INVALID });
    await expect(dom.reclaimMemory(64n * MiB)).rejects.toMatchObject({
      message: 'Requested operation is not valid: Unable to change memory of active domain without the balloon device and guest OS balloon driver',
    });
  });

  it('reclaims nothing from a non-cooperating guest unless told to enforce', async () => {
    const dom = await startGuest("<memtune><hard_limit unit='MiB'>1024</hard_limit></memtune>");
    const r = await dom.reclaimMemory(64n * MiB, { timeoutMs: 300 });
    expect(r).toMatchObject({ path: 'none', targetKiB: 64n * MiB });
    expect(r.before.balloonKiB).toBe(128n * MiB);
    expect(r.after.balloonKiB).toBe(128n * MiB);
    expect(r.after.hardLimitKiB).toBe(1024n * MiB);
    expect(cgroupBytes(qemu.env, 'vm1', 'memory.limit_in_bytes')).toBe(1024n << 20n);
  });

  it('enforces the target with the hard limit when the balloon does not move', async () => {
    const dom = await startGuest();
    const r = await dom.reclaimMemory(64n * MiB, { timeoutMs: 300, enforce: true });
    expect(r.path).toBe('cgroup');
    expect(r.before.hardLimitKiB).toBe(UNLIMITED);
    const overhead = r.after.hardLimitKiB - 64n * MiB;
    // QEMU's measured overhead: more than nothing, less than the guest itself.
    expect(overhead).toBeGreaterThan(0n);
    expect(overhead).toBeLessThan(128n * MiB);
    expect(r.after.hardLimitKiB % 4n).toBe(0n);
    expect(cgroupBytes(qemu.env, 'vm1', 'memory.limit_in_bytes')).toBe(BigInt(r.after.hardLimitKiB) << 10n);
    expect((await dom.getMemoryParameters(DOMAIN_AFFECT_LIVE))[0]).toEqual(ull('hard_limit', r.after.hardLimitKiB));
    expect(await dom.isActive()).toBe(true);
    await expect(dom.reclaimMemory(0)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARG });
    await expect(dom.reclaimMemory(512n * MiB)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARG });
  });

  it('destroys QEMU and leaves no process, socket, cgroup or status file', async () => {
    const dom = await startGuest();
    const { pid, monitorSocket } = statusOf(qemu.env, 'vm1');
    const cg = qemu.env.domainCgroup('vm1');
    await dom.destroy();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(monitorSocket)).toBe(false);
    expect(existsSync(cg)).toBe(false);
    expect(existsSync(join(qemu.env.root, 'run', 'qemu', 'vm1.json'))).toBe(false);
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.DESTROYED });
    expect(qemu.env.events.at(-1)).toMatchObject({ kind: 'lifecycle', event: DomainEventType.STOPPED, detail: DomainEventStoppedDetail.DESTROYED });
    await expect(dom.destroy()).rejects.toMatchObject({ code: ErrorCode.OPERATION_INVALID });
    // Undefine removes everything of the domain, its logs included (issue 11 item 5).
    const ofVm1 = (): string[] =>
      readdirSync(qemu.env.root, { recursive: true, withFileTypes: true }).filter((d) => !d.isDirectory() && d.name.startsWith('vm1.')).map((d) => d.name).sort();
    expect(ofVm1()).toEqual(expect.arrayContaining(['vm1.log', 'vm1.xml']));
    await dom.undefine();
    expect(ofVm1()).toEqual([]);
  });

  it('shuts down a guest that ignores ACPI by asking QEMU to quit', async () => {
    const dom = await startGuest();
    const { pid } = statusOf(qemu.env, 'vm1');
    await dom.shutdown();
    expect(isAlive(pid)).toBe(false);
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.SHUTDOWN });
    expect(existsSync(join(qemu.env.root, 'run', 'qemu', 'vm1.json'))).toBe(false);
  });

  it('reports a QEMU killed behind its back as crashed', async () => {
    await startGuest();
    const { pid } = statusOf(qemu.env, 'vm1');
    process.kill(pid, 'SIGKILL');
    const stopped = await eventually(() =>
      qemu.env.events.find((e) => e.kind === 'lifecycle' && e.event === DomainEventType.STOPPED),
    );
    expect(stopped).toMatchObject({ detail: DomainEventStoppedDetail.FAILED });
    const dom = await qemu.conn.lookupDomainByName('vm1');
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.CRASHED });
    expect(() => qemu.env.domainCgroup('vm1')).toThrow();
    expect(existsSync(join(qemu.env.root, 'run', 'qemu', 'vm1.json'))).toBe(false);
  });

  it('reconnects to a running guest from a later connection and notices one that died meanwhile', async () => {
    const dom = await startGuest();
    await dom.setMemoryParameters([ull('hard_limit', 700n * MiB)], DOMAIN_AFFECT_LIVE);
    const { pid } = statusOf(qemu.env, 'vm1');
    await qemu.conn.close();
    expect(isAlive(pid)).toBe(true);

    const again = await qemu.env.open();
    const dom2 = await again.lookupDomainByName('vm1');
    expect(await dom2.isActive()).toBe(true);
    expect(dom2.id).toBe(1);
    expect((await dom2.getInfo()).memory).toBe(128n * MiB);
    expect((await dom2.getMemoryParameters())[0]).toEqual(ull('hard_limit', 700n * MiB));
    // The restored id is taken: a guest started after the reconnect gets the next one.
    const dom4 = await again.createDomainXML(noOsXML('vm2', UUID2));
    expect(dom4.id).toBe(2);
    await dom4.destroy();
    await again.close();

    process.kill(pid, 'SIGKILL');
    await eventually(() => (isAlive(pid) ? undefined : true));
    const third = await qemu.env.open();
    const dom3 = await third.lookupDomainByName('vm1');
    expect(await dom3.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.CRASHED });
    expect(existsSync(join(qemu.env.root, 'run', 'qemu', 'vm1.json'))).toBe(false);
    expect(() => qemu.env.domainCgroup('vm1')).toThrow();
  });

  it('works without the monitor while another client holds it, and notices when QEMU dies meanwhile', async () => {
    await startGuest();
    const { pid, monitorSocket } = statusOf(qemu.env, 'vm1');
    await qemu.conn.close();
    // Stands for another process: QMP serves one client per socket.
    const holder = await QmpClient.connect(monitorSocket);
    try {
      const later = await qemu.env.open();
      const dom = await later.lookupDomainByName('vm1');
      expect(await dom.isActive()).toBe(true);
      await expect(dom.getInfo()).rejects.toMatchObject({ code: ErrorCode.OPERATION_FAILED });
      process.kill(pid, 'SIGKILL');
      await eventually(() => (isAlive(pid) ? undefined : true));
      await expect(dom.getInfo()).rejects.toMatchObject({
        message: 'Requested operation is not valid: domain is not running',
      });
      expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.CRASHED });
      expect(() => qemu.env.domainCgroup('vm1')).toThrow();
    } finally {
      await holder.close();
    }
  });

  it('shares one monitor between two connections of the same process', async () => {
    const dom = await startGuest();
    const other = await qemu.env.open();
    const dom2 = await other.lookupDomainByName('vm1');
    expect((await dom2.getInfo()).memory).toBe(128n * MiB);
    await other.close();
    expect((await dom.getInfo()).memory).toBe(128n * MiB);
  });

  it("says why QEMU refused to start and leaves nothing behind", async () => {
    const xml = noOsXML('vm1', UUID).replace("machine='microvm'", "machine='no-such-machine'");
    const dom = await qemu.conn.defineDomainXML(xml);
    const err = await dom.create().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.INTERNAL_ERROR });
    expect((err as Error).message).toMatch(/^internal error: process exited while connecting to monitor: .*unsupported machine type/s);
    expect(await dom.isActive()).toBe(false);
    expect(() => qemu.env.domainCgroup('vm1')).toThrow();
    expect(existsSync(join(qemu.env.root, 'run', 'qemu', 'vm1.json'))).toBe(false);
    // The start kept the cgroup attach path warm from the cgroup's creation; a failed start ends that too.
    expect(runningAttachWarmers()).toBe(0);
  });

  it('runs a transient domain that disappears when it stops', async () => {
    const dom = await qemu.conn.createDomainXML(noOsXML('tvm', UUID));
    expect(await dom.isPersistent()).toBe(false);
    await expect(dom.setMemoryParameters([ull('hard_limit', 1n)], DOMAIN_AFFECT_CONFIG)).rejects.toMatchObject({
      message: 'Requested operation is not valid: transient domains do not have any persistent config',
    });
    await dom.destroy();
    await expect(qemu.conn.lookupDomainByName('tvm')).rejects.toMatchObject({ code: ErrorCode.NO_DOMAIN });
  });
});
