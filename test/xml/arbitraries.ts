import fc from 'fast-check';
import { UNLIMITED } from '../../src/memory/params.js';
import type { BlkioDevice, BlkioTune, CpuTune, DomainDef, MemTune } from '../../src/xml/domain-def.js';
import {
  CRASH_ACTIONS, DOMAIN_TYPES, LIFECYCLE_ACTIONS, MEMBALLOON_MODELS, OS_TYPES,
} from '../../src/xml/domain-layout.js';
import { checkDomainName } from '../../src/xml/name.js';

// Characters XML 1.0 can carry, minus the C0 controls other than TAB, LF, CR.
const XML_CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
/** Text XML can carry, biased towards characters that need escaping. */
export const xmlText = (min = 0, max = 30) =>
  fc.string({ unit: fc.oneof(fc.constantFrom('&', '<', '>', "'", '"', '\r', '\n', '\t', ' ', ']]>'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), minLength: min, maxLength: max })
    .filter((s) => XML_CHAR.test(s));

// Names virtune accepts (src/xml/name.ts decides: no control, invisible or bidirectional formatting character...).
const acceptedName = (s: string): boolean => {
  try {
    checkDomainName(s);
    return true;
  } catch {
    return false;
  }
};
const domainName = xmlText(1, 40).filter(acceptedName);
const limit = fc.oneof(fc.constant(UNLIMITED), fc.constant(0n), fc.bigInt({ min: 0n, max: UNLIMITED - 1n }));
const memtune: fc.Arbitrary<MemTune> = fc.record({
  hardLimit: limit,
  softLimit: limit,
  minGuarantee: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: UNLIMITED })),
  swapHardLimit: limit,
  swapSoftLimit: limit,
});
/** A short identifier-like word. */
export const word = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,10}$/);
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

// <cputune> values within libvirt's schema and ranges (what validates and parses back): shares 0 or 2..262144,
// periods 1000..1000000 µs, quotas -1 or 1000..17592186044415 µs.
const period = fc.bigInt({ min: 1000n, max: 1000000n });
const quota = fc.oneof(fc.constant(-1n), fc.bigInt({ min: 1000n, max: 17592186044415n }));
const cputune: fc.Arbitrary<CpuTune | undefined> = fc
  .record(
    {
      shares: fc.oneof(fc.constant(0n), fc.bigInt({ min: 2n, max: 262144n })),
      period, quota, globalPeriod: period, globalQuota: quota, emulatorPeriod: period, emulatorQuota: quota,
      iothreadPeriod: period, iothreadQuota: quota,
    },
    { requiredKeys: [] },
  )
  .map((ct) => (Object.keys(ct).length > 0 ? ct : undefined));
// <blkiotune>: weights 100..1000 (libvirt's schema), throttles from 1 to their C type's maximum, absolute paths
// (any characters but line breaks, which the schema's pattern refuses), each path once.
const blkioDevice: fc.Arbitrary<BlkioDevice> = fc
  .record(
    {
      path: fc.oneof(word.map((w) => `/dev/${w}`), xmlText(1, 12).filter((t) => !/[\r\n]/.test(t)).map((t) => `/${t}`)),
      weight: fc.integer({ min: 100, max: 1000 }),
      readBytesSec: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
      writeBytesSec: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
      readIopsSec: fc.bigInt({ min: 1n, max: 2n ** 32n - 1n }),
      writeIopsSec: fc.bigInt({ min: 1n, max: 2n ** 32n - 1n }),
    },
    { requiredKeys: ['path'] },
  )
  .filter((d) => Object.keys(d).length > 1);
const blkiotune: fc.Arbitrary<BlkioTune | undefined> = fc
  .record({
    weight: opt(fc.integer({ min: 100, max: 1000 })),
    devices: fc.uniqueArray(blkioDevice, { selector: (d) => d.path, maxLength: 3 }),
  })
  .map(({ weight, devices }) => {
    if (weight === undefined && devices.length === 0) return undefined;
    return weight === undefined ? { devices } : { weight, devices };
  });


