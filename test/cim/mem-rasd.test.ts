import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memRasdClass, resolveClass } from '../../src/cim/classes.js';
import {
  domainOfMemInstanceID,
  memoryChangeFromRasd,
  memoryChangeParams,
  memRasdInstance,
  memRasdName,
  type MemorySettings,
} from '../../src/cim/mem-rasd.js';
import type { CimInstance, CimProperty } from '../../src/cim/model.js';
import { CimError, CimStatus } from '../../src/cim/status.js';
import { toKiB, unitShift } from '../../src/cim/units.js';
import { buildIMethodResponse } from '../../src/cim/xml-build.js';
import { parseCimResponse, readInstance } from '../../src/cim/xml-parse.js';
import { UNLIMITED } from '../../src/memory/params.js';

const settings = (over: Partial<MemorySettings> = {}): MemorySettings => ({
  domain: 'guest',
  bootKiB: 1048576n,
  hardLimitKiB: BigInt(UNLIMITED),
  minGuaranteeKiB: 0n,
  ...over,
});
const value = (inst: CimInstance, name: string): string | null | undefined => inst.properties.find((p) => p.name === name)?.value;
/** The instance with property `name` set to `v` (added when missing). */
function withProp(inst: CimInstance, name: string, v: string | null, type?: CimProperty['type']): CimInstance {
  const has = inst.properties.some((p) => p.name === name);
  const properties = has
    ? inst.properties.map((p) => (p.name === name ? { ...p, value: v, ...(type ? { type } : {}) } : p))
    : [...inst.properties, { name, type: type ?? 'uint64', value: v }];
  return { ...inst, properties };
}
function cimErrorOf(fn: () => unknown): CimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CimError) return e;
    throw e;
  }
  throw new Error('expected a CimError');
}

const name = memRasdName('KVM', 'guest');

describe('memory RASD from the tunables', () => {
  it("has libvirt-cim's class, key and units, and the documented mapping", () => {
    const inst = memRasdInstance('KVM', settings({ hardLimitKiB: 524288n, minGuaranteeKiB: 65536n }));
    expect(inst.className).toBe('KVM_MemResourceAllocationSettingData');
    expect(inst.properties).toEqual([
      { name: 'InstanceID', type: 'string', value: 'guest/mem' },
      { name: 'ResourceType', type: 'uint16', value: '4' },
      { name: 'AllocationUnits', type: 'string', value: 'KiloBytes' },
      { name: 'VirtualQuantity', type: 'uint64', value: '1048576' },
      { name: 'Reservation', type: 'uint64', value: '65536' },
      { name: 'Limit', type: 'uint64', value: '524288' },
      { name: 'Weight', type: 'uint32', value: null },
    ]);
    expect(name).toEqual({ className: 'KVM_MemResourceAllocationSettingData', keys: [{ name: 'InstanceID', value: 'guest/mem', valueType: 'string' }] });
  });

  it('shows no hard limit as a NULL Limit, and a limit of 0 as 0', () => {
    expect(value(memRasdInstance('LXC', settings()), 'Limit')).toBeNull();
    expect(value(memRasdInstance('LXC', settings({ hardLimitKiB: 0n })), 'Limit')).toBe('0');
    expect(memRasdInstance('LXC', settings()).className).toBe(memRasdClass('LXC'));
  });

  it('finds the domain in an InstanceID, names with slashes included', () => {
    expect(domainOfMemInstanceID('a/b/mem')).toBe('a/b');
    expect(domainOfMemInstanceID('/mem')).toBeUndefined();
    expect(domainOfMemInstanceID('guest/proc')).toBeUndefined();
  });
});

