import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainLocks } from '../../../src/drivers/common/domain-lock.js';
import { DomainObject } from '../../../src/drivers/common/domain-objects.js';
import { StatusWriteBehind } from '../../../src/drivers/common/status-write-behind.js';
import { DomainStore, type DomainStatusRecord } from '../../../src/drivers/common/store.js';
import { ErrorDomain } from '../../../src/errors.js';
import { eventually } from '../../helpers/eventually.js';
import { domainDef } from '../../helpers/domain-def.js';

const HOUR = 3_600_000;
let root: string;
let store: DomainStore;
let saves: number;
/** The real store, with its status saves counted. */
let counted: DomainStore;

beforeEach(async () => {
  root = mkdtempSync(`${tmpdir()}/virtune-behind-${process.pid}-`);
  ({ store } = await DomainStore.open({ configDir: `${root}/etc`, stateDir: `${root}/run`, errorDomain: ErrorDomain.LXC }));
  saves = 0;
  counted = Object.assign(Object.create(store) as DomainStore, {
    saveStatus: async (name: string, s: DomainStatusRecord) => {
      saves++;
      await store.saveStatus(name, s);
    },
  });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A running domain whose status file names pid 4242, and the record the write-behind would save for it. */
async function running(): Promise<{ obj: DomainObject; record: (o: DomainObject) => DomainStatusRecord | undefined }> {
  const def = domainDef('lxc', { name: `web-${saves}`, memtune: { hardLimit: 1024n } });
  const obj = new DomainObject(def, structuredClone(def));
  const record = (o: DomainObject): DomainStatusRecord | undefined =>
    o.live && { liveXml: `hard=${o.live.memtune.hardLimit}`, id: 1, pid: 4242, pidStartTime: '77', state: 1, reason: 1 };
  await store.saveStatus(obj.name, record(obj)!);
  return { obj, record };
}

describe('StatusWriteBehind', () => {
  it('many changes, one save, of the live definition as it is when saved', async () => {
    const { obj, record } = await running();
    const behind = new StatusWriteBehind(counted, new DomainLocks(), record, HOUR);
    for (let kib = 2048n; kib <= 20480n; kib += 2048n) {
      obj.live!.memtune.hardLimit = kib;
      behind.schedule(obj);
    }
    expect(behind.isPending(obj)).toBe(true);
    expect(saves).toBe(0);
    expect((await store.readStatus(obj.name))?.liveXml).toBe('hard=1024');
    expect(await behind.flushAll()).toEqual([]);
    expect(saves).toBe(1);
    expect(behind.isPending(obj)).toBe(false);
    expect((await store.readStatus(obj.name))?.liveXml).toBe('hard=20480');
  });

  it('saves by itself once the delay has passed', async () => {
    const { obj, record } = await running();
    const behind = new StatusWriteBehind(counted, new DomainLocks(), record, 1);
    obj.live!.memtune.hardLimit = 4096n;
    behind.schedule(obj);
    await eventually(async () => ((await store.readStatus(obj.name))?.liveXml === 'hard=4096' ? true : undefined));
    expect(saves).toBe(1);
    expect(behind.isPending(obj)).toBe(false);
  });

  it('a cancelled save, or one for a domain that stopped, writes nothing', async () => {
    const { obj, record } = await running();
    const behind = new StatusWriteBehind(counted, new DomainLocks(), record, HOUR);
    obj.live!.memtune.hardLimit = 4096n;
    behind.schedule(obj);
    behind.cancel(obj);
    await behind.flushAll();
    expect(saves).toBe(0);
    behind.schedule(obj);
    obj.live = undefined;
    await behind.flushAll();
    expect(saves).toBe(0);
    expect((await store.readStatus(obj.name))?.liveXml).toBe('hard=1024');
  });

  it('never overwrites a status file that names another process, nor recreates a removed one', async () => {
    const { obj, record } = await running();
    const behind = new StatusWriteBehind(counted, new DomainLocks(), record, HOUR);
    // Another connection on the same root restarted the domain: its status names the new process.
    const theirs = { ...record(obj)!, pid: 5151, liveXml: 'theirs' };
    writeFileSync(store.statusPath(obj.name), JSON.stringify(theirs));
    obj.live!.memtune.hardLimit = 4096n;
    behind.schedule(obj);
    await behind.flushAll();
    expect(await store.readStatus(obj.name)).toEqual(theirs);
    await store.removeStatus(obj.name);
    behind.schedule(obj);
    await behind.flushAll();
    expect(await store.readStatus(obj.name)).toBeUndefined();
    expect(saves).toBe(0);
  });

  it('waits for the domain lock: a save never runs inside another task on the domain', async () => {
    const { obj, record } = await running();
    const locks = new DomainLocks();
    const behind = new StatusWriteBehind(counted, locks, record, HOUR);
    let release: (() => void) | undefined;
    const held = locks.run(obj.uuid, () => new Promise<void>((r) => (release = r)));
    obj.live!.memtune.hardLimit = 8192n;
    behind.schedule(obj);
    const flushed = behind.flushAll();
    await eventually(() => (release ? true : undefined));
    expect(saves).toBe(0);
    release!();
    await held;
    await flushed;
    expect(saves).toBe(1);
    expect((await store.readStatus(obj.name))?.liveXml).toBe('hard=8192');
  });
});
