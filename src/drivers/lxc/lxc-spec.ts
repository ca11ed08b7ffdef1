import { ErrorDomain } from '../../errors.js';
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
  undefineFlags: 0,
  destroyFlags: 0,
  undefineTransientMessage: 'Cannot undefine transient domain',
  maxMemoryActiveMessage: 'Cannot resize the max memory on an active domain',
  memoryAboveMaxMessage: 'Cannot set memory higher than max memory',
};
