import { UNLIMITED } from '../memory/params.js';
import { realCgroupFs, type CgroupFileSystem } from './cgroup-fs.js';
import { MEMORY, type ControllerSpec } from './controllers.js';
import { detectCgroupLayout, v2Controllers, type CgroupLayout } from './detect.js';
import { DomainCgroup, type ControllerPlacement } from './domain-cgroup.js';
import { DEFAULT_CGROUP_PARENT, domainCgroupRelPath, parseCgroupParent } from './names.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySpec = ControllerSpec<any, any, any>;

/** Where and how domain cgroups are made. Every field is optional; the defaults describe this host. */
export interface HostCgroupsOptions {
  /**
   * A cgroupfs directory to use for every controller (v1: a hierarchy's mount, v2: the cgroup2 mount). Give it,
   * with `version`, to work on a directory laid out like cgroupfs. Default: each controller found in
   * /proc/self/mountinfo.
   */
  root?: string;
  /** The cgroup version `root` follows. Default: v2 when `root/cgroup.controllers` exists, else v1. */
  version?: 'v1' | 'v2';
  /** The parent of domain cgroups, relative to each root. Default `machine`. */
  parent?: string;
  /** File operations; tests substitute a fault-injecting one. */
  fs?: CgroupFileSystem;
  /** The mountinfo file to detect from. Default /proc/self/mountinfo. */
  mountinfoPath?: string;
  /** The controllers domain cgroups span; each must be present. Default: memory alone. */
  controllers?: readonly AnySpec[];
  /** Controllers domain cgroups span when the host has them (cpu, blkio): a host without them still opens. */
  optionalControllers?: readonly AnySpec[];
}

/** Where a controller is on a host, from its layout: its v1 hierarchy if usable, else cgroup2 if it offers it. */
function locate(spec: AnySpec, layout: CgroupLayout, fs: CgroupFileSystem, unifiedControllers: () => string[]): ControllerPlacement | undefined {
  const v1Root = layout.v1[spec.v1Name];
  const probe = spec.files.v1.probeFile;
  if (v1Root !== undefined && (probe === undefined || fs.exists(`${v1Root}/${probe}`))) {
    return { spec, files: spec.files.v1, root: v1Root };
  }
  if (layout.unified !== undefined && unifiedControllers().includes(spec.v2Name)) {
    return { spec, files: spec.files.v2, root: layout.unified };
  }
  return undefined;
}

/**
 * The host's cgroup controllers a driver needs, and where its domain cgroups go: makes {@link DomainCgroup}s
 * spanning those controllers under one parent. It knows controllers only as data ({@link ControllerSpec}).
 */
export class HostCgroups {
  private constructor(
    readonly fs: CgroupFileSystem,
    readonly placements: readonly ControllerPlacement[],
    readonly parent: string,
  ) {
    parseCgroupParent(parent);
  }

  /**
   * The controllers described by `options`, or undefined when the host lacks one of them (for memory: no v1
   * memory hierarchy, and no cgroup2 with `memory` in its cgroup.controllers).
   */
  static open(options: HostCgroupsOptions = {}): HostCgroups | undefined {
    const fs = options.fs ?? realCgroupFs;
    const parent = options.parent ?? DEFAULT_CGROUP_PARENT;
    const specs = options.controllers ?? [MEMORY];
    if (options.root !== undefined) {
      const root = options.root;
      const version = options.version ?? (fs.exists(`${root}/cgroup.controllers`) ? 'v2' : 'v1');
      // An optional controller only when the tree offers it (v2: cgroup.controllers; v1: its probe file).
      const offered = (spec: AnySpec): boolean =>
        version === 'v2' ? v2Controllers(fs, root).includes(spec.v2Name) : spec.files.v1.probeFile === undefined || fs.exists(`${root}/${spec.files.v1.probeFile}`);
      const all = [...specs, ...(options.optionalControllers ?? []).filter(offered)];
      return new HostCgroups(fs, all.map((spec) => ({ spec, files: spec.files[version], root })), parent);
    }
    const layout = detectCgroupLayout(options.mountinfoPath);
    let offered: string[] | undefined;
    const unifiedControllers = (): string[] => (offered ??= v2Controllers(fs, layout.unified!));
    const placements: ControllerPlacement[] = [];
    for (const spec of specs) {
      const p = locate(spec, layout, fs, unifiedControllers);
      if (p === undefined) return undefined;
      placements.push(p);
    }
    for (const spec of options.optionalControllers ?? []) {
      const p = locate(spec, layout, fs, unifiedControllers);
      if (p !== undefined) placements.push(p);
    }
    return new HostCgroups(fs, placements, parent);
  }

  /** The mount of the first controller (for memory alone, the memory hierarchy or the cgroup2 mount). */
  get root(): string {
    return this.placements[0]!.root;
  }

  /** Whether domain cgroups span controller `spec` on this host. */
  has(spec: AnySpec): boolean {
    return this.placements.some((p) => p.spec === spec);
  }

  /** The file table of controller `spec` in the version this host has; the controller must be one it spans. */
  filesOf<S extends AnySpec>(spec: S): S['files']['v1'] {
    const p = this.placements.find((x) => x.spec === spec);
    if (p === undefined) throw new Error(`the ${spec.v1Name} controller is not one of this host's`);
    return p.files as S['files']['v1'];
  }

  /** The cgroup of domain `name` of driver `driver` (`<parent>/<name>.virtune-<driver>`); not created yet. */
  domain(name: string, driver: string): DomainCgroup {
    return new DomainCgroup(this.fs, this.placements, domainCgroupRelPath(name, driver, this.parent));
  }

  /** A DomainCgroup for a path recorded earlier (a status file), relative to the roots. */
  fromRelPath(relPath: string): DomainCgroup {
    return new DomainCgroup(this.fs, this.placements, relPath);
  }

  /**
   * The tightest memory hard limit on the parent and its existing ancestors, KiB (UNLIMITED when none): what all
   * domains together can never exceed. Read through the memory controller's file table.
   */
  parentLimitKiB(): bigint {
    const files = this.filesOf(MEMORY);
    const root = this.placements.find((p) => p.spec === MEMORY)!.root;
    let limit = UNLIMITED;
    let dir = root;
    for (const part of ['', ...parseCgroupParent(this.parent)]) {
      if (part !== '') dir = `${dir}/${part}`;
      if (!this.fs.exists(`${dir}/${files.fileOf.hardLimit}`)) continue;
      const hard = MEMORY.open(this.fs, files, dir).read().hardLimit ?? UNLIMITED;
      if (hard < limit) limit = hard;
    }
    return limit;
  }
}
