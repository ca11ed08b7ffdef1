// What a driver root holds after failures, kills and read-only use (LXC on real cgroups): nothing of a domain
// after undefine or a failed start, nothing written by a read-only connection, errors that name the real cause
// (a read-only file system, a full disk), and a dead container that reads as shut off on a long-lived connection.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../src/connection/connection.js';
import { isSameProcess, processStartTime } from '../../../src/drivers/common/process-identity.js';
import { ErrorCode } from '../../../src/errors.js';
import { DomainEventType } from '../../../src/events.js';
import { DOMAIN_AFFECT_LIVE, DomainState } from '../../../src/flags.js';
import { runVirtune } from '../../helpers/spawn-cli.js';
import { parentDirs, removeCgroupDir } from '../../helpers/cgroup-dirs.js';
import { eventually } from '../../helpers/eventually.js';
import { skipUnless } from '../../helpers/prereq.js';
import { rejection } from '../../helpers/vir-error.js';
import { lxcXML } from '../lxc/container-xml.js';
import { lxcEnvPerBlock, waitForEvent } from '../lxc/harness.js';

const IDLE = 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done';
const run = promisify(execFile);

/** Every file under `dir`, relative. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)))
    .sort();
}

/** A tmpfs mounted for one test at a fresh directory; `unmount` removes it again. */
async function mountTmpfs(options: string): Promise<{ dir: string; unmount(): Promise<void> }> {
  const dir = mkdtempSync(`${tmpdir()}/virtune-tmpfs-${process.pid}-`);
  await run('mount', ['-t', 'tmpfs', '-o', options, 'virtune-test', dir]);
  return {
    dir,
    async unmount() {
      await run('umount', [dir]);
      rmdirSync(dir);
    },
  };
}

/**
 * Runs `body` on a connection to an LXC root in a fresh tmpfs (`options`) with its own cgroup parent; afterwards the
 * connection is closed, the parent's cgroups removed and the tmpfs unmounted.
 */
async function onTmpfsRoot(options: string, body: (conn: Connection, root: string, uri: string) => Promise<void>): Promise<void> {
  const fs = await mountTmpfs(options);
  const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  const uri = `lxc:///embed?root=${encodeURIComponent(fs.dir)}&cgroup_parent=${parent}`;
  try {
    const conn = await openConnection(uri);
    try {
      await body(conn, fs.dir, uri);
    } finally {
      await conn.close();
    }
  } finally {
    for (const dir of parentDirs(parent)) await removeCgroupDir(dir);
    await fs.unmount();
  }
}

