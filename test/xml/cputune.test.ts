import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../src/errors.js';
import { writeCputune } from '../../src/xml/cputune-format.js';
import { CPUTUNE_FIELDS, checkCputune, hasCputuneValues } from '../../src/xml/cputune.js';
import { CPUTUNE_SLOTS, CPUTUNE_VALUES } from '../../src/xml/domain-layout.js';
import type { CpuTune } from '../../src/xml/domain-def.js';
import { formatDomainXML } from '../../src/xml/format-domain.js';
import { parseDomainXML } from '../../src/xml/parse-domain.js';
import { XmlLines } from '../../src/xml/writer.js';
import { virErrorOf } from '../helpers/vir-error.js';

const dom = (cputune: string, rest = '') =>
  `<domain type='kvm'><name>c</name><memory>1024</memory><vcpu>2</vcpu>${cputune}<os><type>hvm</type></os>${rest}</domain>`;

function written(ct: CpuTune | undefined): string {
  const out = new XmlLines();
  writeCputune(out, 0, ct, undefined);
  return out.toString();
}

describe('<cputune> values', () => {
  it('are read in any order into µs and shares, and written in libvirt order', () => {
    const def = parseDomainXML(dom(
      '<cputune><iothread_quota>-1</iothread_quota><quota>2000</quota><global_quota>-5</global_quota><emulator_period>1000</emulator_period>' +
      '<period>100000</period><shares>2048</shares><global_period>1000000</global_period><emulator_quota>17592186044415</emulator_quota>' +
      '<iothread_period>5000</iothread_period></cputune>',
    ), { validate: false });
    expect(def.cputune).toEqual({
      shares: 2048n, period: 100000n, quota: 2000n, globalPeriod: 1000000n, globalQuota: -5n, emulatorPeriod: 1000n,
      emulatorQuota: 17592186044415n, iothreadPeriod: 5000n, iothreadQuota: -1n,
    });
    expect(written(def.cputune).split('\n').map((l) => l.trim().replace(/>.*/, '>'))).toEqual([
      '<cputune>', '<shares>', '<period>', '<quota>', '<global_period>', '<global_quota>', '<emulator_period>',
      '<emulator_quota>', '<iothread_period>', '<iothread_quota>', '</cputune>', '',
    ]);
  });

  it('keep libvirt\'s meaning of 0: shares 0 is set, a period or quota of 0 is not', () => {
    expect(parseDomainXML(dom('<cputune><shares>0</shares><period>0</period><quota>0</quota></cputune>'), { validate: false }).cputune)
      .toEqual({ shares: 0n });
    expect(parseDomainXML(dom('<cputune><period>0</period></cputune>'), { validate: false }).cputune).toBeUndefined();
    expect(written({ shares: 0n, period: 0n })).toBe('<cputune>\n  <shares>0</shares>\n</cputune>\n');
    expect(written({ period: 0n })).toBe('');
    expect(written({})).toBe('');
    expect(hasCputuneValues({ quota: 0n })).toBe(false);
    expect(hasCputuneValues({ shares: 0n })).toBe(true);
  });

  it("are checked against libvirt's ranges when read and when written", () => {
    const cases: Array<[CpuTune, string]> = [
      [{ shares: 1n }, "Value of cputune 'shares' must be in range [2, 262144]"],
      [{ shares: 262145n }, "Value of cputune 'shares' must be in range [2, 262144]"],
      [{ globalPeriod: 999n }, "Value of cputune 'global_period' must be in range [1000, 1000000]"],
      [{ iothreadPeriod: 1000001n }, "Value of cputune 'iothread_period' must be in range [1000, 1000000]"],
      [{ emulatorQuota: 999n }, "Value of cputune 'emulator_quota' must be in range [1000, 17592186044415]"],
      [{ quota: 17592186044416n, period: 1n }, "Value of cputune 'period' must be in range [1000, 1000000]"],
    ];
    for (const [ct, message] of cases) {
      for (const e of [virErrorOf(() => checkCputune(ct)), virErrorOf(() => written(ct))]) {
        expect([e.code, e.domain, e.message]).toEqual([ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN, `unsupported configuration: ${message}`]);
      }
    }
    for (const ok of [{ shares: 2n }, { shares: 262144n, quota: -9223372036854775808n, period: 1000n, globalQuota: 17592186044415n }]) {
      expect(() => checkCputune(ok)).not.toThrow();
    }
  });

  it('of the wrong type are refused by the writer, not printed', () => {
    for (const bad of [{ shares: 5 }, { period: -1000n }, { quota: 2n ** 63n }, { shares: 2n ** 64n }] as unknown as CpuTune[]) {
      expect(virErrorOf(() => written(bad)).code).toBe(ErrorCode.INVALID_ARG);
    }
  });

  it('are read by libvirt\'s rules: the first of each across <cputune> elements, empty is unset, unreadable is an error', () => {
    const two = parseDomainXML(dom('<cputune><shares/><shares>5</shares></cputune><cputune><period>2000</period><shares>7</shares></cputune>'), { validate: false });
    expect(two.cputune).toEqual({ period: 2000n });
    expect(formatDomainXML(two)).toContain('<cputune>\n    <period>2000</period>\n  </cputune>');
    for (const [xml, what] of [['<shares>-1</shares>', 'shares'], ['<global_quota>1 </global_quota>', 'global quota'], ['<iothread_period>x</iothread_period>', 'iothread period']]) {
      const e = virErrorOf(() => parseDomainXML(dom(`<cputune>${xml}</cputune>`), { validate: false }));
      expect([e.code, e.domain, e.message]).toEqual([ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, `XML error: can't parse cputune ${what} value`]);
    }
  });
});

