import { describe, expect, it } from 'vitest';
import { MAX_INTERNED, MAX_INTERNED_LENGTH, intern, internAmount, ownString } from '../../src/xml/intern.js';
import { parseDomainXML } from '../../src/xml/parse-domain.js';

// Strings are compared by value in JavaScript; Object.is on a fresh copy cannot tell copies apart either. What
// can be checked is that intern returns an equal string, stays bounded, and that parsed definitions hold values
// that intern already knows (so a fleet of definitions shares them).
describe('intern', () => {
  it('returns an equal string, and passes long values through', () => {
    const long = 'x'.repeat(MAX_INTERNED_LENGTH + 1);
    expect(intern('hvm')).toBe('hvm');
    expect(intern(long)).toBe(long);
  });

  it('ownString gives an equal string for a view of any text, short or long, one-byte or two-byte', () => {
    for (const s of ['a-long-domain-name', '\n'.repeat(10_000), `${'x'.repeat(10_000)}é`, '😀\ud800'.repeat(3000), 'ab\u00ff'.repeat(2000)]) {
      expect(ownString(` ${s}`.slice(1))).toBe(s);
    }
  });

  it('stays usable past its bound', () => {
    for (let i = 0; i < MAX_INTERNED + 10; i++) expect(intern(`v${i}`)).toBe(`v${i}`);
  });

  it('leaves every parsed value as the document wrote it', () => {
    const def = parseDomainXML(
      "<domain type='kvm'><name>a</name><memory>1</memory><vcpu placement='auto'>1</vcpu><os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type><boot dev='network'/><boot dev='hd'/></os><on_crash>coredump-restart</on_crash><devices><memballoon model='virtio-non-transitional'/></devices></domain>",
      { validate: false },
    );
    expect([def.type, def.vcpu.placement, def.os.type, def.os.arch, def.os.machine, def.os.boot, def.onCrash, def.devices.memballoon?.model]).toEqual([
      'kvm', 'auto', 'hvm', 'x86_64', 'pc-q35-7.2', ['network', 'hd'], 'coredump-restart', 'virtio-non-transitional',
    ]);
  });
});

describe('internAmount', () => {
  it('returns an equal amount, past its bound too', () => {
    for (let i = 0; i < MAX_INTERNED + 10; i++) expect(internAmount(BigInt(i) * 1024n)).toBe(BigInt(i) * 1024n);
    expect(internAmount(2n ** 64n - 1n)).toBe(18446744073709551615n);
  });

  it('gives parsed sizes their values', () => {
    const def = parseDomainXML(
      "<domain type='test'><name>a</name><memory unit='GiB'>2</memory><currentMemory>1048576</currentMemory><memtune><hard_limit unit='MiB'>1024</hard_limit></memtune><os><type>hvm</type></os></domain>",
      { validate: false },
    );
    expect([def.memory, def.currentMemory, def.memtune.hardLimit]).toEqual([2097152n, 1048576n, 1048576n]);
  });
});
