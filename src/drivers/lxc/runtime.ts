import type { ChildProcess } from 'node:child_process';
import type { DomainRun } from '../common/cgroup-driver-state.js';

/** What the driver knows about a running container beyond its definition and {@link DomainRun}. */
export interface ContainerRuntime extends DomainRun {
  /** The supervisor (`unshare`); the container's init is its child. */
  pid: number;
  pidStartTime: string;
  /** Set when this process started it: exit is then reported by the child's 'exit' event. */
  child?: ChildProcess;
  onChildExit?: () => void;
  /** Set when adopted from a status file: exit is found by polling. */
  timer?: NodeJS.Timeout;
}
