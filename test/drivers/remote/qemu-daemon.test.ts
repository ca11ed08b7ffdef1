/**
 * The remote driver against libvirt's own QEMU driver: a private libvirtd (its own mount namespace, so none of
 * the system's libvirt paths is touched) runs a real TCG guest; virtune tunes its memory through the daemon and
 * the limits land in the guest's real cgroup, as libvirt puts them there. virsh over the same URI is the oracle.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../src/index.js';
import { DomainEventType, type DomainEvent } from '../../../src/events.js';
import { DOMAIN_AFFECT_LIVE, DomainState } from '../../../src/flags.js';
import { TypedParameterType } from '../../../src/typed-params/types.js';
import { eventually } from '../../helpers/eventually.js';
import { skipUnless } from '../../helpers/prereq.js';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../../helpers/private-libvirtd.js';
import { assertBuilt, runVirsh, runVirtune } from '../../helpers/spawn-cli.js';
import { daemonSaysType } from './daemon-type.js';

const ULL = TypedParameterType.ULLONG;
const NAME = `vt-remote-${process.pid}`;
const GUEST = `<domain type='qemu'>
  <name>${NAME}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator><memballoon model='virtio'/></devices>
</domain>`;

describe.skipIf(skipUnless('root', 'libvirtd', 'qemu', 'unshare', 'cgroup-v1-memory', 'virsh'))('remote driver on a libvirtd QEMU driver', () => {
  let daemon: PrivateLibvirtd;
  let conn: Connection;
  let uri: string;
  beforeAll(async () => {
    daemon = await startPrivateLibvirtd({ qemu: true });
    uri = daemon.unixURI('qemu:///system');
    // The daemon probes QEMU's capabilities on the first open: seconds, more on a busy machine.
    conn = await openConnection(`${uri}&connect_timeout=120000&call_timeout=120000`);
  }, 150_000);
  afterAll(async () => {
    try {
      const dom = await conn?.lookupDomainByName(NAME);
      if (dom && (await dom.isActive())) await dom.destroy();
      await dom?.undefine();
    } catch {
      /* already gone */
    }
    await conn?.close();
    await daemon?.stop();
  }, 60_000);

  it('starts a real guest, tunes it live, and the limits reach its cgroup', async () => {
    expect(conn.getType()).toBe('QEMU');
    expect(await daemonSaysType(uri)).toBe('QEMU'); // what virtune knows from the scheme, the daemon says too
    const events: DomainEvent[] = [];
    conn.on('event', (e) => events.push(e));
    await conn.subscribeEvents();
    const dom = await conn.defineDomainXML(GUEST);
    await dom.create();
    expect((await dom.getState()).state).toBe(DomainState.RUNNING);
    await dom.setMemoryParameters(
      [
        { field: 'hard_limit', type: ULL, value: 1048576n },
        { field: 'soft_limit', type: ULL, value: 524288n },
      ],
      DOMAIN_AFFECT_LIVE,
    );
    expect(await dom.getMemoryParameterCount(DOMAIN_AFFECT_LIVE)).toBe(3);
    expect((await dom.getMemoryParameters(DOMAIN_AFFECT_LIVE)).slice(0, 2)).toEqual([
      { field: 'hard_limit', type: ULL, value: 1048576n },
      { field: 'soft_limit', type: ULL, value: 524288n },
    ]);
    const cg = `/sys/fs/cgroup/memory/machine/qemu-${dom.id}-${NAME}.libvirt-qemu`;
    expect(readFileSync(`${cg}/memory.limit_in_bytes`, 'utf8').trim()).toBe(String(1048576 * 1024));
    expect(readFileSync(`${cg}/memory.soft_limit_in_bytes`, 'utf8').trim()).toBe(String(524288 * 1024));

    // QEMU refuses min_guarantee, in the daemon's words.
    await expect(dom.setMemoryParameters([{ field: 'min_guarantee', type: ULL, value: 1n }], DOMAIN_AFFECT_LIVE)).rejects.toThrow(
      /min_guarantee/,
    );

    // The daemon keeps the guest's state between connections: the batch ends where it starts, for both tools.
    assertBuilt();
    const batch = ['-q', '-c', uri, `memtune ${NAME} --live --hard-limit 2G; memtune ${NAME} --live; memtune ${NAME} --config; domstate ${NAME}`];
    const theirs = await runVirsh(batch);
    const ours = await runVirtune(batch);
    expect(ours).toEqual(theirs);
    expect(readFileSync(`${cg}/memory.limit_in_bytes`, 'utf8').trim()).toBe(String(2 * 1024 ** 3));

    await dom.destroy();
    const seen = await eventually(
      () => {
        const l = events.filter((e) => e.kind === 'lifecycle' && e.domain.name === NAME).map((e) => (e as { event: DomainEventType }).event);
        return l.includes(DomainEventType.STOPPED) ? l : undefined;
      },
      30_000,
      'the STOPPED event',
    );
    // libvirt's QEMU driver also reports RESUMED (the CPUs start) and SHUTDOWN (QEMU's own event on destroy).
    const main = [DomainEventType.DEFINED, DomainEventType.STARTED, DomainEventType.STOPPED];
    expect(seen.filter((k) => main.includes(k))).toEqual(main);
    await dom.undefine();
  }, 180_000);
});
