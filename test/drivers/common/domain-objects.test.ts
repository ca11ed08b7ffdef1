import { describe, expect, it } from 'vitest';
import { DomainObjectList, cloneDef, type DomainObject } from '../../../src/drivers/common/domain-objects.js';
import { ErrorCode, ErrorDomain } from '../../../src/errors.js';
import {
  CONNECT_LIST_DOMAINS_ACTIVE,
  CONNECT_LIST_DOMAINS_INACTIVE,
  CONNECT_LIST_DOMAINS_NO_AUTOSTART,
  CONNECT_LIST_DOMAINS_PERSISTENT,
  CONNECT_LIST_DOMAINS_RUNNING,
  CONNECT_LIST_DOMAINS_SHUTOFF,
  CONNECT_LIST_DOMAINS_TRANSIENT,
  CONNECT_LIST_DOMAINS_HAS_SNAPSHOT,
  DomainState,
} from '../../../src/flags.js';
import { virErrorOf } from '../../helpers/vir-error.js';
import { domainDef } from '../../helpers/domain-def.js';

const def = (name: string, uuid: string) => domainDef('test', { name, uuid });
const U1 = '11111111-2222-3333-4444-555555555551';
const U2 = '11111111-2222-3333-4444-555555555552';
const U3 = '11111111-2222-3333-4444-555555555553';

function sample(): DomainObjectList {
  const l = new DomainObjectList({ errorDomain: ErrorDomain.QEMU });
  l.define(def('a', U1));
  const b = l.define(def('b', U2)).obj;
  l.markStarted(b, 1);
  const c = l.addTransient(def('c', U3));
  l.markStarted(c, 1);
  return l;
}

