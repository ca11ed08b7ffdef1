import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../../src/cgroup/controller.js';
import type { DomainCgroup } from '../../../src/cgroup/domain-cgroup.js';
import { DomainLocks } from '../../../src/drivers/common/domain-lock.js';
import { DomainObject, cloneDef } from '../../../src/drivers/common/domain-objects.js';
import { setMemoryParameters, type MemtuneContext } from '../../../src/drivers/common/memtune-apply.js';
import { ErrorDomain } from '../../../src/errors.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../../../src/flags.js';
import { UNLIMITED } from '../../../src/memory/params.js';
import { ullong } from '../../../src/typed-params/helpers.js';
import { skipUnless } from '../../helpers/prereq.js';
import { RecordingSavers } from '../../helpers/recording-savers.js';
import { domainDef } from '../../helpers/domain-def.js';
import { MEMORY } from '../../../src/cgroup/controllers.js';

const MiB = 1024n;

describe.skipIf(skipUnless('root', 'cgroup-v1-memory'))('shared memtune path on a real v1 cgroup', () => {
  const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  let controller: HostCgroups;
  let cg: DomainCgroup;
  let obj: DomainObject;
  let saved: RecordingSavers;

  const ctx = (): MemtuneContext => ({
    errorDomain: ErrorDomain.LXC,
    supported: controller.filesOf(MEMORY).params,
    cgroup: cg,
    saveLive: saved.saveLive,
    saveConfig: saved.saveConfig,
  });
  const bytes = (f: string) => BigInt(readFileSync(`${cg.path}/${f}`, 'utf8').trim()) / 1024n;

  beforeAll(() => {
    controller = HostCgroups.open({ parent })!;
  });
  beforeEach(() => {
    saved = new RecordingSavers(ErrorDomain.LXC);
  });
  afterEach(() => {
    cg?.remove();
  });
  afterAll(() => {
    if (existsSync(`${controller.root}/${parent}`)) rmdirSync(`${controller.root}/${parent}`);
  });

  function running(): void {
    const def = domainDef('lxc', { name: `mt-${randomBytes(3).toString('hex')}` });
    obj = new DomainObject(def, cloneDef(def));
    cg = controller.domain(def.name, 'lxc');
    cg.create();
  }

  it('live: writes the cgroup and saves the live definition only', async () => {
    running();
    const applied = await setMemoryParameters(obj, [ullong('hard_limit', 300n * MiB), ullong('soft_limit', 200n * MiB)], DOMAIN_AFFECT_LIVE, ctx(), 'fn');
    expect(applied.map((p) => p.field)).toEqual(['hard_limit', 'soft_limit']);
    expect(bytes('memory.limit_in_bytes')).toBe(300n * MiB);
    expect(bytes('memory.soft_limit_in_bytes')).toBe(200n * MiB);
    expect(obj.live!.memtune.hardLimit).toBe(300n * MiB);
    expect(obj.config!.memtune.hardLimit).toBe(UNLIMITED);
    expect(saved.live).toHaveLength(1);
    expect(saved.config).toHaveLength(0);
  });

  it('config: touches neither the cgroup nor the live definition, and checks the config values', async () => {
    running();
    await setMemoryParameters(obj, [ullong('hard_limit', 300n * MiB)], DOMAIN_AFFECT_LIVE, ctx(), 'fn');
    // Fine against the config (hard 50M), although the live hard limit (300M) is above 100M.
    await setMemoryParameters(obj, [ullong('hard_limit', 50n * MiB), ullong('swap_hard_limit', 100n * MiB)], DOMAIN_AFFECT_CONFIG, ctx(), 'fn');
    expect(obj.config!.memtune.swapHardLimit).toBe(100n * MiB);
    expect(obj.live!.memtune.swapHardLimit).toBe(UNLIMITED);
    expect(bytes('memory.limit_in_bytes')).toBe(300n * MiB);
    // Checked against the config values, unlike libvirt, which checks --config against the live ones.
    await expect(
      setMemoryParameters(obj, [ullong('hard_limit', 200n * MiB)], DOMAIN_AFFECT_CONFIG, ctx(), 'fn'),
    ).rejects.toThrow('memory hard_limit tunable value must be lower than or equal to swap_hard_limit');
  });

  it('live+config: a failed config save undoes the cgroup and the live definition', async () => {
    running();
    await setMemoryParameters(obj, [ullong('hard_limit', 300n * MiB)], DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG, ctx(), 'fn');
    const liveBefore = structuredClone(obj.live);
    const configBefore = structuredClone(obj.config);
    saved.failConfig = true;
    await expect(
      setMemoryParameters(obj, [ullong('hard_limit', 100n * MiB), ullong('soft_limit', 50n * MiB)], DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG, ctx(), 'fn'),
    ).rejects.toThrow('disk full');
    expect(bytes('memory.limit_in_bytes')).toBe(300n * MiB);
    expect(readFileSync(`${cg.path}/memory.soft_limit_in_bytes`, 'utf8').trim()).toBe('9223372036854771712');
    expect(obj.live).toEqual(liveBefore);
    expect(obj.config).toEqual(configBefore);
    // The status file was rewritten with the old live definition.
    expect(saved.live.at(-1)).toEqual(liveBefore);
  });

  it('validates everything before writing: unknown names, types, ranges, flags', async () => {
    running();
    const cases: [unknown[], number, RegExp][] = [
      [[ullong('min_guarantee', 1)], 0, /parameter 'min_guarantee' not supported/],
      [[{ field: 'hard_limit', type: 1, value: 5 }], 0, /invalid type 'int' for parameter 'hard_limit', expected 'ullong'/],
      [[ullong('hard_limit', 2n ** 60n)], 0, /must be less than/],
      [[ullong('hard_limit', 1)], 8, /unsupported flags \(0x8\) in function fn/],
      [[], 0, /nparams in virDomainSetMemoryParameters must be greater than zero/],
    ];
    for (const [params, flags, re] of cases) {
      await expect(setMemoryParameters(obj, params as never, flags, ctx(), 'fn')).rejects.toThrow(re);
    }
    expect(saved.live).toEqual([]);
    expect(bytes('memory.limit_in_bytes')).toBeGreaterThan(2 ** 40);
  });

  it('50 parallel calls under the domain lock end as one serial order', async () => {
    running();
    const locks = new DomainLocks();
    const values = Array.from({ length: 50 }, (_, i) => ({ hard: BigInt(100 + i) * MiB, swap: BigInt(100 + ((i * 37) % 50)) * MiB + 50n * MiB }));
    const results = await Promise.allSettled(
      values.map((v) =>
        locks.run(obj.uuid, () =>
          setMemoryParameters(obj, [ullong('hard_limit', v.hard), ullong('swap_hard_limit', v.swap)], 0, ctx(), 'fn'),
        ),
      ),
    );
    // Replay serially on a model: each call either applies or fails validation against the state before it.
    let model = { hard: UNLIMITED, swap: UNLIMITED };
    results.forEach((r, i) => {
      const v = values[i]!;
      const ok = v.hard <= v.swap;
      expect(r.status).toBe(ok ? 'fulfilled' : 'rejected');
      if (ok) model = v;
    });
    expect(obj.live!.memtune.hardLimit).toBe(model.hard);
    expect(obj.live!.memtune.swapHardLimit).toBe(model.swap);
    expect(bytes('memory.limit_in_bytes')).toBe(model.hard);
    expect(bytes('memory.memsw.limit_in_bytes')).toBe(model.swap);
    expect(saved.live.at(-1)!.memtune.hardLimit).toBe(model.hard);
  });
});
