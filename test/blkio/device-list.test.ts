import { describe, expect, it } from 'vitest';
import { formatBlkioDeviceList, parseBlkioDeviceList } from '../../src/blkio/device-list.js';
import { ErrorCode, ErrorDomain } from '../../src/errors.js';
import { virErrorOf } from '../helpers/vir-error.js';

const message = (text: string, param: Parameters<typeof parseBlkioDeviceList>[1] = 'device_weight') =>
  virErrorOf(() => parseBlkioDeviceList(text, param)).message;

describe('parseBlkioDeviceList (libvirt 9.0 virDomainDriverParseBlkioDeviceStr)', () => {
  it('reads path,value pairs in order, paths as written, repeats kept', () => {
    expect(parseBlkioDeviceList('/dev/sda,500,/dev/sdb,0,/dev/sda,7', 'device_weight')).toEqual([
      { path: '/dev/sda', value: 500n },
      { path: '/dev/sdb', value: 0n },
      { path: '/dev/sda', value: 7n },
    ]);
    expect(parseBlkioDeviceList('', 'device_weight')).toEqual([]);
  });

  it("takes strtoul's blanks and plus sign", () => {
    expect(parseBlkioDeviceList(' /a, \t5,/b,+6', 'device_read_iops_sec')).toEqual([
      { path: ' /a', value: 5n },
      { path: '/b', value: 6n },
    ]);
  });

  it('refuses an empty path (libvirt stores it, then prints XML it cannot read back)', () => {
    expect(message('/a,1,,2')).toBe("invalid argument: unable to parse blkio device 'device_weight' '/a,1,,2'");
    expect(message(',5')).toBe("invalid argument: unable to parse blkio device 'device_weight' ',5'");
  });

  it('an even number of commas, or anything after a value but a comma, is unparsable', () => {
    for (const text of ['/a', '/a,1,/b', '/a,1,', '/a,1x', '/a,0x10']) {
      expect(message(text)).toBe(`invalid argument: unable to parse blkio device 'device_weight' '${text}'`);
    }
    const e = virErrorOf(() => parseBlkioDeviceList('/a', 'device_weight'));
    expect([e.code, e.domain]).toEqual([ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN]);
  });

  it('a bad value quotes the rest of the string from the value on', () => {
    expect(message('/a,x,/b,1')).toBe("invalid argument: invalid value 'x,/b,1' for parameter 'device_weight' of device '/a'");
    expect(message('/a,,/b,1')).toBe("invalid argument: invalid value ',/b,1' for parameter 'device_weight' of device '/a'");
    expect(message('/a,-1')).toBe("invalid argument: invalid value '-1' for parameter 'device_weight' of device '/a'");
    expect(message('/a,-0')).toBe("invalid argument: invalid value '-0' for parameter 'device_weight' of device '/a'");
  });

  it('weights and iops are 32-bit, bytes per second 64-bit', () => {
    expect(parseBlkioDeviceList('/a,4294967295', 'device_write_iops_sec')).toEqual([{ path: '/a', value: 4294967295n }]);
    expect(message('/a,4294967296', 'device_write_iops_sec')).toContain("invalid value '4294967296'");
    expect(parseBlkioDeviceList('/a,18446744073709551615', 'device_read_bytes_sec')).toEqual([{ path: '/a', value: 2n ** 64n - 1n }]);
    expect(message('/a,18446744073709551616', 'device_read_bytes_sec')).toContain("invalid value '18446744073709551616'");
  });
});

describe('formatBlkioDeviceList', () => {
  it("lists the devices whose value is set, in the devices' order", () => {
    const devices = [{ path: '/a', weight: 5, readBytesSec: 9n }, { path: '/b' }, { path: '/c', weight: 7 }];
    expect(formatBlkioDeviceList(devices, 'device_weight')).toBe('/a,5,/c,7');
    expect(formatBlkioDeviceList(devices, 'device_read_bytes_sec')).toBe('/a,9');
    expect(formatBlkioDeviceList(devices, 'device_write_iops_sec')).toBe('');
  });
});
