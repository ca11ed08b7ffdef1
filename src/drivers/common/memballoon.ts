import { ErrorCode, VirError, type ErrorDomain } from '../../errors.js';
import type { DomainDef } from '../../xml/domain-def.js';

/** virDomainDefHasMemballoon: a balloon device other than `model='none'`. */
export function hasMemballoon(def: DomainDef): boolean {
  const model = def.devices.memballoon?.model;
  return model !== undefined && model !== 'none';
}

/** libvirt's refusal to set a stats period on a domain without a balloon. */
export function noBalloonForPeriod(domain: ErrorDomain): VirError {
  return new VirError(ErrorCode.OPERATION_INVALID, domain, 'No memory balloon device configured, can not set the collection period');
}
