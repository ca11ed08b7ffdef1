import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../src/connection/connection.js';
import type { Domain } from '../../../src/connection/domain.js';
import { ErrorCode, VirError } from '../../../src/errors.js';
import { DomainEventStoppedDetail, DomainEventType, type DomainEvent } from '../../../src/events.js';
import {
  CONNECT_LIST_DOMAINS_ACTIVE,
  CONNECT_LIST_DOMAINS_INACTIVE,
  DOMAIN_AFFECT_CONFIG,
  DOMAIN_AFFECT_LIVE,
  DOMAIN_XML_INACTIVE,
  DomainRunningReason,
  DomainShutoffReason,
  DomainState,
} from '../../../src/flags.js';
import { UNLIMITED } from '../../../src/memory/params.js';
import { typedParamsToRecord, ullong } from '../../../src/typed-params/helpers.js';
import { isSameProcess, processStartTime } from '../../../src/drivers/common/process-identity.js';
import { skipUnless } from '../../helpers/prereq.js';
import { assertNoLeftovers, tempEntriesOfThisProcess } from '../../helpers/leftovers.js';
import { HOLD_64M, lxcXML } from './container-xml.js';
import { V1_MEMORY_ROOT, cgroupPids } from '../../helpers/cgroup-dirs.js';
import { eventually } from '../../helpers/eventually.js';
import { makeLxcEnv, waitForEvent, type LxcTestEnv } from './harness.js';

const MiB = 1024n;
// A container that idles until told to stop (TERM ends it, as a real init would).
const IDLE = 'trap "exit 0" TERM; echo ready; while :; do sleep 1 & wait $!; done';
// Touches memory until it is killed.
const HOG = "exec /usr/bin/python3 -c \"b = []\nwhile True: b.append(bytearray(b'x') * (1 << 20))\"";

