import { describe, expect, it } from 'vitest';
import {
  blkioTuneToParams,
  blkioUpdateToParams,
  isEmptyBlkioDevice,
  isEmptyBlkioUpdate,
  mergeBlkioTune,
  paramsToBlkioTune,
  parseBlkioParams,
} from '../../src/blkio/validate.js';
import { ErrorCode, ErrorDomain } from '../../src/errors.js';
import { TypedParameterType as T, type TypedParameterInput } from '../../src/typed-params/types.js';
import { virErrorOf } from '../helpers/vir-error.js';

const str = (field: string, value: string): TypedParameterInput => ({ field, type: T.STRING, value });
const weight = (value: number): TypedParameterInput => ({ field: 'weight', type: T.UINT, value });

describe('parseBlkioParams', () => {
  it("checks names and types with virTypedParamsValidate's words", () => {
    const unknown = virErrorOf(() => parseBlkioParams([str('device_weights', '/a,1')]));
    expect([unknown.code, unknown.domain, unknown.message]).toEqual([
      ErrorCode.ARGUMENT_UNSUPPORTED,
      ErrorDomain.NONE,
      "argument unsupported: parameter 'device_weights' not supported",
    ]);
    expect(virErrorOf(() => parseBlkioParams([{ field: 'weight', type: T.ULLONG, value: 1n }])).message).toBe(
      "invalid argument: invalid type 'ullong' for parameter 'weight', expected 'uint'",
    );
    expect(virErrorOf(() => parseBlkioParams([weight(1), weight(2)])).message).toBe("invalid argument: parameter 'weight' occurs multiple times");
  });

  it('keeps the device lists in the order given; an empty list changes nothing', () => {
    const u = parseBlkioParams([str('device_read_iops_sec', '/b,1'), weight(300), str('device_weight', '/a,2')]);
    expect(u).toEqual({
      weight: 300,
      devices: [
        { param: 'device_read_iops_sec', values: [{ path: '/b', value: 1n }] },
        { param: 'device_weight', values: [{ path: '/a', value: 2n }] },
      ],
    });
    expect(isEmptyBlkioUpdate(parseBlkioParams([]))).toBe(true);
  });

  it('reports the last failing list, as libvirt (which goes on after a failure)', () => {
    const e = virErrorOf(() => parseBlkioParams([str('device_weight', '/a,x'), weight(5), str('device_read_iops_sec', '/b,y')]));
    expect(e.message).toBe("invalid argument: invalid value 'y' for parameter 'device_read_iops_sec' of device '/b'");
  });
});

describe('mergeBlkioTune (libvirt virDomainDriverMergeBlkioDevice)', () => {
  const base = { weight: 500, devices: [{ path: '/a', weight: 1, readBytesSec: 10n }, { path: '/b', weight: 2 }] };

  it('a known path gets the new value; a new one is appended; the base is not modified', () => {
    const next = mergeBlkioTune(base, parseBlkioParams([str('device_weight', '/b,20,/c,30'), str('device_write_iops_sec', '/a,4')]));
    expect(next).toEqual({
      weight: 500,
      devices: [{ path: '/a', weight: 1, readBytesSec: 10n, writeIopsSec: 4n }, { path: '/b', weight: 20 }, { path: '/c', weight: 30 }],
    });
    expect(base.devices[1]).toEqual({ path: '/b', weight: 2 });
  });

  it('0 clears a value and the device keeps its place; a new device with 0 is not added; weight 0 unsets', () => {
    const cleared = mergeBlkioTune(base, parseBlkioParams([weight(0), str('device_weight', '/a,0,/b,0,/z,0')]));
    expect(cleared).toEqual({ devices: [{ path: '/a', readBytesSec: 10n }, { path: '/b' }] });
    expect(isEmptyBlkioDevice(cleared.devices[1]!)).toBe(true);
    const again = mergeBlkioTune(cleared, parseBlkioParams([str('device_weight', '/c,3,/b,9')]));
    expect(again.devices.map((d) => d.path)).toEqual(['/a', '/b', '/c']);
  });

  it('a path given twice: the later value wins', () => {
    expect(mergeBlkioTune(undefined, parseBlkioParams([str('device_weight', '/a,1,/a,2')]))).toEqual({ devices: [{ path: '/a', weight: 2 }] });
    expect(mergeBlkioTune(undefined, parseBlkioParams([str('device_weight', '/a,1,/a,0')]))).toEqual({ devices: [{ path: '/a' }] });
  });
});

describe('blkiotune <-> parameters', () => {
  it("reports libvirt's six in its order, 0 and '' when unset", () => {
    expect(blkioTuneToParams(undefined)).toEqual([
      { field: 'weight', type: T.UINT, value: 0 },
      ...['device_weight', 'device_read_iops_sec', 'device_write_iops_sec', 'device_read_bytes_sec', 'device_write_bytes_sec'].map((field) => ({
        field,
        type: T.STRING,
        value: '',
      })),
    ]);
  });

  it('round-trips through paramsToBlkioTune, empty devices left out', () => {
    const tune = { weight: 800, devices: [{ path: '/a', weight: 1, writeBytesSec: 5n }, { path: '/b' }, { path: '/c', readIopsSec: 7n }] };
    expect(paramsToBlkioTune(blkioTuneToParams(tune))).toEqual({ weight: 800, devices: [tune.devices[0], tune.devices[2]] });
  });

  it('an update reports what it set, in libvirt order, for the tunable event', () => {
    const u = parseBlkioParams([str('device_read_iops_sec', '/b, 1'), weight(300)]);
    expect(blkioUpdateToParams(u)).toEqual([
      { field: 'weight', type: T.UINT, value: 300 },
      { field: 'device_read_iops_sec', type: T.STRING, value: '/b,1' },
    ]);
  });
});
