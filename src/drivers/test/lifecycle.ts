import { ErrorCode, ErrorDomain, VirError, checkFlags } from '../../errors.js';
import type { DomainRef } from '../../driver.js';
import {
  DomainEventDefinedDetail,
  DomainEventStartedDetail,
  DomainEventStoppedDetail,
  DomainEventType,
  DomainEventUndefinedDetail,
} from '../../events.js';
import {
  DOMAIN_DEFINE_VALIDATE,
  DOMAIN_DESTROY_GRACEFUL,
  DOMAIN_START_VALIDATE,
  DOMAIN_UNDEFINE_MANAGED_SAVE,
  DOMAIN_UNDEFINE_SNAPSHOTS_METADATA,
  DomainRunningReason, DomainShutoffReason, DomainState } from '../../flags.js';
import type { DomainObject } from '../common/domain-objects.js';
import { TEST_ERROR_DOMAIN as E, type TestDriverContext } from './context.js';
import { applyTestDefaults } from './defaults.js';
import { parseDomain } from './xml-bridge.js';

function lifecycle(ctx: TestDriverContext, obj: DomainObject, event: DomainEventType, detail: number): void {
  ctx.emit({ kind: 'lifecycle', domain: obj.ref(), event, detail });
}

/** testDomainDefineXMLFlags: a new persistent domain, or a new persistent definition for an existing one. */
export async function defineDomainXML(ctx: TestDriverContext, xml: string, flags: number): Promise<DomainRef> {
  checkFlags(flags, DOMAIN_DEFINE_VALIDATE, 'testDomainDefineXMLFlags', E);
  const def = applyTestDefaults(await parseDomain(xml, (flags & DOMAIN_DEFINE_VALIDATE) !== 0));
  const { obj, created } = ctx.domains.define(def);
  lifecycle(ctx, obj, DomainEventType.DEFINED, created ? DomainEventDefinedDetail.ADDED : DomainEventDefinedDetail.UPDATED);
  return obj.ref();
}

/**
 * testDomainCreateXML: starts a transient domain, or starts an inactive persistent domain of the same name and
 * UUID with this definition as its live one (its persistent definition is kept).
 */
export async function createDomainXML(ctx: TestDriverContext, xml: string, flags: number): Promise<DomainRef> {
  checkFlags(flags, DOMAIN_START_VALIDATE, 'testDomainCreateXML', E);
  const def = applyTestDefaults(await parseDomain(xml, (flags & DOMAIN_START_VALIDATE) !== 0));
  const existing = ctx.domains.checkDefinable(def);
  if (existing?.active) {
    throw new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, `domain '${existing.name}' is already active`);
  }
  const obj = existing ?? ctx.domains.addTransient(def);
  ctx.domains.markStarted(obj, DomainRunningReason.BOOTED, def);
  lifecycle(ctx, obj, DomainEventType.STARTED, DomainEventStartedDetail.BOOTED);
  return obj.ref();
}

/** testDomainCreateWithFlags. */
export async function domainCreate(ctx: TestDriverContext, ref: DomainRef, flags: number): Promise<void> {
  checkFlags(flags, 0, 'testDomainCreateWithFlags', E);
  const obj = ctx.domains.fromRef(ref);
  if (obj.state !== DomainState.SHUTOFF) {
    throw new VirError(ErrorCode.INTERNAL_ERROR, E, `Domain '${obj.name}' is already running`);
  }
  ctx.domains.markStarted(obj, DomainRunningReason.BOOTED);
  lifecycle(ctx, obj, DomainEventType.STARTED, DomainEventStartedDetail.BOOTED);
}

/** testDomainDestroyFlags: a transient domain disappears once stopped. */
export async function domainDestroy(ctx: TestDriverContext, ref: DomainRef, flags: number): Promise<void> {
  checkFlags(flags, DOMAIN_DESTROY_GRACEFUL, 'testDomainDestroyFlags', E);
  const obj = ctx.domains.fromRef(ref);
  if (!obj.active) {
    throw new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, 'domain is not running');
  }
  const stopped = obj.ref();
  ctx.domains.markStopped(obj, DomainShutoffReason.DESTROYED);
  ctx.emit({ kind: 'lifecycle', domain: stopped, event: DomainEventType.STOPPED, detail: DomainEventStoppedDetail.DESTROYED });
}

/** testDomainShutdownFlags: like destroy, but only from the running state and with reason "shutdown". */
export async function domainShutdown(ctx: TestDriverContext, ref: DomainRef, flags: number): Promise<void> {
  checkFlags(flags, 0, 'testDomainShutdownFlags', E);
  const obj = ctx.domains.fromRef(ref);
  if (obj.state !== DomainState.RUNNING) {
    throw new VirError(ErrorCode.INTERNAL_ERROR, E, `domain '${obj.name}' not running`);
  }
  const stopped = obj.ref();
  ctx.domains.markStopped(obj, DomainShutoffReason.SHUTDOWN);
  ctx.emit({ kind: 'lifecycle', domain: stopped, event: DomainEventType.STOPPED, detail: DomainEventStoppedDetail.SHUTDOWN });
}

/** testDomainUndefineFlags: a running domain becomes transient; an inactive one is removed. */
export async function domainUndefine(ctx: TestDriverContext, ref: DomainRef, flags: number): Promise<void> {
  checkFlags(flags, DOMAIN_UNDEFINE_MANAGED_SAVE | DOMAIN_UNDEFINE_SNAPSHOTS_METADATA, 'testDomainUndefineFlags', E);
  const obj = ctx.domains.fromRef(ref);
  if (obj.active) obj.config = undefined;
  else ctx.domains.remove(obj);
  lifecycle(ctx, obj, DomainEventType.UNDEFINED, DomainEventUndefinedDetail.REMOVED);
}
