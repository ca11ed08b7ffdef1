import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseURI } from '../../../src/connection/uri.js';
import { createLxcDriverFactory } from '../../../src/drivers/lxc/factory.js';
import { ErrorCode, VirError } from '../../../src/errors.js';
import { DOMAIN_AFFECT_CONFIG } from '../../../src/flags.js';
import { ullong } from '../../../src/typed-params/helpers.js';
import { populateV2 } from '../../helpers/fake-cgroupfs.js';
import { lxcXML } from './container-xml.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(`${tmpdir()}/virtune-lxcf-${process.pid}-`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (uri: string, overrides = {}) =>
  createLxcDriverFactory(overrides).open(parseURI(uri), { readOnly: false, emit: () => undefined });

describe('lxc driver factory', () => {
  it('falls back to the stub driver when the host has no memory cgroup controller', async () => {
    writeFileSync(`${dir}/mountinfo`, '22 1 8:1 / / rw - ext4 /dev/sda1 rw\n');
    const driver = await open(`lxc:///embed?root=${dir}/r`, { mountinfoPath: `${dir}/mountinfo` });
    expect(driver.type).toBe('LXC');
    expect(driver.unsupportedReason).toBe('the host has no memory cgroup controller');
    const err = await driver.domainGetMemoryParameters!({ name: 'x', uuid: 'x', id: -1 }, 0).catch((e: unknown) => e);
    expect((err as VirError).code).toBe(ErrorCode.NO_SUPPORT);
  });

  it('on a cgroup v2 tree, accepts min_guarantee and swap_soft_limit', async () => {
    mkdirSync(`${dir}/cg`);
    populateV2(`${dir}/cg`);
    const driver = await open(`lxc:///embed?root=${dir}/r&cgroup_root=${dir}/cg&cgroup_version=v2`);
    const ref = await driver.defineDomainXML!(lxcXML('v2', 'true'), 0);
    await driver.domainSetMemoryParameters!(ref, [ullong('min_guarantee', 1024), ullong('swap_soft_limit', 4096)], DOMAIN_AFFECT_CONFIG);
    const got = await driver.domainGetMemoryParameters!(ref, DOMAIN_AFFECT_CONFIG);
    expect(got.map((p) => p.field)).toEqual(['hard_limit', 'soft_limit', 'swap_hard_limit', 'min_guarantee', 'swap_soft_limit']);
    await driver.close!();
  });

  it('on cgroup v1, accepts min_guarantee (admission control only; libvirt refuses it) but not swap_soft_limit', async () => {
    mkdirSync(`${dir}/cg`);
    const driver = await open(`lxc:///embed?root=${dir}/r&cgroup_root=${dir}/cg&cgroup_version=v1`);
    const ref = await driver.defineDomainXML!(lxcXML('v1', 'true'), 0);
    expect(await driver.domainGetMemoryParameterCount!(ref, 0)).toBe(3);
    await driver.domainSetMemoryParameters!(ref, [ullong('min_guarantee', 1024)], DOMAIN_AFFECT_CONFIG);
    expect(await driver.domainGetMemoryParameterCount!(ref, 0)).toBe(4);
    await expect(driver.domainSetMemoryParameters!(ref, [ullong('swap_soft_limit', 1024)], DOMAIN_AFFECT_CONFIG)).rejects.toThrow(
      "argument unsupported: parameter 'swap_soft_limit' not supported",
    );
    await driver.close!();
  });

  it('refuses a definition that is not a container, and skips a corrupt file at open', async () => {
    mkdirSync(`${dir}/cg`);
    const uri = `lxc:///embed?root=${dir}/r&cgroup_root=${dir}/cg&cgroup_version=v1`;
    const driver = await open(uri);
    await expect(driver.defineDomainXML!(lxcXML('x', 'true').replace("type='lxc'", "type='qemu'"), 0)).rejects.toThrow(
      'could not find capabilities for domaintype=qemu',
    );
    await driver.defineDomainXML!(lxcXML('good', 'true'), 0);
    writeFileSync(`${dir}/r/etc/lxc/bad.xml`, '<domain');
    writeFileSync(`${dir}/r/run/lxc/bad.json`, '{');
    // Connections on one root in one process share its state: the files are read again once the last one closed.
    await driver.close!();
    const again = (await open(uri)) as Awaited<ReturnType<typeof open>> & { loadErrors: unknown[] };
    expect((await again.listAllDomains!(0)).map((d) => d.name)).toEqual(['good']);
    expect(again.loadErrors).toHaveLength(2);
  });
});