describe.skipIf(skipUnless('root', 'cgroup-v1-memory', 'unshare', 'python3'))('LXC driver on real containers', () => {
  let env: LxcTestEnv;
  let conn: Connection;
  let n = 0;
  const name = (): string => `ct${++n}`;
  const hasCgroup = (dom: string): boolean =>
    readdirSync(`${V1_MEMORY_ROOT}/${env.parent}`).some((d) => d.startsWith(`${dom}.virtune-lxc-`));
  const domainCgroup = (dom: string): string => {
    const dir = `${V1_MEMORY_ROOT}/${env.parent}`;
    const hit = readdirSync(dir).find((d) => d.startsWith(`${dom}.virtune-lxc-`));
    if (!hit) throw new Error(`no cgroup for ${dom}`);
    return `${dir}/${hit}`;
  };
  const cgFile = (dom: string, f: string): bigint => BigInt(readFileSync(`${domainCgroup(dom)}/${f}`, 'utf8').trim()) / 1024n;
  const params = async (d: Domain, flags = 0) => typedParamsToRecord(await d.getMemoryParameters(flags));

  beforeAll(async () => {
    env = makeLxcEnv();
    conn = await openConnection(env.uri);
  });
  afterEach(async () => {
    for (const d of await conn.listAllDomains(CONNECT_LIST_DOMAINS_ACTIVE)) await d.destroy().catch(() => undefined);
  });
  afterAll(async () => {
    await conn?.close();
    await env?.cleanup();
    assertNoLeftovers(tempEntriesOfThisProcess(), 'this file');
  });

  it('defines, starts in new namespaces inside its cgroup, reports state and info, destroys leaving nothing', async () => {
    const events: DomainEvent[] = [];
    conn.on('event', (e) => events.push(e));
    const nm = name();
    const dom = await conn.defineDomainXML(lxcXML(nm, IDLE, "<memtune><hard_limit unit='MiB'>256</hard_limit></memtune>"));
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.UNKNOWN });
    await dom.create();
    expect(await dom.getState()).toEqual({ state: DomainState.RUNNING, reason: DomainRunningReason.BOOTED });
    expect(dom.id).toBeGreaterThan(0);
    expect(await dom.isActive()).toBe(true);

    const cg = domainCgroup(nm);
    expect(cgFile(nm, 'memory.limit_in_bytes')).toBe(256n * MiB);
    const pids = cgroupPids(cg);
    // pid_max is 32768 here and other work forks a lot: a pid may be reused within seconds, so name each process by its start time.
    const started = pids.map((p) => [p, processStartTime(p)] as const);
    expect(pids).toContain(dom.id);
    // unshare forks the container's init just after it starts: wait for the child to appear.
    const init = await eventually(() => {
      const first = readFileSync(`/proc/${dom.id}/task/${dom.id}/children`, 'utf8').trim().split(' ')[0];
      return first ? Number(first) : undefined;
    }, 10_000, "the container's init");
    expect(cgroupPids(cg)).toContain(init);
    for (const ns of ['pid', 'mnt', 'uts', 'ipc', 'net']) {
      expect(readlinkSync(`/proc/${init}/ns/${ns}`)).not.toBe(readlinkSync(`/proc/self/ns/${ns}`));
    }
    const info = await dom.getInfo();
    expect(info.state).toBe(DomainState.RUNNING);
    expect(info.maxMem).toBe(1048576n);
    // memory is the cgroup's usage, as libvirt's LXC driver reports it, not a figure from the definition.
    expect(info.memory).toBeGreaterThan(0n);
    const drift = info.memory - cgFile(nm, 'memory.usage_in_bytes');
    expect(drift < 0n ? -drift : drift).toBeLessThan(4096n);

    expect((await conn.listAllDomains(CONNECT_LIST_DOMAINS_ACTIVE)).map((d) => d.name)).toContain(nm);
    await dom.destroy();
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.DESTROYED });
    expect(existsSync(cg)).toBe(false);
    // Gone, or a zombie our own event loop has yet to reap. A task leaves its cgroup early in its exit, so the cgroup
    // can be removed while the task still finishes exiting (a longer window on a loaded machine): poll with a deadline.
    for (const [p, t] of started) {
      await eventually(() => (t !== undefined && isSameProcess(p, t) ? undefined : true), 10_000, `process ${p} to be gone`);
    }
    expect(readdirSync(`${env.root}/run/lxc`).filter((f) => f.endsWith('.json'))).toEqual([]);
    expect((await conn.listAllDomains(CONNECT_LIST_DOMAINS_INACTIVE)).map((d) => d.name)).toContain(nm);
    const kinds = events.filter((e) => e.kind === 'lifecycle' && e.domain.name === nm).map((e) => e.kind === 'lifecycle' && [e.event, e.detail]);
    expect(kinds).toEqual([
      [DomainEventType.DEFINED, 0],
      [DomainEventType.STARTED, 0],
      [DomainEventType.STOPPED, DomainEventStoppedDetail.DESTROYED],
    ]);
  });

  it('memtune live and config land in the real files and the definitions; setMemory writes the hard limit', async () => {
    const nm = name();
    const dom = await conn.defineDomainXML(lxcXML(nm, IDLE));
    await dom.create();
    // As libvirt's LXC driver: without a hard limit the container is held to <memory>.
    expect(cgFile(nm, 'memory.limit_in_bytes')).toBe(1048576n);
    const tunable = waitForEvent(conn, (e) => e.kind === 'tunable' && e.domain.name === nm);
    await dom.setMemoryParameters([ullong('hard_limit', 300n * MiB), ullong('soft_limit', 200n * MiB), ullong('swap_hard_limit', 400n * MiB)]);
    expect((await tunable).kind).toBe('tunable');
    expect(cgFile(nm, 'memory.limit_in_bytes')).toBe(300n * MiB);
    expect(cgFile(nm, 'memory.soft_limit_in_bytes')).toBe(200n * MiB);
    expect(cgFile(nm, 'memory.memsw.limit_in_bytes')).toBe(400n * MiB);
    expect(await params(dom)).toEqual({ hard_limit: BigInt(300n * MiB), soft_limit: BigInt(200n * MiB), swap_hard_limit: BigInt(400n * MiB) });
    expect(await params(dom, DOMAIN_AFFECT_CONFIG)).toEqual({ hard_limit: BigInt(UNLIMITED), soft_limit: BigInt(UNLIMITED), swap_hard_limit: BigInt(UNLIMITED) });

    await dom.setMemoryParameters([ullong('hard_limit', 100n * MiB)], DOMAIN_AFFECT_CONFIG);
    expect(cgFile(nm, 'memory.limit_in_bytes')).toBe(300n * MiB);
    expect(readFileSync(`${env.root}/etc/lxc/${nm}.xml`, 'utf8')).toMatch(/<hard_limit unit='KiB'>102400<\/hard_limit>/);

    await dom.setMemory(250n * MiB);
    expect(cgFile(nm, 'memory.limit_in_bytes')).toBe(250n * MiB);
    expect((await params(dom, DOMAIN_AFFECT_LIVE)).hard_limit).toBe(BigInt(250n * MiB));
    await expect(dom.setMemory(2 * 1048576)).rejects.toThrow(/higher than max memory/);
    expect(await dom.getMemoryParameterCount()).toBe(3);
  });

  it('lowering below usage: EBUSY, and the files and both definitions are exactly as before', async () => {
    const nm = name();
    const dom = await conn.defineDomainXML(lxcXML(nm, HOLD_64M, "<memtune><hard_limit unit='MiB'>512</hard_limit></memtune>"));
    await dom.create();
    await eventually(async () => ((await dom.getInfo()).memory > 64n * MiB ? true : undefined));
    await dom.setMemoryParameters([ullong('soft_limit', 400n * MiB), ullong('swap_hard_limit', 600n * MiB)]);
    // That live change's status save may come behind the call (write-behind): the snapshot below waits for it.
    const status = () => readFileSync(`${env.root}/run/lxc/${nm}.json`, 'utf8');
    await eventually(() => (/"swapHardLimit":\s*"614400"/.test(status()) ? true : undefined), 10_000, 'the status save');
    const files = () =>
      ['memory.limit_in_bytes', 'memory.soft_limit_in_bytes', 'memory.memsw.limit_in_bytes'].map((f) => cgFile(nm, f));
    const before = { files: files(), live: await dom.getXMLDesc(), config: await dom.getXMLDesc(DOMAIN_XML_INACTIVE), status: status() };
    const err = await dom
      .setMemoryParameters([ullong('soft_limit', 8n * MiB), ullong('hard_limit', 16n * MiB), ullong('swap_hard_limit', 32n * MiB)], DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VirError);
    expect((err as VirError).code).toBe(ErrorCode.SYSTEM_ERROR);
    expect((err as VirError).errno).toBe('EBUSY');
    expect((err as VirError).message).toMatch(/^Unable to write to '.*memory\.limit_in_bytes': Device or resource busy$/);
    expect(files()).toEqual(before.files);
    expect(await dom.getXMLDesc()).toBe(before.live);
    expect(await dom.getXMLDesc(DOMAIN_XML_INACTIVE)).toBe(before.config);
    expect(status()).toBe(before.status);
    expect((await dom.getState()).state).toBe(DomainState.RUNNING);
  });

  it('a memory hog is OOM-killed at its hard limit: shutoff, reason crashed, and an event', async () => {
    const nm = name();
    const dom = await conn.defineDomainXML(
      lxcXML(nm, HOG, "<memtune><hard_limit unit='MiB'>48</hard_limit><swap_hard_limit unit='MiB'>48</swap_hard_limit></memtune>"),
    );
    const stopped = waitForEvent(conn, (e) => e.kind === 'lifecycle' && e.domain.name === nm && e.event === DomainEventType.STOPPED);
    await dom.create();
    const ev = await stopped;
    expect(ev.kind === 'lifecycle' && ev.detail).toBe(DomainEventStoppedDetail.CRASHED);
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.CRASHED });
    expect(hasCgroup(nm)).toBe(false);
  });

  it('50 parallel memtune calls end in one serial order', async () => {
    const nm = name();
    const dom = await conn.defineDomainXML(lxcXML(nm, IDLE));
    await dom.create();
    const values = Array.from({ length: 50 }, (_, i) => ({ hard: BigInt(100 + i) * MiB, swap: BigInt(120 + ((i * 37) % 50)) * MiB }));
    const results = await Promise.allSettled(
      values.map((v) => dom.setMemoryParameters([ullong('hard_limit', v.hard), ullong('swap_hard_limit', v.swap)])),
    );
    let model = { hard: 0n, swap: 0n };
    results.forEach((r, i) => {
      const v = values[i]!;
      expect(r.status).toBe(v.hard <= v.swap ? 'fulfilled' : 'rejected');
      if (v.hard <= v.swap) model = v;
    });
    expect(cgFile(nm, 'memory.limit_in_bytes')).toBe(model.hard);
    expect(cgFile(nm, 'memory.memsw.limit_in_bytes')).toBe(model.swap);
    expect(await dom.getXMLDesc()).toContain(`<hard_limit unit='KiB'>${model.hard}</hard_limit>`);
    // The status save of live limit changes is written behind the calls, once for all of them.
    const statusXml = (): string =>
      (JSON.parse(readFileSync(`${env.root}/run/lxc/${nm}.json`, 'utf8')) as { liveXml: string }).liveXml;
    await eventually(() => (statusXml().includes(`<hard_limit unit='KiB'>${model.hard}</hard_limit>`) ? true : undefined));
    expect(statusXml()).toContain(`<swap_hard_limit unit='KiB'>${model.swap}</swap_hard_limit>`);
  });

  it('shutdown asks the init to stop; it is reported as a shutdown', async () => {
    const nm = name();
    const dom = await conn.defineDomainXML(lxcXML(nm, IDLE));
    await dom.create();
    // Until its trap is set, the init (pid 1 of its namespace) ignores SIGTERM: wait for it to say so.
    await eventually(() => (readFileSync(`${env.root}/run/lxc/${nm}.log`, 'utf8').includes('ready') ? true : undefined));
    const stopped = waitForEvent(conn, (e) => e.kind === 'lifecycle' && e.domain.name === nm && e.event === DomainEventType.STOPPED);
    await dom.shutdown();
    const ev = await stopped;
    expect(ev.kind === 'lifecycle' && ev.detail).toBe(DomainEventStoppedDetail.SHUTDOWN);
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.SHUTDOWN });
  });

  it('a later connection on the same root finds a running container, and finds a dead one dead', async () => {
    const nm = name();
    const dom = await conn.defineDomainXML(lxcXML(nm, IDLE));
    await dom.create();
    const other = await openConnection(env.uri);
    try {
      const seen = await other.lookupDomainByName(nm);
      expect(seen.id).toBe(dom.id);
      expect(await seen.getState()).toEqual({ state: DomainState.RUNNING, reason: DomainRunningReason.BOOTED });
      expect((await seen.getMemoryParameters()).length).toBe(3);
      // Kill the supervisor behind both connections' backs; the watcher of the first reports it.
      const isStop = (e: DomainEvent) => e.kind === 'lifecycle' && e.domain.name === nm && e.event === DomainEventType.STOPPED;
      const stopped = waitForEvent(conn, isStop);
      const seenStopped = waitForEvent(other, isStop); // the adopting connection polls the pid
      process.kill(dom.id, 'SIGKILL');
      await Promise.all([stopped, seenStopped]);
      expect(await seen.isActive()).toBe(false);
      const third = await openConnection(env.uri);
      try {
        const dead = await third.lookupDomainByName(nm);
        expect((await dead.getState()).state).toBe(DomainState.SHUTOFF);
        expect(await dead.isActive()).toBe(false);
      } finally {
        await third.close();
      }
    } finally {
      await other.close();
    }
  });

  it('finds a container dead that died while no connection watched, and cleans up after it', async () => {
    // A root of its own: connections on one root in one process share its state, so `conn` would watch.
    const alone = makeLxcEnv();
    const nm = name();
    const first = await openConnection(alone.uri);
    const dom = await first.defineDomainXML(lxcXML(nm, IDLE));
    await dom.create();
    const pid = dom.id;
    await first.close(); // nobody watches now
    process.kill(pid, 'SIGKILL');
    await eventually(() => (existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z') ? undefined : true));
    const later = await openConnection(alone.uri);
    try {
      const d = await later.lookupDomainByName(nm);
      expect(await d.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.UNKNOWN });
      expect(readdirSync(`${V1_MEMORY_ROOT}/${alone.parent}`).some((d) => d.startsWith(`${nm}.virtune-lxc-`))).toBe(false);
      expect(existsSync(`${alone.root}/run/lxc/${nm}.json`)).toBe(false);
    } finally {
      await later.close();
      await alone.cleanup();
    }
  });

  it('min_guarantee admission refuses a start the host cannot cover, leaving nothing behind', async () => {
    const nm = name();
    const dom = await conn.defineDomainXML(lxcXML(nm, IDLE, "<memtune><min_guarantee unit='TiB'>64</min_guarantee></memtune>"));
    await expect(dom.create()).rejects.toThrow(/cannot guarantee 68719476736 KiB to domain/);
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.UNKNOWN });
    expect(hasCgroup(nm)).toBe(false);
  });

  it('min_guarantee admission also counts the limit of the parent cgroup', async () => {
    const nm = name();
    const parentDir = `${V1_MEMORY_ROOT}/${env.parent}`;
    if (!existsSync(parentDir)) mkdirSync(parentDir);
    writeFileSync(`${parentDir}/memory.limit_in_bytes`, String(64 << 20));
    try {
      const dom = await conn.defineDomainXML(lxcXML(nm, IDLE, "<memtune><min_guarantee unit='MiB'>96</min_guarantee></memtune>"));
      await expect(dom.create()).rejects.toThrow(
        `cannot guarantee 98304 KiB to domain '${nm}': guarantees would total 98304 KiB, above the limit of 65536 KiB of cgroup '${env.parent}'`,
      );
      expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.UNKNOWN });
      expect(hasCgroup(nm)).toBe(false);
      expect(existsSync(`${env.root}/run/lxc/${nm}.json`)).toBe(false);
    } finally {
      writeFileSync(`${parentDir}/memory.limit_in_bytes`, '-1');
    }
  });

  it('a live min_guarantee raise passes the same admission as a start; a refused one changes nothing', async () => {
    const nm = name();
    const parentDir = `${V1_MEMORY_ROOT}/${env.parent}`;
    if (!existsSync(parentDir)) mkdirSync(parentDir);
    writeFileSync(`${parentDir}/memory.limit_in_bytes`, String(1 << 30));
    try {
      const dom = await conn.defineDomainXML(lxcXML(nm, IDLE, "<memtune><min_guarantee unit='MiB'>64</min_guarantee></memtune>"));
      await dom.create();
      expect((await params(dom, DOMAIN_AFFECT_LIVE)).min_guarantee).toBe(BigInt(64n * MiB));
      const status = readFileSync(`${env.root}/run/lxc/${nm}.json`, 'utf8');
      await expect(dom.setMemoryParameters([ullong('min_guarantee', 2048n * MiB)], DOMAIN_AFFECT_LIVE)).rejects.toThrow(
        `operation failed: cannot guarantee ${2048n * MiB} KiB to domain '${nm}': guarantees would total ${2048n * MiB} KiB, above the limit of ${1024n * MiB} KiB of cgroup '${env.parent}'`,
      );
      expect((await params(dom, DOMAIN_AFFECT_LIVE)).min_guarantee).toBe(BigInt(64n * MiB));
      expect(readFileSync(`${env.root}/run/lxc/${nm}.json`, 'utf8')).toBe(status);
      await dom.setMemoryParameters([ullong('min_guarantee', 128n * MiB)], DOMAIN_AFFECT_LIVE);
      expect((await params(dom, DOMAIN_AFFECT_LIVE)).min_guarantee).toBe(BigInt(128n * MiB));
      expect((await params(dom, DOMAIN_AFFECT_CONFIG)).min_guarantee).toBe(BigInt(64n * MiB));
    } finally {
      for (const d of await conn.listAllDomains(CONNECT_LIST_DOMAINS_ACTIVE)) await d.destroy().catch(() => undefined);
      writeFileSync(`${parentDir}/memory.limit_in_bytes`, '-1');
    }
  });

  it('a transient container disappears when destroyed', async () => {
    const nm = name();
    const dom = await conn.createDomainXML(lxcXML(nm, IDLE));
    expect(await dom.isPersistent()).toBe(false);
    expect((await dom.getState()).state).toBe(DomainState.RUNNING);
    await dom.destroy();
    await expect(conn.lookupDomainByName(nm)).rejects.toThrow(/no domain with matching name/);
  });

  it('refuses LIVE on an inactive domain and CONFIG on a transient one', async () => {
    const dom = await conn.defineDomainXML(lxcXML(name(), IDLE));
    await expect(dom.setMemoryParameters([ullong('hard_limit', 1024)], DOMAIN_AFFECT_LIVE)).rejects.toThrow(
      'Requested operation is not valid: domain is not running',
    );
    const t = await conn.createDomainXML(lxcXML(name(), IDLE));
    await expect(t.setMemoryParameters([ullong('hard_limit', 1024)], DOMAIN_AFFECT_CONFIG)).rejects.toThrow(
      'transient domains do not have any persistent config',
    );
  });

  // Runs last (vitest keeps declaration order): everything was stopped through the driver, so the driver itself
  // must have removed every cgroup (possible only once empty of processes) and status file it made.
  it('leaves no cgroup, status file or process behind', async () => {
    for (const d of await conn.listAllDomains(CONNECT_LIST_DOMAINS_ACTIVE)) await d.destroy();
    expect(readdirSync(`${V1_MEMORY_ROOT}/${env.parent}`)).toEqual(
      expect.not.arrayContaining([expect.stringMatching(/\.virtune-lxc-/)]),
    );
    expect(readdirSync(`${env.root}/run/lxc`).filter((f) => f.endsWith('.json'))).toEqual([]);
  });
});
