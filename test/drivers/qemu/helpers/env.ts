import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConnection, type Connection } from '../../../../src/connection/connection.js';
import type { DomainEvent } from '../../../../src/events.js';
import { V1_MEMORY_ROOT, parentDirs, removeCgroupDir } from '../../../helpers/cgroup-dirs.js';
import { eventually } from '../../../helpers/eventually.js';
import { assertNoLeftovers, findLeftovers } from '../../../helpers/leftovers.js';
import { GUEST_READY } from '../../../fixtures/guest/guest.js';
import { CONNECT_LIST_DOMAINS_ACTIVE } from '../../../../src/flags.js';

/**
 * A private QEMU root (`qemu:///embed?root=...`) with its own cgroup parent, so a test touches only what it made.
 * `dispose` destroys what still runs, closes connections and removes exactly the directories it created; it fails
 * the test when the driver itself left a process, socket or cgroup behind.
 */
export class QemuTestEnv {
  readonly root = mkdtempSync(join(tmpdir(), `vq-${process.pid}-`));
  readonly cgroupParent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  readonly events: DomainEvent[] = [];
  readonly #conns: Connection[] = [];

  uri(extra = ''): string {
    return `qemu:///embed?root=${encodeURIComponent(this.root)}&cgroup_parent=${this.cgroupParent}${extra}`;
  }

  /** The absolute cgroup directory of domain cgroups. */
  get cgroupDir(): string {
    return join(V1_MEMORY_ROOT, this.cgroupParent);
  }

  /** The cgroup directory of domain `name` (there is one domain cgroup per name under the parent). */
  domainCgroup(name: string): string {
    const hit = existsSync(this.cgroupDir) ? readdirSync(this.cgroupDir).find((d) => d.startsWith(`${name}.virtune-qemu`)) : undefined;
    if (!hit) throw new Error(`no cgroup for ${name} under ${this.cgroupDir}`);
    return join(this.cgroupDir, hit);
  }

  /** Where the driver logs domain `name`'s serial console. */
  serialLog(name: string): string {
    return join(this.root, 'run', 'qemu', `${name}.serial.log`);
  }

  /** What domain `name`'s serial console printed so far ('' before it printed anything). */
  serial(name: string): string {
    const log = this.serialLog(name);
    return existsSync(log) ? readFileSync(log, 'utf8') : '';
  }

  /** Waits until the test guest `name` says it is ready: up to 120 s, a TCG boot on a shared two-core machine. */
  async guestReady(name: string): Promise<void> {
    await eventually(() => (this.serial(name).includes(GUEST_READY) ? true : undefined), 120_000, `${name} to boot`);
  }

  async open(extra = ''): Promise<Connection> {
    const conn = await openConnection(this.uri(extra));
    conn.on('event', (e) => this.events.push(e));
    this.#conns.push(conn);
    return conn;
  }

  async dispose(): Promise<void> {
    let conn = this.#conns.find((c) => !c.isClosed);
    conn ??= await openConnection(this.uri());
    for (const dom of await conn.listAllDomains(CONNECT_LIST_DOMAINS_ACTIVE)) await dom.destroy().catch(() => undefined);
    for (const c of [...this.#conns, conn]) await c.close();
    // Looked at before the forced cleanup below, which would otherwise hide what the driver leaked.
    const cgroupDirs = parentDirs(this.cgroupParent);
    const leftovers = findLeftovers({ cgroupDirs, mentionedBy: this.root, socketsUnder: this.root });
    rmSync(this.root, { recursive: true, force: true });
    for (const dir of cgroupDirs) await removeCgroupDir(dir);
    assertNoLeftovers(leftovers, 'the QEMU driver');
    const left = [this.root, ...cgroupDirs].filter((d) => existsSync(d));
    if (left.length > 0) throw new Error(`could not remove ${left.join(', ')}`);
  }
}

/** A no-OS microvm guest: QEMU runs, the balloon never moves. */
export function noOsXML(name: string, uuid: string, extra: { memoryMiB?: number; memtune?: string; cputune?: string; balloon?: string } = {}): string {
  return `<domain type='qemu'>
  <name>${name}</name>
  <uuid>${uuid}</uuid>
  <memory unit='MiB'>${extra.memoryMiB ?? 128}</memory>
  ${extra.memtune ?? ''}
  ${extra.cputune ?? ''}
  <vcpu>1</vcpu>
  <os><type machine='microvm'>hvm</type></os>
  <devices>${extra.balloon ?? "<memballoon model='virtio'/>"}</devices>
</domain>`;
}
