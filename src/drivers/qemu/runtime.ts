import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import type { MemlockLimits, QemuExit, QemuProcessId } from './process.js';
import type { QmpClient } from './qmp-client.js';

/** The files of one running domain, all under the driver's state directory. */
export interface QemuDomainFiles {
  monitorSocket: string;
  /** QEMU's stdout and stderr. */
  logFile: string;
  /** The guest's first serial port. */
  serialLog: string;
}

/** Why we are stopping a domain, if we are: its monitor closing is then expected, not a crash. */
export type StopRequest = 'destroy' | 'shutdown';

/** What the driver knows about a running QEMU beyond the live definition. */
export interface QemuRuntime {
  proc: QemuProcessId;
  /** Set when this process started QEMU: its exit is then reported by the child's exit event. */
  exited?: Promise<QemuExit>;
  /** The monitor; undefined while another process holds it (QMP serves one client at a time). */
  qmp?: QmpClient;
  cgroup: DomainCgroup;
  files: QemuDomainFiles;
  /** OOM kills counted in the cgroup at start; more at exit means the hard limit killed QEMU. */
  oomKillsAtStart: number;
  /** RLIMIT_MEMLOCK QEMU started with before any hard_limit: restored when hard_limit is removed live. */
  memlockFallback: MemlockLimits;
  /** Whether the domain has a balloon device. */
  hasBalloon: boolean;
  stopRequest?: StopRequest;
  /** QEMU announced an orderly end (SHUTDOWN event) before its monitor closed. */
  gotShutdown: boolean;
}
