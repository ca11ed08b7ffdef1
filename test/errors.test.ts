import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain, ErrorLevel, VirError, checkFlags, isVirError } from '../src/errors.js';

describe('VirError', () => {
  it("carries libvirt's numbers", () => {
    expect([ErrorCode.NO_SUPPORT, ErrorCode.INVALID_ARG, ErrorCode.NO_DOMAIN, ErrorCode.OPERATION_INVALID]).toEqual([3, 8, 42, 55]);
    expect(ErrorCode.ARGUMENT_UNSUPPORTED).toBe(74);
    expect([ErrorDomain.QEMU, ErrorDomain.TEST, ErrorDomain.LXC, ErrorDomain.DOMAIN]).toEqual([10, 12, 17, 20]);
  });

  it("words messages with libvirt's templates", () => {
    const e = new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, 'domain is not running');
    expect(e.message).toBe('Requested operation is not valid: domain is not running');
    expect(e.level).toBe(ErrorLevel.ERROR);
    expect(new VirError(ErrorCode.NO_DOMAIN, ErrorDomain.TEST).message).toBe('Domain not found');
    expect(new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, 'raw text', { verbatim: true }).message).toBe('raw text');
  });

  it('serializes to libvirt field names', () => {
    const e = new VirError(ErrorCode.SYSTEM_ERROR, ErrorDomain.CGROUP, 'x', { errno: 'EBUSY', path: '/p' });
    expect(JSON.parse(JSON.stringify(e))).toEqual({ code: 38, domain: 54, level: 2, message: 'x', errno: 'EBUSY' });
    expect(isVirError(e, ErrorCode.SYSTEM_ERROR)).toBe(true);
    expect(isVirError(e, ErrorCode.INVALID_ARG)).toBe(false);
    expect(isVirError(new Error('x'))).toBe(false);
  });
});

describe('instanceof VirError', () => {
  // The package's ESM and CommonJS builds are two copies of the class (test/package checks the real pair).
  class OtherCopysVirError extends Error {
    readonly code = ErrorCode.INVALID_ARG;
  }
  Object.defineProperty(OtherCopysVirError.prototype, Symbol.for('virtune.VirError'), { value: true });

  it("holds for another copy's VirError, through the process-wide brand, and not for other errors", () => {
    expect(new OtherCopysVirError() instanceof VirError).toBe(true);
    expect(isVirError(new OtherCopysVirError(), ErrorCode.INVALID_ARG)).toBe(true);
    expect(new Error('x') instanceof VirError).toBe(false);
    expect({ code: 8 } instanceof VirError).toBe(false);
    expect((null as unknown) instanceof VirError).toBe(false);
  });

  it('keeps the prototype check for subclasses', () => {
    class Sub extends VirError {}
    const base = new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN);
    expect(new Sub(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN) instanceof VirError).toBe(true);
    expect(new Sub(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN) instanceof Sub).toBe(true);
    expect(base instanceof Sub).toBe(false);
    expect(base instanceof Error).toBe(true);
  });
});

describe('checkFlags', () => {
  it('names the unknown bits and the function', () => {
    expect(() => checkFlags(3, 3, 'f', ErrorDomain.TEST)).not.toThrow();
    try {
      checkFlags(0xb, 3, 'testDomainSetMemoryParameters', ErrorDomain.TEST);
      expect.unreachable();
    } catch (e) {
      expect((e as VirError).message).toBe('unsupported flags (0x8) in function testDomainSetMemoryParameters');
      expect((e as VirError).domain).toBe(ErrorDomain.TEST);
    }
    expect(() => checkFlags(-1, 3, 'f', ErrorDomain.TEST)).toThrow(VirError);
    expect(() => checkFlags(0.5, 3, 'f', ErrorDomain.TEST)).toThrow(VirError);
  });
});

describe('the detail in a message', () => {
  it('is taken literally: replacement patterns such as $\' and $& in user text stay as they are', () => {
    for (const detail of ["unknown suffix '$'", "x$'y", 'a$&b', '$1', '$$', '$`']) {
      expect(new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, detail).message).toBe(`invalid argument: ${detail}`);
    }
  });
});
