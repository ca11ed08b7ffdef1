import type { HostCgroups } from '../../cgroup/controller.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { ErrorDomain } from '../../errors.js';
import type { DomainEventSink } from '../../events.js';
import { UNLIMITED } from '../../memory/params.js';
import type { DomainDef } from '../../xml/domain-def.js';
import { CgroupDriverState } from '../common/cgroup-driver-state.js';
import type { DomainObject } from '../common/domain-objects.js';
import { isSameProcess } from '../common/process-identity.js';
import type { DomainStatusRecord, DomainStore } from '../common/store.js';
import { spawnContainer } from './container.js';
import { LXC_SPEC } from './lxc-spec.js';
import { parseLxcDomainXML } from './lxc-xml.js';
import type { LxcPaths } from './paths.js';
import type { ContainerRuntime } from './runtime.js';
import { killAndRemove } from './teardown.js';

/** How often an adopted container (started by another process) is checked for exit. */
const ADOPTED_POLL_MS = 250;

/**
 * One LXC root, shared by every connection a process opens on it: containers are an init process in fresh pid,
 * mount, uts, ipc and net namespaces (`unshare`), limited by their cgroup. What is LXC's own: the launch, how an
 * exit is seen (the child's exit event, or a poll for a container another process started), and the teardown.
 */
export class LxcDriverState extends CgroupDriverState<ContainerRuntime> {
  /** The state of `paths`' root (loaded on first use); pair with {@link release}. */
  static acquire(paths: LxcPaths, controller: HostCgroups, sink: DomainEventSink, readOnly = false): Promise<LxcDriverState> {
    return CgroupDriverState.acquireRoot(paths, ErrorDomain.LXC, sink, readOnly, (store) => new LxcDriverState(paths, store, controller));
  }

  private constructor(paths: LxcPaths, store: DomainStore, controller: HostCgroups) {
    super(LXC_SPEC, paths, store, controller);
  }

  parseXML(xml: string, validate?: boolean): DomainDef {
    return parseLxcDomainXML(xml, validate);
  }

  processOf(rt: ContainerRuntime): { pid: number; pidStartTime: string } {
    return rt;
  }

  /** As libvirt's LXC driver: a container's id is its supervisor's pid. */
  protected override idOf(rt: ContainerRuntime): number {
    return rt.pid;
  }

  protected isAlive(rt: ContainerRuntime): boolean {
    return isSameProcess(rt.pid, rt.pidStartTime) && rt.cgroup.exists();
  }

  protected async launch(_obj: DomainObject, live: DomainDef, cgroup: DomainCgroup): Promise<ContainerRuntime> {
    // As libvirt's LXC driver: without a hard limit, the container is held to its <memory>.
    const limits = { ...live.memtune };
    if (limits.hardLimit === UNLIMITED && live.memory > 0n) {
      limits.hardLimit = live.memory < limits.swapHardLimit ? live.memory : limits.swapHardLimit;
    }
    const oomKillsAtStart = this.prepareCgroup(cgroup, { ...live, memtune: limits });
    let started: Awaited<ReturnType<typeof spawnContainer>> | undefined;
    try {
      started = await spawnContainer(live, cgroup, this.store.logPath(live.name));
      return { cgroup, pid: started.pid, pidStartTime: started.pidStartTime, oomKillsAtStart, child: started.child };
    } catch (e) {
      await killAndRemove(cgroup, started?.pid ?? -1, started?.pidStartTime ?? '').catch(() => undefined);
      throw e;
    }
  }

  protected adopt(_name: string, record: DomainStatusRecord, cgroup: DomainCgroup): ContainerRuntime {
    return { cgroup, pid: record.pid, pidStartTime: record.pidStartTime, oomKillsAtStart: record.oomKillsAtStart ?? 0 };
  }

  /** A container this process started: its child's exit; one it adopted: a poll of its supervisor. */
  protected follow(obj: DomainObject, rt: ContainerRuntime): void {
    const exited = (): void => void this.ended(obj, rt);
    if (rt.child) {
      if (rt.child.exitCode !== null || rt.child.signalCode !== null) return exited();
      rt.onChildExit = exited;
      rt.child.once('exit', exited);
    } else {
      rt.timer = setInterval(() => {
        if (!isSameProcess(rt.pid, rt.pidStartTime)) exited();
      }, ADOPTED_POLL_MS);
      rt.timer.unref();
    }
  }

  protected unfollow(rt: ContainerRuntime): void {
    if (rt.timer) clearInterval(rt.timer);
    if (rt.child && rt.onChildExit) rt.child.off('exit', rt.onChildExit);
  }

  /** Everything in its cgroup killed (the supervisor too), then the cgroup removed. */
  protected teardown(rt: ContainerRuntime): Promise<void> {
    return killAndRemove(rt.cgroup, rt.pid, rt.pidStartTime);
  }

  /** A container whose supervisor is gone is torn down (its end reported) now rather than at the next poll. */
  async settle(obj: DomainObject): Promise<void> {
    const rt = this.runtimes.get(obj);
    if (!rt || isSameProcess(rt.pid, rt.pidStartTime)) return;
    await this.ended(obj, rt);
  }
}
