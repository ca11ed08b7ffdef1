import { ErrorDomain } from '../../errors.js';
import {
  DOMAIN_DESTROY_GRACEFUL,
  DOMAIN_UNDEFINE_CHECKPOINTS_METADATA,
  DOMAIN_UNDEFINE_KEEP_NVRAM,
  DOMAIN_UNDEFINE_KEEP_TPM,
  DOMAIN_UNDEFINE_MANAGED_SAVE,
  DOMAIN_UNDEFINE_NVRAM,
  DOMAIN_UNDEFINE_SNAPSHOTS_METADATA,
  DOMAIN_UNDEFINE_TPM,
} from '../../flags.js';
import { POSIX_SCHEDULER_PARAM_NAMES } from '../../scheduler/params.js';
import type { CgroupDriverSpec } from '../common/cgroup-driver-spec.js';

const D = ErrorDomain.QEMU;
/** virDomainUndefineFlagsValues QEMU accepts; virtune domains have none of the things they name, so no-ops. */
const UNDEFINE_FLAGS =
  DOMAIN_UNDEFINE_MANAGED_SAVE |
  DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
  DOMAIN_UNDEFINE_NVRAM |
  DOMAIN_UNDEFINE_KEEP_NVRAM |
  DOMAIN_UNDEFINE_CHECKPOINTS_METADATA |
  DOMAIN_UNDEFINE_TPM |
  DOMAIN_UNDEFINE_KEEP_TPM;

/** libvirt's QEMU driver in words: its function names, messages and the flags it takes. */
export const QEMU_SPEC: CgroupDriverSpec = {
  type: 'QEMU',
  errorDomain: D,
  fn: {
    listAll: 'qemuConnectListAllDomains',
    defineXML: 'qemuDomainDefineXMLFlags',
    createXML: 'qemuDomainCreateXML',
    create: 'qemuDomainCreateWithFlags',
    undefine: 'qemuDomainUndefineFlags',
    destroy: 'qemuDomainDestroyFlags',
    getXMLDesc: 'qemuDomainGetXMLDesc',
    getState: 'qemuDomainGetState',
    getMemoryParameters: 'qemuDomainGetMemoryParameters',
    setMemoryParameters: 'qemuDomainSetMemoryParameters',
    setMemoryFlags: 'qemuDomainSetMemoryFlags',
  },
  scheduler: {
    params: POSIX_SCHEDULER_PARAM_NAMES,
    getFn: 'qemuDomainGetSchedulerParametersFlags',
    setFn: 'qemuDomainSetSchedulerParametersFlags',
  },
  blkio: {
    getFn: 'qemuDomainGetBlkioParameters',
    setFn: 'qemuDomainSetBlkioParameters',
  },
  undefineFlags: UNDEFINE_FLAGS,
  destroyFlags: DOMAIN_DESTROY_GRACEFUL,
  undefineTransientMessage: 'cannot undefine transient domain',
  maxMemoryActiveMessage: 'cannot resize the maximum memory on an active domain',
  memoryAboveMaxMessage: 'cannot set memory higher than max memory',
};
