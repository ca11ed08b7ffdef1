import { describe, expect, it } from 'vitest';
import { parseURI } from '../../../src/connection/uri.js';
import { ErrorCode } from '../../../src/errors.js';
import { openQemuDriver } from '../../../src/drivers/qemu/factory.js';
import { guestRamRssKiB, parseSmaps } from '../../../src/drivers/qemu/overhead.js';
import { qemuPathsFromURI } from '../../../src/drivers/qemu/paths.js';
import { memlockBytesFor } from '../../../src/drivers/qemu/process.js';
import { TypedParameterType } from '../../../src/typed-params/types.js';

const SMAPS = `562812037000-562812fa2000 rw-p 00000000 00:00 0                          [heap]
Size:              15788 kB
Rss:                4184 kB
7f872fe00000-7f873fe00000 rw-p 00000000 00:00 0 
Size:             262144 kB
Rss:                6144 kB
7f874c400000-7f874e3ff000 rwxp 00000000 00:00 0 
Size:              32764 kB
Rss:                2048 kB
5628093af000-562809946000 r-xp 00407000 fe:00 2170916                    /usr/bin/qemu-system-x86_64
Size:             262144 kB
Rss:                5316 kB
`;

describe('overhead', () => {
  it("finds the guest RAM block: anonymous and the size of <memory>, not a file of the same size", () => {
    const maps = parseSmaps(SMAPS);
    expect(maps).toHaveLength(4);
    expect(guestRamRssKiB(maps, 262144)).toBe(6144);
    expect(guestRamRssKiB(maps, 524288)).toBeUndefined();
  });
});

describe('qemuPathsFromURI', () => {
  it('maps qemu:///system to the system directories', () => {
    expect(qemuPathsFromURI(parseURI('qemu:///system'))).toMatchObject({
      configDir: '/var/lib/virtune/qemu',
      stateDir: '/run/virtune/qemu',
      cgroupDriverName: 'qemu',
      shutdownAcpiMs: 10_000,
    });
  });

  it('gives an embedded root its own directories and cgroup names', () => {
    const p = qemuPathsFromURI(parseURI('qemu:///embed?root=/srv/vms&cgroup_parent=tenants/a&shutdown_acpi_ms=250'));
    expect(p).toMatchObject({ configDir: '/srv/vms/etc/qemu', stateDir: '/srv/vms/run/qemu', shutdownAcpiMs: 250 });
    expect(p.cgroupDriverName).toMatch(/^qemu-[0-9a-f]{8}$/);
    expect(p.cgroup).toEqual({ parent: 'tenants/a' });
  });

  it.each([
    ['qemu:///session', "unexpected QEMU URI path '/session'"],
    ['qemu:///embed', "the 'root' parameter is required"],
    ['qemu:///embed?root=rel', "the 'root' parameter must be an absolute path"],
    ['qemu://host/system', 'remote hosts are not supported'],
    ['qemu:///system?cgroup_version=v3', "unknown cgroup_version 'v3'"],
    ['qemu:///system?shutdown_acpi_ms=-1', "invalid shutdown_acpi_ms '-1'"],
  ])('refuses %s', (uri, msg) => {
    expect(() => qemuPathsFromURI(parseURI(uri))).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARG }));
    expect(() => qemuPathsFromURI(parseURI(uri))).toThrow(msg);
  });
});

describe('memlockBytesFor', () => {
  it("is hard_limit << 10 as libvirt sets it, held to what the process may grant", () => {
    expect(memlockBytesFor(524288n, undefined)).toBe(536870912n);
    expect(memlockBytesFor(524288n, 8388608n)).toBe(8388608n);
    expect(memlockBytesFor(4096n, 8388608n)).toBe(4194304n);
  });
});

describe('openQemuDriver on a host without a memory controller', () => {
  it('opens the stub driver, which says what the host lacks', async () => {
    const driver = await openQemuDriver(parseURI('qemu:///system'), { readOnly: false, emit: () => {} }, () => undefined);
    expect(driver.type).toBe('QEMU');
    expect(driver.unsupportedReason).toBe('the host has no memory cgroup controller');
    expect(await driver.listAllDomains!(0)).toEqual([]);
    await expect(
      driver.domainSetMemoryParameters!({ name: 'x', uuid: 'x', id: -1 }, [{ field: 'hard_limit', type: TypedParameterType.ULLONG, value: 1n }], 0),
    ).rejects.toMatchObject({ code: ErrorCode.NO_SUPPORT });
  });
});
