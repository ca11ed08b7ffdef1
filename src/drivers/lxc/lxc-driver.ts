import { readFileSync } from 'node:fs';
import type { DomainRef } from '../../driver.js';
import { ErrorCode, ErrorDomain, VirError, checkFlags } from '../../errors.js';
import { DOMAIN_SHUTDOWN_INITCTL, DOMAIN_SHUTDOWN_SIGNAL } from '../../flags.js';
import { CgroupDomainDriver } from '../common/cgroup-domain-driver.js';
import type { DomainObject } from '../common/domain-objects.js';
import type { LxcDriverState } from './lxc-state.js';
import type { ContainerRuntime } from './runtime.js';

const D = ErrorDomain.LXC;

/**
 * One connection to the LXC driver: the shared cgroup-backed driver over its root's {@link LxcDriverState}, plus
 * what is LXC's own (shutdown by signalling the container's init). State lives in files under the root, so
 * containers outlive the process that started them and any later connection on the same root finds them.
 */
export class LxcDriver extends CgroupDomainDriver<ContainerRuntime, LxcDriverState> {
  async domainShutdown(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, DOMAIN_SHUTDOWN_INITCTL | DOMAIN_SHUTDOWN_SIGNAL, 'lxcDomainShutdownFlags', D);
    await this.locked(ref, (obj) => {
      const rt = this.state.running(obj);
      rt.stopRequest ??= 'shutdown';
      // The container's init is the supervisor's only child; SIGTERM is libvirt's signal for it.
      let init = rt.pid;
      try {
        const children = readFileSync(`/proc/${rt.pid}/task/${rt.pid}/children`, 'utf8').trim().split(/\s+/);
        if (children[0]) init = Number(children[0]);
      } catch {
        /* the supervisor is exiting; its own exit is then reported */
      }
      try {
        process.kill(init, 'SIGTERM');
      } catch (e) {
        throw new VirError(ErrorCode.OPERATION_FAILED, D, `cannot signal the init of domain '${obj.name}': ${(e as Error).message}`);
      }
    });
  }

  /** A container whose supervisor is gone is torn down (its end reported) before it is read. */
  protected override settle(obj: DomainObject): Promise<void> {
    return this.state.settle(obj);
  }
}