describe('<cputune> kept content', () => {
  it('keeps pinning, scheduling and unknown content verbatim, in libvirt order around the values', () => {
    const xml = dom("<cputune><!--pins--><vcpupin vcpu='1' cpuset='0'/><cachetune vcpus='0'><cache id='0' level='3' type='both' size='3' unit='MiB'/></cachetune>" +
      "<shares>5</shares><emulatorpin cpuset='1'/><app:x xmlns:app='urn:a'>t</app:x><quota>-1</quota></cputune>");
    const def = parseDomainXML(xml);
    expect(def.cputune).toEqual({ shares: 5n, quota: -1n });
    const out = formatDomainXML(def);
    expect(out).toContain(
      // The comment came first and stays first; the rest follows libvirt's order.
      '  <cputune>\n    <!--pins-->\n    <shares>5</shares>\n    <quota>-1</quota>\n    <vcpupin vcpu=\'1\' cpuset=\'0\'/>\n' +
      "    <emulatorpin cpuset='1'/>\n    <app:x xmlns:app='urn:a'>t</app:x>\n    <cachetune vcpus='0'>\n" +
      "      <cache id='0' level='3' type='both' size='3' unit='MiB'/>\n    </cachetune>\n  </cputune>\n",
    );
    expect(formatDomainXML(parseDomainXML(out))).toBe(out);
  });

  it('is written even when no value is set, and an empty <cputune> is dropped', () => {
    const pinned = formatDomainXML(parseDomainXML(dom("<cputune><vcpupin vcpu='0' cpuset='0'/></cputune>")));
    expect(pinned).toContain("<cputune>\n    <vcpupin vcpu='0' cpuset='0'/>\n  </cputune>");
    expect(formatDomainXML(parseDomainXML(dom('<cputune/>')))).not.toContain('cputune');
  });

  it('goes after <vcpu> (and <iothreads>), before <os>, wherever the document had it', () => {
    const out = formatDomainXML(parseDomainXML(dom('', "<cputune><shares>9</shares></cputune><iothreads>2</iothreads>")));
    expect(out.indexOf('<vcpu')).toBeLessThan(out.indexOf('<iothreads>'));
    expect(out.indexOf('<iothreads>')).toBeLessThan(out.indexOf('<cputune>'));
    expect(out.indexOf('<cputune>')).toBeLessThan(out.indexOf('<os>'));
  });

  it('the slot table names the modelled values first, in CPUTUNE_FIELDS order', () => {
    expect(CPUTUNE_FIELDS.map(([n]) => n)).toEqual([...CPUTUNE_VALUES]);
    expect(CPUTUNE_VALUES.map((n) => CPUTUNE_SLOTS.rank.get(n))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
