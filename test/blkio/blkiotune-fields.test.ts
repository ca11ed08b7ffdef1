import { describe, expect, it } from 'vitest';
import { blkiotuneToParams } from '../../src/blkio/blkiotune-fields.js';
import { ErrorCode } from '../../src/errors.js';
import { TypedParameterType as T } from '../../src/typed-params/types.js';
import { virErrorOf } from '../helpers/vir-error.js';

describe('blkiotuneToParams', () => {
  it("builds weight and one list per device field, in virsh's order", () => {
    expect(
      blkiotuneToParams({
        weight: 500,
        devices: [{ path: '/dev/sda', readBytesSec: 1048576n, weight: 100 }, { path: '/dev/sdb', weight: 0, writeIopsSec: 20 }],
      }),
    ).toEqual([
      { field: 'weight', type: T.UINT, value: 500 },
      { field: 'device_weight', type: T.STRING, value: '/dev/sda,100,/dev/sdb,0' },
      { field: 'device_write_iops_sec', type: T.STRING, value: '/dev/sdb,20' },
      { field: 'device_read_bytes_sec', type: T.STRING, value: '/dev/sda,1048576' },
    ]);
    expect(blkiotuneToParams({})).toEqual([]);
  });

  it('refuses what the string form cannot carry, before anything is sent', () => {
    expect(virErrorOf(() => blkiotuneToParams({ devices: [{ path: '/a,b', weight: 1 }] })).code).toBe(ErrorCode.INVALID_ARG);
    expect(virErrorOf(() => blkiotuneToParams({ devices: [{ path: '/a', weight: -1 }] })).message).toBe(
      "invalid argument: invalid value '-1' for blkio device field 'weight'",
    );
    expect(virErrorOf(() => blkiotuneToParams({ devices: [{ path: '/a', weight: 1.5 }] })).code).toBe(ErrorCode.INVALID_ARG);
    expect(virErrorOf(() => blkiotuneToParams({ devices: [{ path: '/a', iops: 1 } as never] })).code).toBe(ErrorCode.ARGUMENT_UNSUPPORTED);
    expect(virErrorOf(() => blkiotuneToParams({ weigth: 1 } as never)).code).toBe(ErrorCode.ARGUMENT_UNSUPPORTED);
  });
});
