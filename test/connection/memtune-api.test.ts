import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DOMAIN_AFFECT_CONFIG,
  DOMAIN_AFFECT_LIVE,
  ErrorCode,
  TypedParameterType as T,
  UNLIMITED,
  openConnection,
  type Connection,
  type Domain,
} from '../../src/index.js';

let conn: Connection;
let dom: Domain;
beforeEach(async () => {
  conn = await openConnection('test:///default');
  dom = await conn.lookupDomainByName('test');
});
afterEach(() => conn.close());

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error & { code: number });

describe('Domain.setMemtune / getMemtune (a layer over the typed parameters)', () => {
  it('takes sizes as virsh writes them and reads back named fields, KiB bigints', async () => {
    await dom.setMemtune({ hardLimit: '2G', softLimit: 524288n, swapHardLimit: 'unlimited' }, { live: true });
    expect(await dom.getMemtune({ live: true })).toEqual({ hardLimit: 2097152n, softLimit: 524288n, swapHardLimit: UNLIMITED });
    // The same state through the typed parameters: it is one path.
    expect(await dom.getMemoryParameters(DOMAIN_AFFECT_LIVE)).toEqual([
      { field: 'hard_limit', type: T.ULLONG, value: 2097152n },
      { field: 'soft_limit', type: T.ULLONG, value: 524288n },
      { field: 'swap_hard_limit', type: T.ULLONG, value: UNLIMITED },
    ]);
    await dom.setMemtune({ minGuarantee: '64M' });
    expect((await dom.getMemtune()).minGuarantee).toBe(65536n);
  });

  it('maps { live, config } to the flags: the test driver refuses both at once, as libvirt', async () => {
    const setErr = await failure(dom.setMemtune({ hardLimit: '1G' }, { live: true, config: true }));
    const paramsErr = await failure(
      dom.setMemoryParameters([{ field: 'hard_limit', type: T.ULLONG, value: 1048576n }], DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG),
    );
    expect(setErr?.message).toBe(paramsErr?.message);
    expect(setErr?.message).toMatch(/mutually exclusive/);
  });

  it('gives exactly the errors setMemoryParameters gives, and changes nothing', async () => {
    const before = await dom.getMemtune();
    const cases: [Parameters<Domain['setMemtune']>[0], Parameters<Domain['setMemoryParameters']>[0]][] = [
      [{ hardLimit: '2G', swapHardLimit: '1G' }, [{ field: 'hard_limit', type: T.ULLONG, value: 2097152n }, { field: 'swap_hard_limit', type: T.ULLONG, value: 1048576n }]],
      [{}, []],
      [{ hardLimit: UNLIMITED + 1n }, [{ field: 'hard_limit', type: T.ULLONG, value: UNLIMITED + 1n }]],
      [{ softLimit: 1.5 }, [{ field: 'soft_limit', type: T.ULLONG, value: 1.5 }]],
    ];
    for (const [values, params] of cases) {
      const a = await failure(dom.setMemtune(values));
      const b = await failure(dom.setMemoryParameters(params));
      expect(a).toBeDefined();
      expect([a?.code, a?.message]).toEqual([b?.code, b?.message]);
    }
    expect(await dom.getMemtune()).toEqual(before);
  });

  it('refuses a size parseSize refuses, or a field it does not know, before anything is sent', async () => {
    const before = await dom.getMemtune();
    expect(await failure(dom.setMemtune({ hardLimit: '1G', softLimit: '1.5G' }))).toMatchObject({
      code: ErrorCode.INVALID_ARG,
      message: "invalid argument: unknown suffix '.5G'",
    });
    expect(await failure(dom.setMemtune({ hardlimit: '1G' } as never))).toMatchObject({ code: ErrorCode.ARGUMENT_UNSUPPORTED });
    expect(await dom.getMemtune()).toEqual(before);
  });
});