describe('DomainObjectList', () => {
  it('looks domains up by name, UUID (any case, with or without dashes) and running id', () => {
    const l = sample();
    expect(l.lookupByName('a').uuid).toBe(U1);
    expect(l.lookupByUUID(U2.toUpperCase()).name).toBe('b');
    expect(l.lookupByUUID(U2.replace(/-/g, '')).name).toBe('b');
    expect(l.lookupByID(1).name).toBe('b');
    expect(l.lookupByID(2).name).toBe('c');
  });

  it("words lookup failures as QEMU does, or bare as the test driver does", () => {
    const l = sample();
    expect(virErrorOf(() => l.lookupByName('x')).message).toBe("Domain not found: no domain with matching name 'x'");
    expect(virErrorOf(() => l.lookupByID(9)).message).toBe('Domain not found: no domain with matching id 9');
    const e = virErrorOf(() => l.lookupByUUID(U3.replace('3', '9')));
    expect([e.code, e.domain]).toEqual([ErrorCode.NO_DOMAIN, ErrorDomain.QEMU]);
    const bare = new DomainObjectList({ errorDomain: ErrorDomain.TEST, bareLookupErrors: true });
    expect(virErrorOf(() => bare.lookupByName('x')).message).toBe('Domain not found');
    expect(virErrorOf(() => bare.fromRef({ name: 'x', uuid: U1, id: -1 })).message).toBe(
      `Domain not found: no domain with matching uuid '${U1}' (x)`,
    );
  });

  it('keeps the persistent definition apart from the live one', () => {
    const l = sample();
    const b = l.lookupByName('b');
    b.def('live').memtune.hardLimit = 5n;
    expect(b.def('config').memtune.hardLimit).not.toBe(5n);
    expect(b.live!.id).toBe(1);
  });

  it("refuses another domain's name or UUID as libvirt does", () => {
    const l = sample();
    const sameUuid = virErrorOf(() => l.define(def('other', U1)));
    expect([sameUuid.code, sameUuid.domain, sameUuid.message]).toEqual([
      ErrorCode.OPERATION_FAILED,
      ErrorDomain.DOMAIN,
      `operation failed: domain 'a' is already defined with uuid ${U1}`,
    ]);
    const sameName = virErrorOf(() => l.define(def('a', U3.replace('3', '7'))));
    expect(sameName.message).toBe(`operation failed: domain 'a' already exists with uuid ${U1}`);
    expect(l.size).toBe(3);
  });

  it('redefining keeps a running domain running with its live definition', () => {
    const l = sample();
    const d = { ...def('b', U2), memory: 2048n };
    const { obj, created } = l.define(d);
    expect(created).toBe(false);
    expect(obj.active).toBe(true);
    expect(obj.def('config').memory).toBe(2048n);
    expect(obj.def('live').memory).toBe(1024n);
  });

  it('a transient domain leaves the list when it stops; a persistent one stays, shut off', () => {
    const l = sample();
    l.markStopped(l.lookupByName('c'), 2);
    expect(l.findByName('c')).toBeUndefined();
    const b = l.lookupByName('b');
    l.markStopped(b, 2);
    expect([b.active, b.id, b.state, b.reason]).toEqual([false, -1, DomainState.SHUTOFF, 2]);
    l.markStarted(b, 1);
    expect(b.id).toBe(3); // ids are never reused
  });

  it('restores a given id and hands out later ids above it', () => {
    const l = sample();
    const a = l.lookupByName('a');
    l.markStarted(a, 0, undefined, 40);
    expect([a.id, a.live!.id, l.lookupByID(40).name]).toEqual([40, 40, 'a']);
    const b = l.lookupByName('b');
    l.markStopped(b, 2);
    l.markStarted(b, 1);
    expect(b.id).toBe(41);
  });

  it('getXMLDesc prints the live definition while running, else (or with INACTIVE) the persistent one', () => {
    const l = sample();
    const [a, b, c] = ['a', 'b', 'c'].map((n) => l.lookupByName(n));
    const desc = (o: DomainObject | undefined, inactive: boolean) => {
      const d = o!.xmlDesc(inactive);
      return [d.def === o!.live ? 'live' : d.def === o!.config ? 'config' : 'other', d.inactive];
    };
    expect(desc(a, false)).toEqual(['config', true]);
    expect(desc(b, false)).toEqual(['live', false]);
    expect(desc(b, true)).toEqual(['config', true]);
    expect(desc(c, true)).toEqual(['live', true]); // transient: only a live definition
  });

  it('filters by CONNECT_LIST_DOMAINS_* groups', () => {
    const l = sample();
    const names = (f: number) => l.listAll(f, 'fn').map((o) => o.name);
    expect(names(0)).toEqual(['a', 'b', 'c']);
    expect(names(CONNECT_LIST_DOMAINS_ACTIVE)).toEqual(['b', 'c']);
    expect(names(CONNECT_LIST_DOMAINS_INACTIVE)).toEqual(['a']);
    expect(names(CONNECT_LIST_DOMAINS_ACTIVE | CONNECT_LIST_DOMAINS_INACTIVE)).toEqual(['a', 'b', 'c']);
    expect(names(CONNECT_LIST_DOMAINS_TRANSIENT)).toEqual(['c']);
    expect(names(CONNECT_LIST_DOMAINS_PERSISTENT | CONNECT_LIST_DOMAINS_ACTIVE)).toEqual(['b']);
    expect(names(CONNECT_LIST_DOMAINS_SHUTOFF)).toEqual(['a']);
    expect(names(CONNECT_LIST_DOMAINS_RUNNING)).toEqual(['b', 'c']);
    expect(names(CONNECT_LIST_DOMAINS_NO_AUTOSTART)).toEqual(['a', 'b', 'c']);
    expect(names(CONNECT_LIST_DOMAINS_HAS_SNAPSHOT)).toEqual([]);
    expect(virErrorOf(() => l.listAll(1 << 16, 'qemuConnectListAllDomains')).message).toBe(
      'unsupported flags (0x10000) in function qemuConnectListAllDomains',
    );
  });

  it('cloneDef copies deeply', () => {
    const d = def('a', U1);
    const c = cloneDef(d);
    c.memtune.hardLimit = 1n;
    c.os.boot.push('hd');
    expect(d.memtune.hardLimit).not.toBe(1n);
    expect(d.os.boot).toEqual([]);
  });
});
