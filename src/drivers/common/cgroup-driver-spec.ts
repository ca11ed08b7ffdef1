import type { ErrorDomain } from '../../errors.js';
import type { SchedulerParamName } from '../../scheduler/params.js';

/**
 * Where the drivers built on the cgroup-backed skeleton (`CgroupDomainDriver` over `CgroupDriverState`) differ
 * in words and flags: libvirt's names and messages for each of them.
 */
export interface CgroupDriverSpec {
  /** What `getType` answers (`LXC`, `QEMU`). */
  type: string;
  /** The driver's error domain (LXC, QEMU). */
  errorDomain: ErrorDomain;
  /** The libvirt driver functions that flag errors name, e.g. `qemuConnectListAllDomains`. */
  fn: {
    listAll: string;
    defineXML: string;
    createXML: string;
    create: string;
    undefine: string;
    destroy: string;
    getXMLDesc: string;
    getState: string;
    getMemoryParameters: string;
    setMemoryParameters: string;
    setMemoryFlags: string;
  };
  /**
   * The scheduler entries, when the driver has them (cpu_shares and CFS bandwidth through the cpu controller):
   * the parameters it takes and reports, libvirt's order (QEMU: all nine; LXC: three), and the driver functions
   * flag errors name.
   */
  scheduler?: {
    params: readonly SchedulerParamName[];
    getFn: string;
    setFn: string;
  };
  /** The blkio entries, when the driver has them: the driver functions flag errors name. */
  blkio?: {
    getFn: string;
    setFn: string;
  };
  /** The flags undefine accepts. */
  undefineFlags: number;
  /** The flags destroy accepts (QEMU: GRACEFUL). */
  destroyFlags: number;
  /** The words libvirt's driver refuses to undefine a transient domain with. */
  undefineTransientMessage: string;
  /** The words libvirt's driver refuses setMemoryFlags(MEM_MAXIMUM) on a running domain with. */
  maxMemoryActiveMessage: string;
  /** The words libvirt's driver refuses a current memory above `<memory>` with. */
  memoryAboveMaxMessage: string;
}
