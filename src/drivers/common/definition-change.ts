import type { DomainDef } from '../../xml/domain-def.js';
import type { DomainObject } from './domain-objects.js';

/** Something already done to a running domain that can be undone (a cgroup transaction, a balloon move). */
export interface LiveEffect {
  rollback(): unknown[] | void | Promise<unknown[] | void>;
}

/** How to persist a domain's definitions; the driver's store supplies these. */
export interface DefinitionSavers {
  /** Saves the live definition (the status file of a running domain). */
  saveLive(obj: DomainObject, def: DomainDef): Promise<void>;
  /** Saves the persistent definition. */
  saveConfig(obj: DomainObject, def: DomainDef): Promise<void>;
}

/** A change computed for one or both definitions, plus what applying it to the running domain takes. */
export interface DefinitionChange {
  /** The new live definition (only when the change affects it). */
  live?: DomainDef;
  /** The new persistent definition (only when the change affects it). */
  config?: DomainDef;
  /** Applies the live side to the running domain; called first, undone if anything after it fails. */
  applyLive?: () => LiveEffect | Promise<LiveEffect>;
}

/**
 * Commits a change all or nothing: apply it to the running domain, save the live definition, save the
 * persistent one, then swap the new definitions into `obj`. A failure at any step undoes the steps before it
 * (the running domain's state, the status file) and rethrows, leaving `obj` and its files as they were.
 * Validation belongs before this call: nothing here should fail on bad input.
 */
export async function commitDefinitionChange(
  obj: DomainObject,
  change: DefinitionChange,
  savers: DefinitionSavers,
): Promise<void> {
  const oldLive = obj.live;
  let effect: LiveEffect | undefined;
  let liveSaved = false;
  try {
    if (change.live && change.applyLive) effect = await change.applyLive();
    if (change.live) {
      await savers.saveLive(obj, change.live);
      liveSaved = true;
    }
    if (change.config) await savers.saveConfig(obj, change.config);
  } catch (e) {
    if (liveSaved && oldLive) await savers.saveLive(obj, oldLive).catch(() => undefined);
    if (effect) await effect.rollback();
    throw e;
  }
  if (change.live) obj.live = change.live;
  if (change.config) obj.config = change.config;
}
