import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onInterrupt } from './cleanup.js';

/** A name no other process on the machine uses: the pid and a random suffix. */
export function uniqueName(prefix) {
  return `${prefix}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** The emulator the QEMU domains name (and the bare QEMU side runs). */
export const QEMU_BINARY = '/usr/bin/qemu-system-x86_64';

/** A container that just sleeps: the cheapest domain with a live memory cgroup. */
export function lxcDomainXML(name) {
  return `<domain type='lxc'>
  <name>${name}</name>
  <uuid>${randomUUID()}</uuid>
  <memory unit='KiB'>262144</memory>
  <os>
    <type>exe</type>
    <init>/bin/sleep</init>
    <initarg>600</initarg>
  </os>
</domain>`;
}

/** A no-OS guest (REFERENCE §5): nothing boots, QEMU only has to come up and answer QMP. */
export function qemuDomainXML(name) {
  return `<domain type='qemu'>
  <name>${name}</name>
  <uuid>${randomUUID()}</uuid>
  <memory unit='KiB'>262144</memory>
  <currentMemory unit='KiB'>262144</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='microvm'>hvm</type>
  </os>
  <devices>
    <emulator>${QEMU_BINARY}</emulator>
    <memballoon model='virtio'/>
  </devices>
</domain>`;
}

/** A private temp directory, removed by the returned function (or on an interrupt). */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const forget = onInterrupt(remove);
  return {
    dir,
    remove: () => {
      forget();
      remove();
    },
  };
}

/**
 * The teardown of a connection and the domain `current()` returns when it runs (none yet: only the connection):
 * destroys and undefines it whatever state it is in, then closes the connection.
 */
export function domainTeardown(conn, current) {
  return async () => {
    const dom = current();
    if (dom) {
      await dom.destroy().catch(() => {});
      await dom.undefine().catch(() => {});
    }
    await conn.close();
  };
}

/**
 * Defines a domain on `uri`, lets `fn(dom, conn)` use it, then destroys and undefines it and closes the
 * connection, whatever happened. The domain is left stopped for `fn` to start.
 */
export async function withDefinedDomain(virtune, uri, xml, fn) {
  const conn = await virtune.openConnection(uri);
  let dom;
  const teardown = domainTeardown(conn, () => dom);
  const forget = onInterrupt(teardown);
  try {
    dom = await conn.defineDomainXML(xml, 0);
    return await fn(dom, conn);
  } finally {
    forget();
    await teardown();
  }
}

/**
 * The directory of a domain's cgroup in the hierarchy mounted at `root`, `<parent>/<name>.virtune-<driver>…` (the
 * driver may add a suffix; the name is unique to this run), looked for a few levels down; null when absent.
 */
export function domainCgroupDir(root, name, driver, depth = 3) {
  const entries = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory());
  const hit = entries.find((e) => e.name.startsWith(`${name}.virtune-${driver}`));
  if (hit) return join(root, hit.name);
  if (depth === 0) return null;
  for (const e of entries) {
    const found = domainCgroupDir(join(root, e.name), name, driver, depth - 1);
    if (found) return found;
  }
  return null;
}
