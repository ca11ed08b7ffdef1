import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../src/errors.js';
import { UNLIMITED } from '../../src/memory/params.js';
import { defaultMemTune, formatMemtune, isDefaultMemtune, parseMemtune } from '../../src/xml/memtune.js';
import { parseDomainXML } from '../../src/xml/parse-domain.js';
import { virErrorOf } from '../helpers/vir-error.js';

describe('defaultMemTune', () => {
  it('is all unset: UNLIMITED limits, 0 guarantee, and prints nothing', () => {
    expect(defaultMemTune()).toEqual({
      hardLimit: UNLIMITED, softLimit: UNLIMITED, minGuarantee: 0n, swapHardLimit: UNLIMITED, swapSoftLimit: UNLIMITED,
    });
    expect(formatMemtune(defaultMemTune())).toBe('');
    expect(isDefaultMemtune(defaultMemTune())).toBe(true);
  });
});

describe('parseMemtune', () => {
  it('reads every child in any order, with units', () => {
    const mt = parseMemtune(
      "<memtune><swap_soft_limit unit='M'>3</swap_soft_limit><min_guarantee unit='KB'>2000</min_guarantee>" +
        "<soft_limit>7</soft_limit><swap_hard_limit unit='GiB'>2</swap_hard_limit><hard_limit unit='b'>1023</hard_limit></memtune>",
    );
    expect(mt).toEqual({ hardLimit: 1n, softLimit: 7n, minGuarantee: 1954n, swapHardLimit: 2097152n, swapSoftLimit: 3072n });
  });

  it('treats 0 as a real limit and an empty <memtune> as nothing set', () => {
    expect(parseMemtune('<memtune><hard_limit>0</hard_limit></memtune>').hardLimit).toBe(0n);
    expect(parseMemtune('<memtune/>')).toEqual(defaultMemTune());
  });

  it('reads text and UTF-8 bytes; an element of a parsed document (libxmljs2 is not part of the API) is refused', async () => {
    const xml = "<memtune><soft_limit unit='k'>5</soft_limit></memtune>";
    expect(parseMemtune(new TextEncoder().encode(xml)).softLimit).toBe(5n);
    const libxml = (await import('libxmljs2')).default;
    const el = libxml.parseXml(`<domain>${xml}</domain>`).get('memtune');
    expect(() => parseMemtune(el as never)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARG }));
  });

  it('takes the first of repeated children without validation, as libvirt does', () => {
    expect(
      parseMemtune('<memtune><min_guarantee>5</min_guarantee><min_guarantee>7</min_guarantee></memtune>', {
        validate: false,
      }).minGuarantee,
    ).toBe(5n);
    expect(() => parseMemtune('<memtune><min_guarantee>5</min_guarantee><min_guarantee>7</min_guarantee></memtune>')).toThrow(
      /failed to validate against schema/,
    );
  });

  it.each([
    ["<hard_limit unit='furlongs'>5</hard_limit>", ErrorCode.INVALID_ARG, "invalid argument: unknown suffix 'furlongs'"],
    ['<hard_limit>-5</hard_limit>', ErrorCode.XML_ERROR, "XML error: Invalid value '-5' for element or attribute './memtune/hard_limit[1]'"],
    ["<soft_limit unit='EiB'>9</soft_limit>", ErrorCode.OVERFLOW, 'numerical overflow: value too large: 9EiB'],
    ['<min_guarantee>9007199254740992</min_guarantee>', ErrorCode.OVERFLOW, 'numerical overflow: value too large: 9007199254740992'],
    ['<swap_hard_limit>abc</swap_hard_limit>', ErrorCode.XML_ERROR, "XML error: Invalid value 'abc' for element or attribute './memtune/swap_hard_limit[1]'"],
  ])('%s fails as libvirt does', (inner, code, message) => {
    const e = virErrorOf(() => parseMemtune(`<memtune>${inner}</memtune>`));
    expect(e.code).toBe(code);
    expect(e.message).toBe(message);
  });

  it('rejects another root element', () => {
    const e = virErrorOf(() => parseMemtune('<blkiotune/>'));
    expect(e.code).toBe(ErrorCode.XML_ERROR);
    expect(e.domain).toBe(ErrorDomain.XML);
    expect(e.message).toBe("XML error: expecting root element of 'memtune', not 'blkiotune'");
  });
});

describe('formatMemtune', () => {
  it("prints libvirt's order with unit='KiB', 0 included, min_guarantee only when non-zero", () => {
    const mt = { ...defaultMemTune(), swapHardLimit: 10n, hardLimit: 0n, softLimit: 5n };
    expect(formatMemtune(mt)).toBe(
      "<memtune>\n  <hard_limit unit='KiB'>0</hard_limit>\n  <soft_limit unit='KiB'>5</soft_limit>\n" +
        "  <swap_hard_limit unit='KiB'>10</swap_hard_limit>\n</memtune>\n",
    );
  });

  it('indents for its place in <domain> and prints swap_soft_limit last', () => {
    const mt = { ...defaultMemTune(), minGuarantee: 1n, swapSoftLimit: 2n };
    expect(formatMemtune(mt, 1)).toBe(
      "  <memtune>\n    <min_guarantee unit='KiB'>1</min_guarantee>\n    <swap_soft_limit unit='KiB'>2</swap_soft_limit>\n  </memtune>\n",
    );
  });

  it.each([[Number.NaN], [-1n], [1.5], [1024], [UNLIMITED + 2n], [undefined]])('refuses to print %s rather than round it', (bad) => {
    const e = virErrorOf(() => formatMemtune({ ...defaultMemTune(), softLimit: bad as bigint }));
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
    expect(e.message).toMatch(/^invalid argument: memtune soft_limit must be a bigint from 0n to 9007199254740991n KiB/);
  });

  it('round-trips through parseMemtune', () => {
    const mt = { hardLimit: 0n, softLimit: UNLIMITED - 1n, minGuarantee: UNLIMITED, swapHardLimit: 4n, swapSoftLimit: UNLIMITED };
    expect(parseMemtune(formatMemtune(mt))).toEqual(mt);
  });

  it('is what parseDomainXML reads back inside a domain', () => {
    const def = parseDomainXML(
      "<domain type='test'><name>a</name><memory>1024</memory><os><type>hvm</type></os>" +
        "<memtune><hard_limit unit='G'>1</hard_limit></memtune></domain>",
    );
    expect(def.memtune.hardLimit).toBe(1048576n);
  });
});
