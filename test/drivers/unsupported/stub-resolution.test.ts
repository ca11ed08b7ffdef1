import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../../src/cgroup/controller.js';
import { createLxcDriverFactory } from '../../../src/drivers/lxc/factory.js';
import { openQemuDriver } from '../../../src/drivers/qemu/factory.js';
import { ErrorCode, ErrorDomain, UnsupportedReason, openConnection, registerDriver, type Connection } from '../../../src/index.js';
import { TypedParameterType as T } from '../../../src/typed-params/types.js';
import { domainXML } from '../../helpers/domain-xml.js';
import { rejection } from '../../helpers/vir-error.js';

/**
 * qemu:/// and lxc:/// opened through openConnection on a host without a memory controller resolve to the stub
 * driver. The host is faked where the real detection reads it: a mountinfo file (and, for cgroup v2, a cgroup2
 * mount whose cgroup.controllers lacks `memory`), given to the factories through their override hooks.
 */

const dir = mkdtempSync(join(tmpdir(), `virtune-stub-${process.pid}-`));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A host whose only cgroup mount is cgroup2 without the memory controller. */
function hostWithoutHostCgroups(): string {
  const unified = join(dir, `unified-${Math.random().toString(36).slice(2)}`);
  mkdirSync(unified);
  writeFileSync(join(unified, 'cgroup.controllers'), 'cpuset cpu io pids\n');
  const mountinfo = join(unified, 'mountinfo');
  writeFileSync(mountinfo, `22 1 8:1 / / rw - ext4 /dev/sda1 rw\n30 22 0:26 / ${unified} rw - cgroup2 cgroup2 rw\n`);
  return mountinfo;
}

const opened: Connection[] = [];
const undo: (() => void)[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
  // The built-in factories again, for whatever runs next in this file.
  for (const u of undo.splice(0)) u();
});

/** Overrides a built-in driver for one test; afterEach puts the built-in one back. */
function override(...args: Parameters<typeof registerDriver>): void {
  undo.push(registerDriver(args[0], args[1], { override: true }));
}

async function open(uri: string): Promise<Connection> {
  const conn = await openConnection(uri);
  opened.push(conn);
  return conn;
}

/** The stub's answer to each memory-tuning call, and the rest of the connection still working. */
async function expectStub(conn: Connection, fn = 'virDomainSetMemoryParameters'): Promise<void> {
  expect(conn.unsupportedReason).toBe(UnsupportedReason.NO_MEMORY_CGROUP);
  const dom = await conn.defineDomainXML(domainXML(`stub${process.pid}`));
  expect((await conn.listAllDomains()).map((d) => d.name)).toEqual([dom.name]);
  await dom.create();
  expect(await dom.isActive()).toBe(true);
  const e = await rejection(dom.setMemoryParameters([{ field: 'hard_limit', type: T.ULLONG, value: 1024n }]));
  expect([e.code, e.domain, e.message]).toEqual([
    ErrorCode.NO_SUPPORT,
    ErrorDomain.DOMAIN,
    `this function is not supported by the connection driver: ${fn}: the host has no memory cgroup controller`,
  ]);
  expect((await rejection(dom.getMemoryParameters())).code).toBe(ErrorCode.NO_SUPPORT);
  expect((await rejection(dom.getMemoryParameterCount())).code).toBe(ErrorCode.NO_SUPPORT);
  expect((await rejection(dom.setMemory(1024))).message).toContain('the host has no memory cgroup controller');
  await dom.destroy();
  expect(await dom.isActive()).toBe(false);
}

describe('qemu:/// and lxc:/// on a host without a memory controller', () => {
  it('qemu:///system opens the stub driver', async () => {
    const mountinfo = hostWithoutHostCgroups();
    override(['qemu'], {
      schemes: ['qemu'],
      open: (uri, options) => openQemuDriver(uri, options, (paths) => HostCgroups.open({ ...paths.cgroup, mountinfoPath: mountinfo })),
    });
    const conn = await open('qemu:///system');
    expect(conn.getType()).toBe('QEMU');
    await expectStub(conn);
  });

  it('lxc:/// opens the stub driver', async () => {
    override(['lxc'], createLxcDriverFactory({ mountinfoPath: hostWithoutHostCgroups() }));
    const conn = await open('lxc:///');
    expect(conn.getType()).toBe('LXC');
    await expectStub(conn);
  });

  it('lxc:/// opens the stub driver when the host has no mountinfo at all, and its events reach subscribers', async () => {
    override(['lxc'], createLxcDriverFactory({ mountinfoPath: join(dir, 'no-such-mountinfo') }));
    const conn = await open('lxc:///');
    const events: unknown[] = [];
    conn.on('event', (e) => events.push(e));
    await expectStub(conn);
    // define, start, destroy: the stub reports lifecycle events through the connection like any driver.
    expect(events.map((e) => (e as { kind: string }).kind)).toEqual(['lifecycle', 'lifecycle', 'lifecycle']);
  });

  it('qemu:/// forwards the events of the stub too', async () => {
    const mountinfo = hostWithoutHostCgroups();
    override(['qemu'], {
      schemes: ['qemu'],
      open: (uri, options) => openQemuDriver(uri, options, (paths) => HostCgroups.open({ ...paths.cgroup, mountinfoPath: mountinfo })),
    });
    const conn = await open('qemu:///system');
    const events: unknown[] = [];
    conn.on('event', (e) => events.push(e));
    await conn.defineDomainXML(domainXML(`ev${process.pid}`));
    expect(events).toHaveLength(1);
  });

  it('unsupported:/// selects it explicitly, naming why', async () => {
    const conn = await open('unsupported:///');
    expect(conn.unsupportedReason).toBe(UnsupportedReason.EXPLICIT);
    const dom = await conn.defineDomainXML(domainXML('x'));
    expect((await rejection(dom.getMemoryParameters())).message).toBe(
      `this function is not supported by the connection driver: virDomainGetMemoryParameters: ${UnsupportedReason.EXPLICIT}`,
    );
  });
});
