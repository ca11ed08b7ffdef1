import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../src/errors.js';
import { checkBlkiotune, formatBlkiotune } from '../../src/xml/blkiotune-format.js';
import type { BlkioTune } from '../../src/xml/domain-def.js';
import { formatDomainXML } from '../../src/xml/format-domain.js';
import { parseDomainXML } from '../../src/xml/parse-domain.js';
import { virErrorOf } from '../helpers/vir-error.js';

const dom = (blkiotune: string) =>
  `<domain type='kvm'><name>b</name><memory>1024</memory>${blkiotune}<os><type>hvm</type></os></domain>`;
const read = (blkiotune: string) => parseDomainXML(dom(blkiotune), { validate: false }).blkiotune;

describe('<blkiotune>', () => {
  it('reads the weight and each device (bytes/s and IOPS as bigint), and writes them in libvirt order', () => {
    const bt = read('<blkiotune><device><write_iops_sec>4</write_iops_sec><path>/dev/sda</path><read_bytes_sec>1</read_bytes_sec>' +
      '<weight>500</weight><write_bytes_sec>2</write_bytes_sec><read_iops_sec>3</read_iops_sec></device><weight>300</weight></blkiotune>');
    expect(bt).toEqual({ weight: 300, devices: [{ path: '/dev/sda', weight: 500, readBytesSec: 1n, writeBytesSec: 2n, readIopsSec: 3n, writeIopsSec: 4n }] });
    expect(formatBlkiotune(bt, 1)).toBe(
      '  <blkiotune>\n    <weight>300</weight>\n    <device>\n      <path>/dev/sda</path>\n      <weight>500</weight>\n' +
      '      <read_iops_sec>3</read_iops_sec>\n      <write_iops_sec>4</write_iops_sec>\n      <read_bytes_sec>1</read_bytes_sec>\n' +
      '      <write_bytes_sec>2</write_bytes_sec>\n    </device>\n  </blkiotune>\n',
    );
  });

  it('treats 0 as unset and drops what is left empty: a device without values, a <blkiotune> without any', () => {
    expect(read('<blkiotune><weight>0</weight><device><path>/a</path><weight>0</weight></device></blkiotune>')).toBeUndefined();
    expect(read('<blkiotune/>')).toBeUndefined();
    expect(formatBlkiotune({ weight: 0, devices: [{ path: '/a', readBytesSec: 0n }] })).toBe('');
    expect(formatBlkiotune(undefined)).toBe('');
  });

  it("reads the domain weight with libvirt's silence: unreadable is unset; device values wrap a minus sign", () => {
    for (const w of ['x', '-1', '7 ', '4294967296', '']) expect(read(`<blkiotune><weight>${w}</weight></blkiotune>`)).toBeUndefined();
    expect(read('<blkiotune><weight> +7</weight></blkiotune>')).toEqual({ weight: 7, devices: [] });
    expect(read('<blkiotune><device><path>/a</path><weight>-1</weight><read_bytes_sec>-1</read_bytes_sec></device></blkiotune>'))
      .toEqual({ devices: [{ path: '/a', weight: 4294967295, readBytesSec: 2n ** 64n - 1n }] });
  });

  it("refuses what libvirt refuses, with its messages", () => {
    const cases: Array<[string, string]> = [
      ['<device><weight>5</weight></device>', 'missing per-device path'],
      ['<device><path/><weight>5</weight></device>', 'missing per-device path'],
      ['<device><path>/a</path><weight>x</weight></device>', 'could not parse weight x'],
      ['<device><path>/a</path><read_iops_sec>4294967296</read_iops_sec></device>', 'could not parse read iops sec 4294967296'],
      ['<device><path>/a</path><write_bytes_sec>1.5</write_bytes_sec><read_bytes_sec>y</read_bytes_sec></device>', 'could not parse read bytes sec y'],
      ['<device><path>/a</path></device><device><path>/a</path><weight>100</weight></device>', "duplicate blkio device path '/a'"],
    ];
    for (const [inner, message] of cases) {
      const e = virErrorOf(() => read(`<blkiotune>${inner}</blkiotune>`));
      expect([e.code, e.domain, e.message]).toEqual([ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN, `unsupported configuration: ${message}`]);
    }
  });

  it('refuses to write what would not read back', () => {
    const bad = [
      { devices: [{ path: '/a', weight: 1 }, { path: '/a', weight: 2 }] },
      { weight: 1.5, devices: [] },
      { weight: -1, devices: [] },
      { devices: [{ path: '', weight: 1 }] },
      { devices: [{ path: '/a', readIopsSec: 2n ** 32n }] },
      { devices: [{ path: '/a', writeBytesSec: -1n }] },
      { devices: [{ path: '/a', readBytesSec: 5 }] },
    ] as unknown as BlkioTune[];
    for (const bt of bad) expect(() => checkBlkiotune(bt)).toThrow();
    expect(virErrorOf(() => formatBlkiotune(bad[0])).code).toBe(ErrorCode.CONFIG_UNSUPPORTED);
    expect(virErrorOf(() => formatBlkiotune(bad[1])).code).toBe(ErrorCode.INVALID_ARG);
  });

  it('goes after <currentMemory>, before <memtune>, and survives a round trip with escaping', () => {
    const xml = dom("<memtune><hard_limit>5</hard_limit></memtune><blkiotune><device><path>/a&amp;'b</path><weight>100</weight></device></blkiotune>");
    const out = formatDomainXML(parseDomainXML(xml));
    expect(out).toContain("<currentMemory unit='KiB'>1024</currentMemory>\n  <blkiotune>\n    <device>\n      <path>/a&amp;&apos;b</path>");
    expect(out.indexOf('</blkiotune>')).toBeLessThan(out.indexOf('<memtune>'));
    expect(formatDomainXML(parseDomainXML(out))).toBe(out);
  });
});
