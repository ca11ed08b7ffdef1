/** The words virsh uses for domain states and their reasons (virsh-domain-monitor.c). */
import { DomainState } from '../flags.js';

const STATES = ['no state', 'running', 'idle', 'paused', 'in shutdown', 'shut off', 'crashed', 'pmsuspended'];

const REASONS: Partial<Record<DomainState, readonly string[]>> = {
  [DomainState.NOSTATE]: ['unknown'],
  [DomainState.RUNNING]: [
    'unknown', 'booted', 'migrated', 'restored', 'from snapshot', 'unpaused', 'migration canceled',
    'save canceled', 'event wakeup', 'crashed', 'post-copy', 'post-copy failed',
  ],
  [DomainState.BLOCKED]: ['unknown'],
  [DomainState.PAUSED]: [
    'unknown', 'user', 'migrating', 'saving', 'dumping', 'I/O error', 'watchdog', 'from snapshot',
    'shutting down', 'creating snapshot', 'starting up', 'post-copy', 'post-copy failed', 'api error',
  ],
  [DomainState.SHUTDOWN]: ['unknown', 'user'],
  [DomainState.SHUTOFF]: [
    'unknown', 'shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from snapshot', 'daemon',
  ],
  [DomainState.CRASHED]: ['unknown', 'panicked'],
  [DomainState.PMSUSPENDED]: ['unknown'],
};

/** virshDomainStateToString: `running`, `shut off`, ... */
export function stateName(state: number): string {
  return STATES[state] ?? 'no state';
}

/** virshDomainStateReasonToString: `booted`, `destroyed`, ... */
export function reasonName(state: number, reason: number): string {
  return REASONS[state as DomainState]?.[reason] ?? 'unknown';
}
