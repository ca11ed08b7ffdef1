import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainObjectList, cloneDef, type DomainObject } from '../../../src/drivers/common/domain-objects.js';
import { ErrorDomain } from '../../../src/errors.js';
import type { DomainDef } from '../../../src/xml/domain-def.js';
import { domainDef } from '../../helpers/domain-def.js';

/**
 * A model test of DomainObjectList's indexes: random sequences of every change a list or a driver makes (define,
 * redefine, transient create, start with a fresh or a restored id, stop, undefine, a driver assigning `config`
 * or `live` directly, even with another name or UUID) against the plainest possible model, an array of the objects
 * in the order they were added, searched by scanning. After every step each lookup by name, UUID (any case, with
 * or without dashes) and id must answer what the scan answers, and a define must be refused exactly when the
 * scan says libvirt would refuse it.
 */

const NAMES = ['a', 'b', 'c', 'd', 'e'] as const;
const UUIDS = [
  'aaaaaaaa-2222-3333-4444-555555555551',
  '11111111-2222-3333-4444-55555555555a',
  '11111111-2222-3333-4444-55555555555B',
  'ABCDEF01-2222-3333-4444-555555555554',
  // The first one spelled differently: the same UUID to libvirt, another string to a map.
  'AAAAAAAA-2222-3333-4444-555555555551',
  'aaaaaaaa222233334444555555555551',
] as const;
const IDS = [-1, 0, 1, 2, 3, 4, 5, 40, 41] as const;

const def = (name: string, uuid: string) => domainDef('test', { name, uuid });

const norm = (u: string): string => u.replace(/-/g, '').toLowerCase();
/** Every spelling a caller may use for a UUID. */
const spellings = (u: string): string[] => [u, u.toUpperCase(), u.toLowerCase(), norm(u), norm(u).toUpperCase()];

type Step =
  | { kind: 'define'; name: number; uuid: number }
  | { kind: 'transient'; name: number; uuid: number }
  | { kind: 'start'; pick: number; id: number | undefined }
  | { kind: 'stop'; pick: number }
  | { kind: 'undefine'; pick: number }
  | { kind: 'assign-config'; pick: number; name: number; uuid: number }
  | { kind: 'assign-live'; pick: number; name: number; uuid: number }
  | { kind: 'make-transient'; pick: number };

const idx = (n: number) => fc.nat({ max: n - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('define' as const), name: idx(NAMES.length), uuid: idx(UUIDS.length) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('transient' as const), name: idx(NAMES.length), uuid: idx(UUIDS.length) }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('start' as const), pick: fc.nat(), id: fc.option(fc.constantFrom(1, 2, 40), { nil: undefined }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('stop' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('undefine' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('assign-config' as const), pick: fc.nat(), name: idx(NAMES.length), uuid: idx(UUIDS.length) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('assign-live' as const), pick: fc.nat(), name: idx(NAMES.length), uuid: idx(UUIDS.length) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('make-transient' as const), pick: fc.nat() }) },
);

/** The model: the objects in the order they were added, found by scanning. */
class Scan {
  readonly objects: DomainObject[] = [];
  byName(name: string) {
    return this.objects.find((o) => o.name === name);
  }
  byUUID(uuid: string) {
    return this.objects.find((o) => norm(o.uuid) === norm(uuid));
  }
  byID(id: number) {
    return id < 0 ? undefined : this.objects.find((o) => o.active && o.id === id);
  }
  /** libvirt's virDomainObjListAdd rule, on the scan. */
  definable(d: DomainDef): boolean {
    const same = this.byUUID(d.uuid);
    return same ? same.name === d.name : this.byName(d.name) === undefined;
  }
  drop(o: DomainObject) {
    const i = this.objects.indexOf(o);
    if (i >= 0) this.objects.splice(i, 1);
  }
}

