import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorDomain } from '../../errors.js';
import type { CpuTune, MemTune } from '../../xml/domain-def.js';
import { systemError } from '../../cgroup/system-error.js';
import { readFileSync } from 'node:fs';
import { isDeadWritersTempFile, makeDirs, removeFileDurably, writeFileAtomic, writeFileAtomicSync } from './atomic-file.js';
import { domainFileStem, domainNameFromStem, legacyFileStems } from './file-name.js';

/**
 * What a driver records about a running domain, so a later process (a new `openConnection` on the same root)
 * can find it again and tell whether it still runs.
 */
export interface DomainStatusRecord {
  /** The live definition, as XML. */
  liveXml: string;
  /** The domain id handed out at start. */
  id: number;
  /** The pid of the process that is the domain (container supervisor, QEMU). */
  pid: number;
  /** That process's start time ({@link processStartTime}): a pid reused later has another. */
  pidStartTime: string;
  /** The domain's cgroup, relative to the memory controller's root. */
  cgroup?: string;
  /** QEMU: the QMP monitor socket. */
  monitorSocket?: string;
  /** virDomainState and its reason at the last save. */
  state: number;
  reason: number;
  /** OOM kills counted in the cgroup at start, so a later one can be told from an earlier one. */
  oomKillsAtStart?: number;
  /**
   * The limits the cgroup files held (as the driver knew them) when this record was written. A file that holds
   * something else at reconnect was changed after the save, and its value replaces the live definition's.
   * KiB as decimal strings (JSON has no bigint; records written before amounts were bigints hold numbers).
   */
  cgroupLimits?: Partial<Record<keyof MemTune, string | number>>;
  /** The same for the scheduler values kept one per file (`distinctCpuFields`), µs or shares as decimal strings. */
  cgroupCpu?: Partial<Record<keyof CpuTune, string>>;
  /** The same for the blkio weight (device values are keyed by device number in the files, by path in `liveXml`). */
  cgroupBlkio?: { weight?: string };
  /** Anything else the driver needs; kept verbatim. */
  extra?: Record<string, unknown>;
}

/** Where a driver keeps its files: persistent definitions, and status of running domains. */
export interface DomainStoreOptions {
  /** Persistent definitions, `<name>.xml` (e.g. /var/lib/virtune/lxc or ROOT/etc). */
  configDir: string;
  /** Status files and logs of running domains, `<name>.json` (e.g. /run/virtune/lxc or ROOT/run). */
  stateDir: string;
  /** Errors name this domain (QEMU, LXC). */
  errorDomain: ErrorDomain;
  /**
   * A read-only connection's store: it creates no directory, removes no leftover, and refuses to write (a
   * missing root reads as one without domains).
   */
  readOnly?: boolean;
}

/** One file found by {@link DomainStore.open}. */
export interface StoredEntry<T> {
  /** The domain name the file is for. */
  name: string;
  value: T;
}

/** What {@link DomainStore.open} loaded. */
export interface LoadedStore {
  store: DomainStore;
  /** Persistent definitions (XML text), one per domain. */
  configs: StoredEntry<string>[];
  /** Status records of domains that were running when last saved. */
  statuses: StoredEntry<DomainStatusRecord>[];
  /** Files that could not be read or parsed; they are skipped, so one bad file hides no other domain. */
  errors: { path: string; error: unknown }[];
}

/**
 * A driver's domain files under one root. Every write is atomic (temporary file, rename), so a reader sees the
 * old version or the new one. Persistent definitions are also durable (fsync of the file and the directory):
 * they must survive a host crash. Status records are not fsynced, as libvirt keeps them on tmpfs (/run): they
 * describe running processes, which a reboot ends, so durability would buy nothing and costs ~1–2 ms a save.
 * Driver-neutral: it stores XML text and status records; parsing is the driver's.
 *
 * @example
 * ```ts
 * const { store, configs, statuses } = await DomainStore.open({ configDir, stateDir, errorDomain: ErrorDomain.LXC });
 * await store.saveConfig('web', xml);
 * ```
 */