describe.skipIf(skipUnless('root', 'cgroup-v1-memory', 'unshare'))('clean roots (LXC)', () => {
  const env = lxcEnvPerBlock();

  it('undefine removes everything of the domain, its log included', async () => {
    const conn = await openConnection(env.uri);
    const dom = await conn.defineDomainXML(lxcXML('gone', IDLE));
    await dom.create();
    await dom.destroy();
    expect(existsSync(`${env.root}/run/lxc/gone.log`)).toBe(true);
    await dom.undefine();
    expect(filesUnder(env.root).filter((f) => f.includes('gone'))).toEqual([]);
    await conn.close();
  });

  it('a failed start leaves nothing: no empty log, no status file', async () => {
    await onTmpfsRoot('size=128k', async (conn, root) => {
      const dom = await conn.defineDomainXML(lxcXML('nostart', IDLE));
      // The disk is full: the container starts, its status cannot be saved, and the start is undone.
      expect(() => writeFileSync(`${root}/filler`, Buffer.alloc(1 << 20))).toThrow(/ENOSPC/);
      await expect(dom.create()).rejects.toThrow(/Failed to write status file.*No space left on device/);
      expect(filesUnder(root)).toEqual(['etc/lxc/nostart.xml', 'filler']);
      expect((await dom.getState()).state).toBe(DomainState.SHUTOFF);
      rmSync(`${root}/filler`);
      await dom.undefine();
    });
  });

  it('a failed start keeps the log of an earlier run: it removes only what it created', async () => {
    await onTmpfsRoot('size=128k', async (conn, root) => {
      const dom = await conn.defineDomainXML(lxcXML('rerun', `echo ran; ${IDLE}`));
      await dom.create();
      await eventually(() => readFileSync(`${root}/run/lxc/rerun.log`, 'utf8').includes('ran') || undefined, 10_000, 'the first run to log');
      await dom.destroy();
      expect(() => writeFileSync(`${root}/filler`, Buffer.alloc(1 << 20))).toThrow(/ENOSPC/);
      await expect(dom.create()).rejects.toThrow(/Failed to write status file.*No space left on device/);
      expect(filesUnder(root)).toEqual(['etc/lxc/rerun.xml', 'filler', 'run/lxc/rerun.log']);
      expect(readFileSync(`${root}/run/lxc/rerun.log`, 'utf8')).toMatch(/^ran\n/);
      rmSync(`${root}/filler`);
      await dom.undefine();
    });
  });

  it('a read-only connection creates no root and cleans up nothing; the next read-write one does', async () => {
    const missing = `${env.root}/not-there`;
    const ro = await openConnection(`lxc:///embed?root=${encodeURIComponent(missing)}`, { readOnly: true });
    expect(await ro.listAllDomains()).toEqual([]);
    await ro.close();
    expect(existsSync(missing)).toBe(false);

    const conn = await openConnection(env.uri);
    const dom = await conn.defineDomainXML(lxcXML('rodead', IDLE));
    await dom.create();
    const pid = dom.id;
    await conn.close();
    // It dies while no connection watches it.
    process.kill(pid, 'SIGKILL');
    await eventually(() => !existsSync(`/proc/${pid}/stat`) || undefined, 10_000, 'the supervisor to exit');
    const before = filesUnder(env.root);
    const roConn = await openConnection(env.uri, { readOnly: true });
    expect((await (await roConn.lookupDomainByName('rodead')).getState()).state).toBe(DomainState.SHUTOFF);
    await roConn.close();
    expect(filesUnder(env.root)).toEqual(before);
    expect(before).toContain('run/lxc/rodead.json');

    const rw = await openConnection(env.uri);
    expect(existsSync(`${env.root}/run/lxc/rodead.json`)).toBe(false);
    await (await rw.lookupDomainByName('rodead')).undefine();
    await rw.close();
  });

  it('a new root on a read-only file system fails with EROFS, not ENOENT', async () => {
    const fs = await mountTmpfs('ro,size=1m');
    try {
      const e = await rejection(openConnection(`lxc:///embed?root=${encodeURIComponent(`${fs.dir}/new`)}`));
      expect(e.code).toBe(ErrorCode.SYSTEM_ERROR);
      expect(e.message).toContain('Read-only file system');
    } finally {
      await fs.unmount();
    }
  });

  it('memtune --live on a full disk does not exit 0: the status save that failed is reported', async () => {
    await onTmpfsRoot('size=256k', async (conn, root, uri) => {
      const dom = await conn.defineDomainXML(lxcXML('full', IDLE));
      await dom.create();
      // Fill the file system to the last page.
      expect(() => writeFileSync(`${root}/filler`, Buffer.alloc(1 << 20))).toThrow(/ENOSPC/);
      const r = await runVirtune(['-c', uri, 'memtune full --live --soft-limit 100M']);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('No space left on device');
      // The change itself is in force: the cgroup holds it.
      const params = await (await conn.lookupDomainByName('full')).getMemoryParameters(DOMAIN_AFFECT_LIVE);
      expect(Number(params.find((p) => p.field === 'soft_limit')?.value)).toBe(100 * 1024);
      rmSync(`${root}/filler`);
      await dom.destroy();
    });
  });

  it('a container that died reads as shut off on a long-lived connection that adopted it, not as ENOENT noise', async () => {
    const starter = await openConnection(env.uri);
    const dom = await starter.defineDomainXML(lxcXML('dies', IDLE));
    await dom.create();
    const watcher = await openConnection(env.uri);
    const seen = await watcher.lookupDomainByName('dies');
    expect((await seen.getState()).state).toBe(DomainState.RUNNING);
    const stopped = waitForEvent(starter, (e) => e.kind === 'lifecycle' && e.event === DomainEventType.STOPPED);
    const [pid, start] = [dom.id, processStartTime(dom.id)!];
    process.kill(pid, 'SIGKILL');
    // The starter tears it down (cgroup and status file gone) before the watcher's poll comes round.
    await stopped;
    expect(isSameProcess(pid, start)).toBe(false);
    const info = await seen.getInfo();
    expect(info.state).toBe(DomainState.SHUTOFF);
    const e = await rejection(seen.getMemoryParameters(DOMAIN_AFFECT_LIVE));
    expect(e.code).toBe(ErrorCode.OPERATION_INVALID);
    expect(e.message).toContain('domain is not running');
    await watcher.close();
    await dom.undefine();
    await starter.close();
  });
});
