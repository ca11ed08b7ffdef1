import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { HostCgroups } from '../../../src/cgroup/controller.js';
import { admitGuarantee, GuaranteeAdmission, memAvailableKiB, withGuarantee, type GuaranteeHolder } from '../../../src/drivers/common/admission.js';
import { DomainObjectList } from '../../../src/drivers/common/domain-objects.js';
import { domainDef } from '../../helpers/domain-def.js';
import { ErrorCode, ErrorDomain, VirError } from '../../../src/errors.js';
import { UNLIMITED } from '../../../src/memory/params.js';

// The shared admission rules (src/drivers/common/admission.ts), used by the LXC and QEMU drivers alike. The
// drivers' own tests run them against real cgroups; here the parent limit and MemAvailable are inputs.
const parent = (limitKiB: bigint): HostCgroups => ({ parent: 'machine', parentLimitKiB: () => limitKiB }) as unknown as HostCgroups;
const host = (limitKiB: bigint, availableKiB: bigint, errorDomain = ErrorDomain.QEMU) => ({
  controller: parent(limitKiB),
  errorDomain,
  available: () => availableKiB,
});
const refusal = (f: () => void): VirError | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e as VirError;
  }
};

describe('min_guarantee admission rules', () => {
  const dir = mkdtempSync(join(tmpdir(), `virtune-admission-${process.pid}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the unbacked part of every guarantee against MemAvailable, in the caller\'s error domain', () => {
    const running: GuaranteeHolder[] = [{ guaranteeKiB: 1000n, usageKiB: 400n }];
    // 600 still unbacked by the running domain + 500 new = 1100 > 1000 available.
    const e = refusal(() => admitGuarantee('b', { guaranteeKiB: 500n, usageKiB: 0n }, running, host(UNLIMITED, 1000n, ErrorDomain.LXC)));
    expect(e).toMatchObject({ code: ErrorCode.OPERATION_FAILED, domain: ErrorDomain.LXC });
    expect(e?.message).toBe(
      "operation failed: cannot guarantee 500 KiB to domain 'b': 1100 KiB of guarantees are not yet backed and the host has 1000 KiB available",
    );
    // A running domain raising its own guarantee: what it already uses backs that much of it.
    expect(refusal(() => admitGuarantee('a', { guaranteeKiB: 1000n, usageKiB: 700n }, running, host(UNLIMITED, 1000n)))).toBeUndefined();
  });

  it('admits exactly when both the parent limit and MemAvailable cover the guarantees; zero always', () => {
    const holder = fc.record({ guaranteeKiB: fc.bigInt({ min: 0n, max: 1n << 24n }), usageKiB: fc.bigInt({ min: 0n, max: 1n << 24n }) });
    fc.assert(
      fc.property(holder, fc.array(holder, { maxLength: 5 }), fc.bigInt({ min: 0n, max: 1n << 26n }), fc.bigInt({ min: 0n, max: 1n << 26n }), (c, running, limit, avail) => {
        const total = running.reduce((s, r) => s + r.guaranteeKiB, c.guaranteeKiB);
        const pending = [c, ...running].reduce((s, r) => s + (r.guaranteeKiB > r.usageKiB ? r.guaranteeKiB - r.usageKiB : 0n), 0n);
        const admitted = refusal(() => admitGuarantee('d', c, running, host(limit, avail))) === undefined;
        expect(admitted).toBe(c.guaranteeKiB === 0n || (total <= limit && pending <= avail));
      }),
    );
  });

  it('holds an admitted start\'s guarantee until it ends, so a concurrent start cannot take the same room', async () => {
    const list = new DomainObjectList({ errorDomain: ErrorDomain.QEMU });
    const [a, b] = ['a', 'b'].map((n, i) => list.define(domainDef('qemu', { name: n, uuid: `00000000-0000-4000-8000-00000000000${i}` })).obj);
    const ledger = new GuaranteeAdmission(host(1000n, UNLIMITED), new Map());
    let finishA!: () => void;
    const startA = ledger.start(a!, 600n, () => new Promise<void>((resolve) => (finishA = resolve)));
    // While a's start is in flight, b is refused (600 + 600 > 1000) and its task never runs.
    let ranB = false;
    await expect(ledger.start(b!, 600n, async () => void (ranB = true))).rejects.toThrow(
      "cannot guarantee 600 KiB to domain 'b': guarantees would total 1200 KiB, above the limit of 1000 KiB of cgroup 'machine'",
    );
    expect(ranB).toBe(false);
    finishA();
    await startA;
    // a's start ended without a running domain (it failed): its reservation is gone, b fits now.
    await ledger.start(b!, 600n, async () => void (ranB = true));
    expect(ranB).toBe(true);
  });

  it('reads MemAvailable, and says so when a meminfo has none', () => {
    writeFileSync(join(dir, 'meminfo'), 'MemTotal:        8000 kB\nMemFree:         100 kB\nMemAvailable:    4321 kB\n');
    expect(memAvailableKiB(join(dir, 'meminfo'))).toBe(4321n);
    writeFileSync(join(dir, 'bad'), 'MemTotal:        8000 kB\n');
    expect(() => memAvailableKiB(join(dir, 'bad'))).toThrow(/no MemAvailable in/);
    expect(memAvailableKiB()).toBeGreaterThan(0);
  });

  it('adds min_guarantee to a backend\'s parameters once, keeping the backend\'s own list', () => {
    const v1 = ['hard_limit', 'soft_limit', 'swap_hard_limit'] as const;
    expect(withGuarantee(v1)).toEqual([...v1, 'min_guarantee']);
    const v2 = [...v1, 'min_guarantee', 'swap_soft_limit'] as const;
    expect(withGuarantee(v2)).toBe(v2);
  });
});
