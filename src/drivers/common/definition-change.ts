import type { DomainDef } from '../../xml/domain-def.js';
import { copyDefinition } from './definition-copy.js';
import type { DomainObject } from './domain-objects.js';

/**
 * `def` with `field` set to `value` (a new object; `def` is not changed): `{ ...def, [field]: value }`, built as a
 * copy written out field by field ({@link copyDefinition}) and a store: a spread costs ~0.3 µs of a live change
 * under Node 20, a literal with a field after the spread more.
 */
export function definitionWith<K extends keyof DomainDef>(def: DomainDef, field: K, value: DomainDef[K]): DomainDef {
  const next = copyDefinition(def);
  next[field] = value;
  return next;
}

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
  /**
   * Saves the live definition later, off the caller's path (write-behind: `StatusWriteBehind`). Used
   * only for changes the running domain itself keeps ({@link DefinitionChange.liveRecoverable}); without it
   * every live change is saved with {@link saveLive}.
   */
  deferLive?(obj: DomainObject): void;
}

/** A change computed for one or both definitions, plus what applying it to the running domain takes. */
export interface DefinitionChange {
  /** The new live definition (only when the change affects it). */
  live?: DomainDef;
  /** The new persistent definition (only when the change affects it). */
  config?: DomainDef;
  /** Applies the live side to the running domain; called first, undone if anything after it fails. */
  applyLive?: () => LiveEffect | Promise<LiveEffect>;
  /**
   * The live side changes only what the running domain itself holds and a reconnecting driver reads back from
   * it (memory limits in the cgroup files): its save may then be deferred ({@link DefinitionSavers.deferLive}).
   */
  liveRecoverable?: boolean;
}

/**
 * Commits a change all or nothing: apply it to the running domain, save the live definition, save the
 * persistent one, then swap the new definitions into `obj`. A failure at any step undoes the steps before it
 * (the running domain's state, the status file) and rethrows, leaving `obj` and its files as they were.
 * A recoverable live change with a deferring saver is saved only once everything else succeeded, later.
 * Validation belongs before this call: nothing here should fail on bad input.
 *
 * @returns a promise to await, or undefined when the change is done already: a live change alone whose effect is
 * synchronous (a cgroup transaction) and whose save is deferred has nothing to wait for, and a live change is
 * most often that. It then fails by throwing; call it where a throw and a rejection are the same (an async
 * function) and await what it returns.
 */
export function commitDefinitionChange(
  obj: DomainObject,
  change: DefinitionChange,
  savers: DefinitionSavers,
): Promise<void> | undefined {
  const defer = change.live !== undefined && change.liveRecoverable === true && savers.deferLive !== undefined;
  if (!defer || change.config !== undefined || !change.applyLive) return commitWaiting(obj, change, savers, defer);
  const applied = change.applyLive();
  if (applied instanceof Promise) return commitWaiting(obj, change, savers, defer, applied);
  obj.live = change.live;
  savers.deferLive!(obj);
  return undefined;
}

/** {@link commitDefinitionChange} where something may be awaited (`applied`: the live effect already started). */
async function commitWaiting(
  obj: DomainObject,
  change: DefinitionChange,
  savers: DefinitionSavers,
  defer: boolean,
  applied?: Promise<LiveEffect>,
): Promise<void> {
  const oldLive = obj.live;
  let effect: LiveEffect | undefined;
  let liveSaved = false;
  try {
    if (applied) effect = await applied;
    else if (change.live && change.applyLive) {
      const started = change.applyLive();
      // A synchronous effect (a cgroup transaction) is not awaited: one microtask less on every live change.
      effect = started instanceof Promise ? await started : started;
    }
    if (change.live && !defer) {
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
  if (defer) savers.deferLive!(obj);
}
