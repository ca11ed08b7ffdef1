import { describe, expect, it } from 'vitest';
import { XdrError, XdrReader, XdrWriter } from '../../src/rpc/xdr.js';
import { readTypedParam, uuidFromBytes, uuidToBytes, writeTypedParam } from '../../src/rpc/remote-types.js';
import { TypedParameterType as T, type TypedParameter } from '../../src/typed-params/types.js';

const hex = (w: XdrWriter): string => w.finish().toString('hex');

describe('XDR', () => {
  it('encodes the basic types big-endian in 4-byte units (RFC 4506)', () => {
    expect(hex(new XdrWriter().int(-2))).toBe('fffffffe');
    expect(hex(new XdrWriter().uint(0xdeadbeef))).toBe('deadbeef');
    expect(hex(new XdrWriter().hyper(-1n))).toBe('ffffffffffffffff');
    expect(hex(new XdrWriter().uhyper(18446744073709551615n))).toBe('ffffffffffffffff');
    expect(hex(new XdrWriter().double(1.5))).toBe('3ff8000000000000');
    expect(hex(new XdrWriter().bool(true))).toBe('00000001');
    expect(hex(new XdrWriter().string('abcde', 10))).toBe('000000056162636465000000');
    expect(hex(new XdrWriter().opaque(Buffer.from([1, 2, 3, 4]), 4))).toBe('0000000401020304');
    expect(hex(new XdrWriter().fixedOpaque(Buffer.from([9]), 1))).toBe('09000000');
    expect(hex(new XdrWriter().optional(undefined, (w, v: number) => w.int(v)))).toBe('00000000');
    expect(hex(new XdrWriter().optional(7, (w, v) => w.int(v)))).toBe('0000000100000007');
    expect(hex(new XdrWriter().array([1, 2], 5, (w, v) => w.int(v)))).toBe('000000020000000100000002');
  });

  it('reads back what it writes, hypers as exact bigints', () => {
    const w = new XdrWriter(4)
      .int(-5)
      .uint(4294967295)
      .hyper(-(1n << 63n))
      .uhyper((1n << 64n) - 1n)
      .double(-0.25)
      .string('é€', 8)
      .opaque(Buffer.from('xyz'), 3)
      .optional('s', (x, v) => x.string(v, 1))
      .array(['a', 'bb'], 2, (x, v) => x.string(v, 2));
    const r = new XdrReader(w.finish());
    expect([r.int(), r.uint(), r.hyper(), r.uhyper(), r.double(), r.string(8), r.opaque(3).toString()]).toEqual([
      -5,
      4294967295,
      -(1n << 63n),
      (1n << 64n) - 1n,
      -0.25,
      'é€',
      'xyz',
    ]);
    expect(r.optional((x) => x.string(1))).toBe('s');
    expect(r.array(2, (x) => x.string(2))).toEqual(['a', 'bb']);
    r.end();
  });

  it('refuses values out of range when writing', () => {
    expect(() => new XdrWriter().int(2 ** 31)).toThrow(RangeError);
    expect(() => new XdrWriter().uint(-1)).toThrow(RangeError);
    expect(() => new XdrWriter().uhyper(1n << 64n)).toThrow(RangeError);
    expect(() => new XdrWriter().hyper(1n << 63n)).toThrow(RangeError);
    expect(() => new XdrWriter().string('abc', 2)).toThrow(RangeError);
    expect(() => new XdrWriter().array([1, 2, 3], 2, (w, v) => w.int(v))).toThrow(RangeError);
  });

  it('never trusts a length: over the limit, past the end, bad booleans, trailing bytes', () => {
    const long = new XdrWriter().uint(1000).finish();
    expect(() => new XdrReader(long).string(10)).toThrow(/exceeds its limit of 10/);
    expect(() => new XdrReader(long).string(5000)).toThrow(XdrError);
    expect(() => new XdrReader(new XdrWriter().uint(0xffffffff).finish()).array(2 ** 32, (r) => r.int())).toThrow(/truncated/);
    expect(() => new XdrReader(Buffer.from([0, 0, 0])).int()).toThrow(/truncated/);
    expect(() => new XdrReader(new XdrWriter().int(2).finish()).bool()).toThrow(/invalid boolean 2/);
    expect(() => new XdrReader(new XdrWriter().int(1).int(2).finish()).end()).toThrow(XdrError);
    expect(() => {
      const r = new XdrReader(new XdrWriter().int(1).int(2).finish());
      r.int();
      r.end();
    }).toThrow(/4 unexpected trailing bytes/);
  });
});

describe('remote_protocol.x types', () => {
  it('turns UUIDs into their 16 bytes and back', () => {
    const u = '6695eb01-f6a4-8304-79aa-97f2502e193f';
    expect(uuidToBytes(u).length).toBe(16);
    expect(uuidFromBytes(uuidToBytes(u))).toBe(u);
    expect(() => uuidToBytes('nope')).toThrow(RangeError);
  });

  it('round-trips typed parameters of all seven types', () => {
    const params: TypedParameter[] = [
      { field: 'i', type: T.INT, value: -7 },
      { field: 'u', type: T.UINT, value: 4294967295 },
      { field: 'l', type: T.LLONG, value: -(1n << 62n) },
      { field: 'ul', type: T.ULLONG, value: 9007199254740993n },
      { field: 'd', type: T.DOUBLE, value: 0.1 },
      { field: 'b', type: T.BOOLEAN, value: true },
      { field: 's', type: T.STRING, value: 'text' },
    ];
    const w = new XdrWriter();
    for (const p of params) writeTypedParam(w, p);
    const r = new XdrReader(w.finish());
    expect(params.map(() => readTypedParam(r))).toEqual(params);
    r.end();
  });

  it('lays a ULLONG parameter out as libvirt does: name, type 4, unsigned hyper', () => {
    const w = new XdrWriter();
    writeTypedParam(w, { field: 'hard_limit', type: T.ULLONG, value: 1024 });
    expect(hex(w)).toBe('0000000a686172645f6c696d697400000000000400000000' + '00000400');
  });

  it('refuses an unknown type number from the wire', () => {
    const w = new XdrWriter().string('x', 1).int(9);
    expect(() => readTypedParam(new XdrReader(w.finish()))).toThrow(/unknown typed parameter type 9/);
  });
});
