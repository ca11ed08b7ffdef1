import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/drivers/common/atomic-file.js';
import { DomainStore, type DomainStatusRecord } from '../../../src/drivers/common/store.js';
import { ErrorCode, ErrorDomain, VirError } from '../../../src/errors.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(`${tmpdir()}/virtune-store-${process.pid}-`);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const opts = () => ({ configDir: `${root}/etc`, stateDir: `${root}/run`, errorDomain: ErrorDomain.LXC });
const status: DomainStatusRecord = {
  liveXml: '<domain/>',
  id: 42,
  pid: 4242,
  pidStartTime: '123456',
  cgroup: 'machine/a.virtune-lxc',
  state: 1,
  reason: 1,
};

describe('DomainStore', () => {
  it('creates its directories and loads everything saved by an earlier instance', async () => {
    const { store, configs, statuses } = await DomainStore.open(opts());
    expect(configs).toEqual([]);
    expect(statuses).toEqual([]);
    await store.saveConfig('a', '<domain>a</domain>');
    await store.saveConfig('b', '<domain>b</domain>');
    await store.saveStatus('a', status);
    const again = await DomainStore.open(opts());
    expect(again.configs).toEqual([
      { name: 'a', value: '<domain>a</domain>' },
      { name: 'b', value: '<domain>b</domain>' },
    ]);
    expect(again.statuses).toEqual([{ name: 'a', value: status }]);
  });

  it('replaces a file whole and leaves no temporary file behind', async () => {
    const { store } = await DomainStore.open(opts());
    await store.saveConfig('a', 'x'.repeat(10_000));
    await store.saveConfig('a', 'short');
    expect(readFileSync(store.configPath('a'), 'utf8')).toBe('short');
    expect(readdirSync(`${root}/etc`)).toEqual(['a.xml']);
  });

  it('ignores a temporary file left by an interrupted write', async () => {
    const { store } = await DomainStore.open(opts());
    await store.saveConfig('a', 'old');
    writeFileSync(`${store.configPath('a')}.tmp-1-abcd`, 'half');
    const again = await DomainStore.open(opts());
    expect(again.configs).toEqual([{ name: 'a', value: 'old' }]);
  });

  // Issue 11 item 5: a killed writer's `FILE.tmp-PID-HEX` is removed by the next read-write open, once its writer is
  // gone — and only then, and never by a read-only one.
  it('removes on open the temporary files of writers that are gone, keeps a live writer\'s, and a read-only open removes none', async () => {
    const { store } = await DomainStore.open(opts());
    await store.saveConfig('a', 'old');
    // A writer that has exited: a process of ours, waited for (its pid is not reused within this test).
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const deadWriters = `${store.configPath('a')}.tmp-${gone}-abcd`;
    writeFileSync(deadWriters, 'half');
    // A writer whose pid now belongs to a process that started after the file was last written (this one): gone.
    const reused = `${store.configPath('a')}.tmp-${process.pid}-beef`;
    writeFileSync(reused, 'half');
    const anHourAgo = Date.now() / 1000 - 3600 - process.uptime();
    utimesSync(reused, anHourAgo, anHourAgo);
    // A writer that still runs and may be writing (this process, the file written now): kept.
    const live = `${store.configPath('a')}.tmp-${process.pid}-cafe`;
    writeFileSync(live, 'half');
    const statusTemp = `${store.statusPath('a')}.tmp-${gone}-abcd`;
    writeFileSync(statusTemp, 'half');

    const ro = await DomainStore.open({ ...opts(), readOnly: true });
    expect(ro.configs).toEqual([{ name: 'a', value: 'old' }]);
    expect([deadWriters, reused, live, statusTemp].filter((f) => existsSync(f))).toHaveLength(4);

    const rw = await DomainStore.open(opts());
    expect(rw.configs).toEqual([{ name: 'a', value: 'old' }]);
    expect(rw.errors).toEqual([]);
    expect(readdirSync(`${root}/etc`).sort()).toEqual(['a.xml', `a.xml.tmp-${process.pid}-cafe`]);
    expect(readdirSync(`${root}/run`)).toEqual([]);
  });

  it('keeps any name inside its directory and gets it back', async () => {
    const { store } = await DomainStore.open(opts());
    for (const name of ['../escape', 'a/b', '.hidden', 'ünï cödé', '%2F']) await store.saveConfig(name, name);
    expect(readdirSync(`${root}/etc`).every((f) => !f.includes('/') && !f.startsWith('.'))).toBe(true);
    const again = await DomainStore.open(opts());
    expect(again.configs.map((c) => c.name).sort()).toEqual(['%2F', '../escape', '.hidden', 'a/b', 'ünï cödé'].sort());
    expect(again.configs.every((c) => c.name === c.value)).toBe(true);
  });

  it('removes files durably; removing a missing one is fine', async () => {
    const { store } = await DomainStore.open(opts());
    await store.saveStatus('a', status);
    await store.removeStatus('a');
    await store.removeStatus('a');
    expect((await DomainStore.open(opts())).statuses).toEqual([]);
  });

  it('reports a failed save as a system error naming the file, and keeps the old content', async () => {
    const { store } = await DomainStore.open(opts());
    await store.saveConfig('a', 'old');
    // A directory where the temporary file's rename target is makes rename fail (EISDIR), even as root.
    rmSync(store.configPath('a'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(store.configPath('a'));
    const err = await store.saveConfig('a', 'new').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VirError);
    expect((err as VirError).code).toBe(ErrorCode.SYSTEM_ERROR);
    expect((err as VirError).message).toMatch(/^Failed to write config file '.*a\.xml': /);
    expect(readdirSync(`${root}/etc`)).toEqual(['a.xml']);
  });

  it('writeFileAtomic keeps the requested mode', async () => {
    const path = `${root}/f`;
    await writeFileAtomic(path, 'x', 0o640);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readFileSync(path, 'utf8')).toBe('x');
  });
});
