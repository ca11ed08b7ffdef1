import type { ChildProcess } from 'node:child_process';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';

/** Why a running container is being stopped by us, if it is. */
export type StopRequest = 'destroy' | 'shutdown';

/** What the driver knows about a running container beyond its definition. */
export interface ContainerRuntime {
  cgroup: DomainCgroup;
  /** The supervisor (`unshare`); the container's init is its child. */
  pid: number;
  pidStartTime: string;
  /** OOM kills counted in the cgroup at start; more at exit means the limit killed it. */
  oomKillsAtStart: number;
  stopRequest?: StopRequest;
  /** Set when this process started it: exit is then reported by the child's 'exit' event. */
  child?: ChildProcess;
  onChildExit?: () => void;
  /** Set when adopted from a status file: exit is found by polling. */
  timer?: NodeJS.Timeout;
}