describe('tunables from a modified memory RASD', () => {
  const base = memRasdInstance('KVM', settings());

  it('changes nothing for an unchanged instance', () => {
    expect(memoryChangeFromRasd(name, base, settings())).toEqual({});
  });

  it('turns Limit into hard_limit and Reservation into min_guarantee, only what differs', () => {
    const inst = withProp(withProp(base, 'Limit', '524288'), 'Reservation', '1024');
    const change = memoryChangeFromRasd(name, inst, settings());
    expect(change).toEqual({ hardLimitKiB: 524288n, minGuaranteeKiB: 1024n });
    expect(memoryChangeParams(change)).toEqual([
      { field: 'hard_limit', type: 4, value: 524288n },
      { field: 'min_guarantee', type: 4, value: 1024n },
    ]);
    expect(memoryChangeFromRasd(name, withProp(base, 'Reservation', '0'), settings())).toEqual({});
  });

  it('takes a NULL Limit as no hard limit, and a NULL Reservation as no guarantee', () => {
    const limited = settings({ hardLimitKiB: 4096n, minGuaranteeKiB: 16n });
    const inst = withProp(withProp(memRasdInstance('KVM', limited), 'Limit', null), 'Reservation', null);
    expect(memoryChangeFromRasd(name, inst, limited)).toEqual({ hardLimitKiB: BigInt(UNLIMITED), minGuaranteeKiB: 0n });
  });

  it('reads AllocationUnits for every quantity, rounding bytes up to KiB as libvirt does', () => {
    const mb = withProp(withProp(withProp(base, 'AllocationUnits', 'MegaBytes'), 'VirtualQuantity', '1024'), 'Limit', '512');
    expect(memoryChangeFromRasd(name, mb, settings())).toEqual({ hardLimitKiB: 524288n });
    const bytes = withProp(withProp(withProp(base, 'AllocationUnits', 'byte'), 'VirtualQuantity', null), 'Limit', '1025');
    expect(memoryChangeFromRasd(name, bytes, settings())).toEqual({ hardLimitKiB: 2n });
    expect(unitShift('byte * 2^30')).toBe(30);
    expect(toKiB(1n, 30)).toBe(1048576n);
    expect(toKiB(1023n, 0)).toBe(1n);
  });

  it('limits the change to the PropertyList when one is given', () => {
    const inst = withProp(withProp(base, 'Limit', '524288'), 'Reservation', '1024');
    expect(memoryChangeFromRasd(name, inst, settings(), ['limit'])).toEqual({ hardLimitKiB: 524288n });
    // A listed property the instance leaves out is NULL: here, no hard limit.
    const limited = settings({ hardLimitKiB: 4096n });
    const without = { ...base, properties: base.properties.filter((p) => p.name !== 'Limit') };
    expect(memoryChangeFromRasd(name, without, limited, ['Limit'])).toEqual({ hardLimitKiB: BigInt(UNLIMITED) });
  });

  it('refuses what cannot be expressed, each with its CIM status', () => {
    const cases: Array<[CimInstance, CimStatus, RegExp, string[]?]> = [
      [withProp(base, 'Limit', 'abc'), CimStatus.INVALID_PARAMETER, /'abc' is not a uint64/],
      [withProp(base, 'Limit', '-5'), CimStatus.INVALID_PARAMETER, /'-5' is not a uint64/],
      [withProp(base, 'Limit', ''), CimStatus.INVALID_PARAMETER, /is not a uint64/],
      [withProp(base, 'Limit', '18446744073709551616'), CimStatus.INVALID_PARAMETER, /out of range for uint64/],
      [withProp(base, 'Limit', '5', 'string'), CimStatus.TYPE_MISMATCH, /Limit is uint64, not string/],
      [withProp(base, 'Bogus', '5'), CimStatus.NO_SUCH_PROPERTY, /no property 'Bogus'/],
      [base, CimStatus.NO_SUCH_PROPERTY, /no property 'Bogus'/, ['Bogus']],
      [withProp(base, 'Weight', '10', 'uint32'), CimStatus.NOT_SUPPORTED, /Weight cannot be expressed/],
      [withProp(base, 'VirtualQuantity', '2097152'), CimStatus.NOT_SUPPORTED, /VirtualQuantity is the memory the domain boots with/],
      [withProp(base, 'ResourceType', '3', 'uint16'), CimStatus.INVALID_PARAMETER, /ResourceType 3 is not 4/],
      [withProp(base, 'InstanceID', 'other/mem', 'string'), CimStatus.INVALID_PARAMETER, /does not match/],
      [withProp(base, 'AllocationUnits', 'furlongs', 'string'), CimStatus.INVALID_PARAMETER, /AllocationUnits 'furlongs'/],
      [withProp(base, 'AllocationUnits', 'byte*10^3', 'string'), CimStatus.INVALID_PARAMETER, /AllocationUnits/],
      [{ ...base, properties: [...base.properties, base.properties[5]!] }, CimStatus.INVALID_PARAMETER, /given twice/],
    ];
    for (const [inst, code, message, list] of cases) {
      const e = cimErrorOf(() => memoryChangeFromRasd(name, inst, settings(), list));
      expect([e.code, e.description], JSON.stringify(inst.properties)).toEqual([code, expect.stringMatching(message)]);
    }
  });
});

