import { UNLIMITED } from '../memory/params.js';
import type { MemoryBackend } from './backend.js';
import { realCgroupFs, type CgroupFileSystem } from './cgroup-fs.js';
import { detectCgroupLayout } from './detect.js';
import { DomainCgroup } from './domain-cgroup.js';
import { DEFAULT_CGROUP_PARENT, domainCgroupRelPath, parseCgroupParent } from './names.js';
import { v1Backend } from './v1.js';
import { v2Backend } from './v2.js';

/** Where and how domain cgroups are made. Every field is optional; the defaults describe this host. */
export interface MemoryControllerOptions {
  /**
   * The cgroupfs directory of the memory hierarchy (v1: its mount, v2: the cgroup2 mount). Give it, with
   * `version`, to work on a directory laid out like cgroupfs. Default: found in /proc/self/mountinfo.
   */
  root?: string;
  /** The cgroup version `root` follows. Default: v2 when `root/cgroup.controllers` exists, else v1. */
  version?: 'v1' | 'v2';
  /** The parent of domain cgroups, relative to `root`. Default `machine`. */
  parent?: string;
  /** File operations; tests substitute a fault-injecting one. */
  fs?: CgroupFileSystem;
  /** The mountinfo file to detect from. Default /proc/self/mountinfo. */
  mountinfoPath?: string;
}

/** The host's memory controller: makes {@link DomainCgroup}s under one parent. */
export class MemoryController {
  private constructor(
    readonly fs: CgroupFileSystem,
    readonly backend: MemoryBackend,
    readonly root: string,
    readonly parent: string,
  ) {
    parseCgroupParent(parent);
  }

  /**
   * The memory controller described by `options`, or undefined when the host has none (no v1 memory
   * hierarchy, and no cgroup2 with `memory` in its cgroup.controllers).
   */
  static open(options: MemoryControllerOptions = {}): MemoryController | undefined {
    const fs = options.fs ?? realCgroupFs;
    const parent = options.parent ?? DEFAULT_CGROUP_PARENT;
    if (options.root !== undefined) {
      const version = options.version ?? (fs.exists(`${options.root}/cgroup.controllers`) ? 'v2' : 'v1');
      return new MemoryController(fs, version === 'v2' ? v2Backend : v1Backend, options.root, parent);
    }
    const layout = detectCgroupLayout(options.mountinfoPath);
    if (layout.v1Memory !== undefined && fs.exists(`${layout.v1Memory}/memory.limit_in_bytes`)) {
      return new MemoryController(fs, v1Backend, layout.v1Memory, parent);
    }
    if (layout.unified !== undefined) {
      let controllers = '';
      try {
        controllers = fs.readFile(`${layout.unified}/cgroup.controllers`);
      } catch {
        return undefined;
      }
      if (controllers.split(/\s+/).includes('memory')) {
        return new MemoryController(fs, v2Backend, layout.unified, parent);
      }
    }
    return undefined;
  }

  /** The cgroup of domain `name` of driver `driver` (`<parent>/<name>.virtune-<driver>`); not created yet. */
  domain(name: string, driver: string): DomainCgroup {
    return new DomainCgroup(this.fs, this.backend, this.root, domainCgroupRelPath(name, driver, this.parent));
  }

  /** A DomainCgroup for a path recorded earlier (a status file), relative to the root. */
  fromRelPath(relPath: string): DomainCgroup {
    return new DomainCgroup(this.fs, this.backend, this.root, relPath);
  }

  /**
   * The tightest hard limit on the parent and its existing ancestors, KiB (UNLIMITED when none): what all
   * domains together can never exceed.
   */
  parentLimitKiB(): bigint {
    let limit = UNLIMITED;
    let rel = '';
    for (const part of ['', ...parseCgroupParent(this.parent)]) {
      rel = part === '' ? rel : rel === '' ? part : `${rel}/${part}`;
      const dir = rel === '' ? this.root : `${this.root}/${rel}`;
      const cg = new DomainCgroup(this.fs, this.backend, this.root, rel);
      if (!this.fs.exists(`${dir}/${this.backend.version === 'v1' ? 'memory.limit_in_bytes' : 'memory.max'}`)) continue;
      const hard = cg.readLimits().hardLimit ?? UNLIMITED;
      if (hard < limit) limit = hard;
    }
    return limit;
  }
}