/** At least 1, at most `kib`: about `f` of it (exact when `kib` is below 2^53). */
function fraction(kib: bigint, f: number): bigint {
  const v = BigInt(Math.floor(Number(kib) * f));
  return v < 1n ? 1n : v > kib ? kib : v;
}

/** Any DomainDef virtune can write and read back (no passthrough). */
export const domainDef: fc.Arbitrary<DomainDef> = fc
  .record({
    type: fc.constantFrom(...DOMAIN_TYPES),
    id: opt(fc.integer({ min: 0, max: 999_999_999 })),
    name: domainName,
    uuid: fc.uuid(),
    title: opt(xmlText(1).filter((s) => !s.includes('\n'))),
    description: opt(xmlText(1)),
    // libvirt requires both a size of at least <memory> and a non-zero slot count.
    maxMemory: opt(fc.record({ extra: fc.bigInt({ min: 0n, max: UNLIMITED }), slots: fc.integer({ min: 1, max: 2 ** 32 - 1 }) })),
    memory: fc.bigInt({ min: 1n, max: UNLIMITED }),
    currentFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    memtune,
    blkiotune,
    cputune,
    vcpuCount: fc.integer({ min: 1, max: 65535 }),
    vcpuCurrent: opt(fc.integer({ min: 1, max: 4095 })),
    placement: fc.constantFrom('static', 'auto'),
    os: fc.record({
      type: fc.constantFrom(...OS_TYPES),
      arch: opt(word),
      machine: opt(word),
      boot: fc.array(fc.constantFrom('hd', 'cdrom', 'network', 'fd'), { maxLength: 3 }),
      kernel: opt(xmlText(1)),
      initrd: opt(xmlText(1)),
      cmdline: opt(xmlText(1)),
      init: opt(xmlText(1)),
      initargs: fc.array(xmlText(), { maxLength: 3 }),
    }),
    onPoweroff: fc.constantFrom(...LIFECYCLE_ACTIONS),
    onReboot: fc.constantFrom(...LIFECYCLE_ACTIONS),
    onCrash: fc.constantFrom(...CRASH_ACTIONS),
    emulator: opt(xmlText(1)),
    balloon: opt(fc.record({ model: fc.constantFrom(...MEMBALLOON_MODELS), statsPeriod: opt(fc.integer({ min: 1, max: 2 ** 31 - 1 })) })),
  })
  .map((r) => {
    const def: DomainDef = {
      type: r.type,
      name: r.name,
      uuid: r.uuid,
      memory: r.memory,
      currentMemory: fraction(r.memory, r.currentFraction),
      memtune: r.memtune,
      vcpu: { count: r.vcpuCount, placement: r.placement },
      os: { type: r.os.type, boot: r.os.boot, initargs: r.os.initargs },
      onPoweroff: r.onPoweroff,
      onReboot: r.onReboot,
      onCrash: r.onCrash,
      devices: {},
    };
    if (r.id !== undefined) def.id = r.id;
    if (r.blkiotune) def.blkiotune = r.blkiotune;
    if (r.cputune) def.cputune = r.cputune;
    if (r.title !== undefined) def.title = r.title;
    if (r.description !== undefined) def.description = r.description;
    if (r.maxMemory) def.maxMemory = { value: r.memory + (r.maxMemory.extra % (UNLIMITED - r.memory + 1n)), slots: r.maxMemory.slots };
    if (r.vcpuCurrent !== undefined && r.vcpuCurrent < r.vcpuCount) def.vcpu.current = r.vcpuCurrent;
    for (const k of ['arch', 'machine', 'kernel', 'initrd', 'cmdline', 'init'] as const) {
      if (r.os[k] !== undefined) def.os[k] = r.os[k];
    }
    if (r.emulator !== undefined) def.devices.emulator = r.emulator;
    if (r.balloon) {
      def.devices.memballoon = { model: r.balloon.model };
      if (r.balloon.statsPeriod !== undefined) def.devices.memballoon.statsPeriod = r.balloon.statsPeriod;
    }
    return def;
  });

