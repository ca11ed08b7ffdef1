import { describe, expect, it } from 'vitest';
import { copyDefinition, DEFINITION_FIELDS } from '../../../src/drivers/common/definition-copy.js';
import { definitionWith } from '../../../src/drivers/common/definition-change.js';
import type { DomainDef } from '../../../src/xml/domain-def.js';

/** A definition with every field present, each a value of its own (identity tells a copy from a stand-in). */
function everyField(): DomainDef {
  return Object.fromEntries(Object.keys(DEFINITION_FIELDS).map((k) => [k, { field: k }])) as unknown as DomainDef;
}

describe('copyDefinition: a spread of a definition, written out', () => {
  it('copies every field DomainDef has, the same values, as a spread does', () => {
    const def = everyField();
    const copy = copyDefinition(def);
    expect(copy).not.toBe(def);
    expect(Object.keys(copy).sort()).toEqual(Object.keys({ ...def }).sort());
    for (const k of Object.keys(DEFINITION_FIELDS) as (keyof DomainDef)[]) expect(copy[k]).toBe(def[k]);
  });

  it('copies an optional field only when present, and one present as undefined as such', () => {
    const { id: _id, title: _title, passthrough: _passthrough, ...rest } = everyField();
    const def = { ...rest, title: undefined } as DomainDef;
    const copy = copyDefinition(def);
    expect(Object.keys(copy).sort()).toEqual(Object.keys(def).sort());
    expect('id' in copy).toBe(false);
    expect('title' in copy).toBe(true);
  });

  it('definitionWith sets the one field on the copy and leaves the definition as it was', () => {
    const def = everyField();
    const memtune = { hardLimit: 1n, softLimit: 2n, swapHardLimit: 3n, minGuarantee: 0n, swapSoftLimit: 4n };
    const next = definitionWith(def, 'memtune', memtune);
    expect(next).toEqual({ ...def, memtune });
    expect(def.memtune).toEqual({ field: 'memtune' });
  });
});