function apply(list: DomainObjectList, scan: Scan, s: Step): void {
  const pick = (n: number) => (scan.objects.length === 0 ? undefined : scan.objects[n % scan.objects.length]);
  switch (s.kind) {
    case 'define': {
      const d = def(NAMES[s.name]!, UUIDS[s.uuid]!);
      const ok = scan.definable(d);
      const existing = scan.byUUID(d.uuid);
      let result: ReturnType<DomainObjectList['define']> | undefined;
      try {
        result = list.define(d);
      } catch {
        result = undefined;
      }
      expect(result !== undefined).toBe(ok);
      if (result) {
        expect(result.created).toBe(existing === undefined);
        if (result.created) scan.objects.push(result.obj);
        else expect(result.obj).toBe(existing);
      }
      return;
    }
    case 'transient': {
      const d = def(NAMES[s.name]!, UUIDS[s.uuid]!);
      const ok = scan.definable(d) && scan.byUUID(d.uuid) === undefined;
      let obj: DomainObject | undefined;
      try {
        obj = list.addTransient(d);
      } catch {
        obj = undefined;
      }
      expect(obj !== undefined).toBe(ok);
      if (obj) {
        list.markStarted(obj, 1);
        scan.objects.push(obj);
      }
      return;
    }
    case 'start': {
      const o = pick(s.pick);
      if (!o || o.active) return;
      list.markStarted(o, 1, undefined, s.id);
      return;
    }
    case 'stop': {
      const o = pick(s.pick);
      if (!o || !o.active) return;
      list.markStopped(o, 2);
      if (!o.persistent) scan.drop(o);
      return;
    }
    case 'undefine': {
      const o = pick(s.pick);
      if (!o || o.active) return;
      list.remove(o);
      scan.drop(o);
      return;
    }
    case 'assign-config': {
      // A driver replacing the persistent definition, even with one a define would have refused.
      const o = pick(s.pick);
      if (!o) return;
      o.config = def(NAMES[s.name]!, UUIDS[s.uuid]!);
      return;
    }
    case 'assign-live': {
      const o = pick(s.pick);
      if (!o || !o.active) return;
      o.live = { ...cloneDef(o.live!), name: NAMES[s.name]!, uuid: UUIDS[s.uuid]! };
      return;
    }
    case 'make-transient': {
      // Undefine of a running domain: it keeps running without a persistent definition.
      const o = pick(s.pick);
      if (!o || !o.active) return;
      o.config = undefined;
      return;
    }
  }
}

function checkAgreement(list: DomainObjectList, scan: Scan): void {
  const all = list.all();
  expect(all.length).toBe(scan.objects.length);
  all.forEach((o, i) => expect(o).toBe(scan.objects[i]));
  expect(list.size).toBe(scan.objects.length);
  for (const name of [...NAMES, 'z']) expect(list.findByName(name)).toBe(scan.byName(name));
  for (const u of [...UUIDS, '99999999-2222-3333-4444-555555555551']) {
    for (const spelled of spellings(u)) expect(list.findByUUID(spelled)).toBe(scan.byUUID(spelled));
  }
  for (const o of scan.objects) {
    // A handle carries the object's own UUID string: the lookup that skips normalizing must agree too.
    expect(list.findByUUID(o.uuid)).toBe(scan.byUUID(o.uuid));
    expect(list.fromRef(o.ref())).toBe(scan.byUUID(o.uuid));
  }
  for (const id of IDS) expect(list.findByID(id)).toBe(scan.byID(id));
}

describe('DomainObjectList indexes', () => {
  it('answer every lookup as a scan of the list would, across every kind of change', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const list = new DomainObjectList({ errorDomain: ErrorDomain.QEMU });
        const scan = new Scan();
        for (const s of steps) {
          apply(list, scan, s);
          checkAgreement(list, scan);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('forget a removed object: later changes to it do not reach the list', () => {
    const list = new DomainObjectList({ errorDomain: ErrorDomain.QEMU });
    const { obj } = list.define(def('a', UUIDS[0]));
    list.remove(obj);
    obj.config = def('b', UUIDS[1]);
    list.markStarted(obj, 1);
    expect(list.findByName('a')).toBeUndefined();
    expect(list.findByName('b')).toBeUndefined();
    expect(list.findByUUID(UUIDS[1])).toBeUndefined();
    expect(list.findByID(obj.id)).toBeUndefined();
    expect(list.size).toBe(0);
  });

  it('find a renamed domain by its new name only, and let a new domain take the old one', () => {
    const list = new DomainObjectList({ errorDomain: ErrorDomain.QEMU });
    const { obj } = list.define(def('a', UUIDS[0]));
    obj.config = def('b', UUIDS[0]);
    expect(list.findByName('a')).toBeUndefined();
    expect(list.findByName('b')).toBe(obj);
    const other = list.define(def('a', UUIDS[3])).obj;
    expect(list.findByName('a')).toBe(other);
  });

  it('answer a UUID that two objects came to share (spelled differently) with the one added first', () => {
    const list = new DomainObjectList({ errorDomain: ErrorDomain.QEMU });
    const first = list.define(def('a', UUIDS[0])).obj;
    const second = list.define(def('b', UUIDS[3])).obj;
    second.config = def('b', UUIDS[0].toUpperCase());
    for (const spelled of spellings(UUIDS[0])) expect(list.findByUUID(spelled)).toBe(first);
    list.remove(first);
    for (const spelled of spellings(UUIDS[0])) expect(list.findByUUID(spelled)).toBe(second);
  });
});