export class DomainStore {
  /**
   * Names this root for every process that opens it, whatever path leads there (device and inode of the
   * definitions directory): the namespace of its cross-process locks.
   */
  lockNamespace = '';
  /** The text of each file as this process last read or wrote it (absent: never, or the file is gone). */
  readonly #seen = new Map<string, string>();

  private constructor(readonly options: DomainStoreOptions) {}

  /**
   * Creates the directories if needed (unless read-only), removes what killed writers left, and loads every
   * definition and status file.
   */
  static async open(options: DomainStoreOptions): Promise<LoadedStore> {
    const store = new DomainStore(options);
    store.#writable = options.readOnly !== true;
    if (store.#writable) await store.ensureDirectories();
    try {
      const id = await stat(options.configDir, { bigint: true });
      store.lockNamespace = `${id.dev}:${id.ino}`;
    } catch (e) {
      if (store.#writable) throw systemError(options.errorDomain, `cannot access directory '${options.configDir}'`, e, options.configDir);
    }
    const errors: LoadedStore['errors'] = [];
    const configs = await store.loadDir(options.configDir, '.xml', (text) => text, errors);
    const statuses = await store.loadDir(options.stateDir, '.json', (text) => JSON.parse(text) as DomainStatusRecord, errors);
    return { store, configs, statuses, errors };
  }

  /** True when this store may write (it was not opened for a read-only connection). */
  get writable(): boolean {
    return this.#writable;
  }
  #writable = true;

  /**
   * Makes a store opened read-only writable (a read-write connection now shares it): creates its directories
   * and names its locks.
   */
  async makeWritable(): Promise<void> {
    if (this.#writable) return;
    await this.ensureDirectories();
    const id = await stat(this.options.configDir, { bigint: true });
    this.lockNamespace = `${id.dev}:${id.ino}`;
    this.#writable = true;
  }

  /** Creates the definitions and state directories, naming the real cause when it cannot (EROFS, EACCES, ...). */
  async ensureDirectories(): Promise<void> {
    for (const dir of [this.options.configDir, this.options.stateDir]) {
      try {
        await makeDirs(dir, 0o700);
      } catch (e) {
        throw systemError(this.options.errorDomain, `cannot create directory '${dir}'`, e, dir);
      }
    }
  }

  private async loadDir<T>(
    dir: string,
    suffix: string,
    parse: (text: string) => T,
    errors: LoadedStore['errors'],
  ): Promise<StoredEntry<T>[]> {
    const out: StoredEntry<T>[] = [];
    let files: string[];
    try {
      files = await readdir(dir);
    } catch (e) {
      // Only a read-only connection gets here without the directory: it created nothing, so there is nothing.
      if (!this.#writable && (e as NodeJS.ErrnoException).code === 'ENOENT') return out;
      throw systemError(this.options.errorDomain, `cannot read directory '${dir}'`, e, dir);
    }
    for (const file of files.sort()) {
      const path = join(dir, file);
      // A write killed before its rename leaves `FILE.tmp-PID-HEX`: never read, and removed once its writer is gone.
      if (await isDeadWritersTempFile(path)) {
        if (!this.#writable) continue;
        await removeFileDurably(path, false).catch((error: unknown) => errors.push({ path, error }));
        continue;
      }
      if (!file.endsWith(suffix)) continue;
      try {
        const name = domainNameFromStem(file.slice(0, -suffix.length));
        if (name === undefined) throw new URIError(`not a domain file name: ${file}`);
        const text = await readFile(path, 'utf8');
        this.#seen.set(path, text);
        const value = parse(text);
        out.push({ name, value });
      } catch (error) {
        errors.push({ path, error });
      }
    }
    return out;
  }

  /** Path of the persistent definition of `name`. */
  configPath(name: string): string {
    return join(this.options.configDir, `${domainFileStem(name)}.xml`);
  }

  /** Path of the status file of `name`. */
  statusPath(name: string): string {
    return join(this.options.stateDir, `${domainFileStem(name)}.json`);
  }

  /** Path of the log of `name` (the domain process's output). */
  logPath(name: string): string {
    return join(this.options.stateDir, `${domainFileStem(name)}.log`);
  }

  /** Saves the persistent definition atomically. */
  async saveConfig(name: string, xml: string): Promise<void> {
    const path = this.configPath(name);
    await this.guard(path, 'Failed to write config file', () => writeFileAtomic(path, xml));
    this.#seen.set(path, xml);
    await this.removeLegacy(this.options.configDir, name, '.xml', 'Failed to delete config file');
  }

  async removeConfig(name: string): Promise<void> {
    const path = this.configPath(name);
    await this.guard(path, 'Failed to delete config file', () => removeFileDurably(path));
    this.#seen.delete(path);
    await this.removeLegacy(this.options.configDir, name, '.xml', 'Failed to delete config file');
  }

  /** Removes `name`'s files under stems it no longer uses (see {@link legacyFileStems}). */
  private async removeLegacy(dir: string, name: string, suffix: string, text: string): Promise<void> {
    for (const stem of legacyFileStems(name)) {
      const path = join(dir, `${stem}${suffix}`);
      await this.guard(path, text, () => removeFileDurably(path));
    }
  }

  /**
   * The text of `path` now (undefined when there is no such file), and whether it differs from what this
   * process last read or wrote there: another process changed it. A read error other than a missing file is
   * thrown in libvirt's words.
   */
  async readFresh(path: string): Promise<{ text: string | undefined; changed: boolean }> {
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw systemError(this.options.errorDomain, `Failed to read file '${path}'`, e, path);
    }
    const changed = this.#seen.get(path) !== text;
    if (text === undefined) this.#seen.delete(path);
    else this.#seen.set(path, text);
    return { text, changed };
  }

  /**
   * Saves a running domain's status atomically (not durably: see the class comment). With `sync`, without
   * yielding: a save made under the domain's lock then holds it for the write alone, not for thread-pool round
   * trips (which a loaded host makes long).
   */
  async saveStatus(name: string, status: DomainStatusRecord, { sync = false } = {}): Promise<void> {
    const path = this.statusPath(name);
    const text = `${JSON.stringify(status, null, 2)}\n`;
    const write = sync ? async () => writeFileAtomicSync(path, text) : () => writeFileAtomic(path, text, { durable: false });
    await this.guard(path, 'Failed to write status file', write);
    this.#seen.set(path, text);
    await this.removeLegacy(this.options.stateDir, name, '.json', 'Failed to delete status file');
  }

  /** The status file of `name` as it is on disk now, or undefined when there is none (or it is unreadable). */
  async readStatus(name: string): Promise<DomainStatusRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.statusPath(name), 'utf8')) as DomainStatusRecord;
    } catch {
      return undefined;
    }
  }

  /** {@link readStatus} without yielding (see {@link saveStatus}'s `sync`). */
  readStatusSync(name: string): DomainStatusRecord | undefined {
    try {
      return JSON.parse(readFileSync(this.statusPath(name), 'utf8')) as DomainStatusRecord;
    } catch {
      return undefined;
    }
  }

  async removeStatus(name: string): Promise<void> {
    const path = this.statusPath(name);
    await this.guard(path, 'Failed to delete status file', () => removeFileDurably(path, false));
    this.#seen.delete(path);
    await this.removeLegacy(this.options.stateDir, name, '.json', 'Failed to delete status file');
  }

  private async guard(path: string, text: string, op: () => Promise<void>): Promise<void> {
    try {
      await op();
    } catch (e) {
      throw systemError(this.options.errorDomain, `${text} '${path}'`, e, path);
    }
  }
}
