import { ErrorDomain } from '../../errors.js';
import { LXC_SCHEDULER_PARAM_NAMES } from '../../scheduler/params.js';
import type { CgroupDriverSpec } from '../common/cgroup-driver-spec.js';

/** libvirt's LXC driver in words: its function names and messages. */
export const LXC_SPEC: CgroupDriverSpec = {
  type: 'LXC',
  errorDomain: ErrorDomain.LXC,
  fn: {
    listAll: 'lxcConnectListAllDomains',
    defineXML: 'lxcDomainDefineXMLFlags',
    createXML: 'lxcDomainCreateXMLWithFiles',
    create: 'lxcDomainCreateWithFiles',
    undefine: 'lxcDomainUndefineFlags',
    destroy: 'lxcDomainDestroyFlags',
    getXMLDesc: 'lxcDomainGetXMLDesc',
    getState: 'lxcDomainGetState',
    getMemoryParameters: 'lxcDomainGetMemoryParameters',
    setMemoryParameters: 'lxcDomainSetMemoryParameters',
    setMemoryFlags: 'lxcDomainSetMemoryFlags',
  },
  scheduler: {
    params: LXC_SCHEDULER_PARAM_NAMES,
    getFn: 'lxcDomainGetSchedulerParametersFlags',
    setFn: 'lxcDomainSetSchedulerParametersFlags',
  },
  blkio: {
    getFn: 'lxcDomainGetBlkioParameters',
    setFn: 'lxcDomainSetBlkioParameters',
  },
  undefineFlags: 0,
  destroyFlags: 0,
  undefineTransientMessage: 'Cannot undefine transient domain',
  maxMemoryActiveMessage: 'Cannot resize the max memory on an active domain',
  memoryAboveMaxMessage: 'Cannot set memory higher than max memory',
};