describe('instance → CIM-XML → instance → tunables', () => {
  const kib = fc.bigInt({ min: 0n, max: BigInt(UNLIMITED) });
  // Names as libvirt allows them (no '/'), with the characters XML must escape.
  const domainName = fc.stringMatching(/^[A-Za-z0-9_&<>"' .\u00e9\u4e2d-]{1,20}$/);

  it('round-trips exactly: the parsed instance equals the built one and asks for no change', () => {
    fc.assert(
      fc.property(domainName, kib, kib, kib, (domain, boot, hard, min) => {
        const s: MemorySettings = { domain, bootKiB: boot, hardLimitKiB: hard, minGuaranteeKiB: min };
        const inst = memRasdInstance('KVM', s);
        const xml = buildIMethodResponse('1', 'GetInstance', { kind: 'instance', instance: inst });
        const back = readInstance(parseCimResponse(xml).returnValue!.childNodes()[0] as never);
        expect(back).toEqual(inst);
        expect(memoryChangeFromRasd(memRasdName('KVM', domain), back, s)).toEqual({});
      }),
      { numRuns: 100 },
    );
  });

  it('a changed Limit comes back as exactly that hard_limit', () => {
    fc.assert(
      fc.property(kib, kib, (before, after) => {
        fc.pre(before !== after);
        const s = settings({ hardLimitKiB: before });
        const inst = withProp(memRasdInstance('KVM', s), 'Limit', String(after));
        const xml = buildIMethodResponse('1', 'GetInstance', { kind: 'instance', instance: inst });
        const back = readInstance(parseCimResponse(xml).returnValue!.childNodes()[0] as never);
        expect(memoryChangeFromRasd(name, back, s)).toEqual({ hardLimitKiB: after });
      }),
      { numRuns: 60 },
    );
  });
});

describe('class names', () => {
  it("resolves libvirt-cim's classes case-insensitively and says why the processor RASD is missing", () => {
    expect(resolveClass('kvm_memresourceallocationsettingdata')).toEqual({ kind: 'mem', prefix: 'KVM', name: 'KVM_MemResourceAllocationSettingData' });
    expect(resolveClass('CIM_ResourceAllocationSettingData')).toMatchObject({ kind: 'parent', prefixes: ['KVM', 'LXC'] });
    expect(resolveClass('LXC_ResourceAllocationSettingData')).toMatchObject({ kind: 'parent', prefixes: ['LXC'] });
    expect(cimErrorOf(() => resolveClass('KVM_ProcResourceAllocationSettingData'))).toMatchObject({ code: CimStatus.NOT_SUPPORTED });
    expect(cimErrorOf(() => resolveClass('Xen_MemResourceAllocationSettingData'))).toMatchObject({ code: CimStatus.INVALID_CLASS });
  });
});
