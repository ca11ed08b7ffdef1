/**
 * One memtune change across several private libvirtd daemons, a socket that accepts and never answers, and a
 * socket that is not there: each host gets its own result, and the dead ones cost only their deadlines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMemoryParametersAcrossHosts, type HostTarget } from '../../src/index.js';
import { ErrorCode } from '../../src/errors.js';
import { TypedParameterType } from '../../src/typed-params/types.js';
import { skipUnless } from '../helpers/prereq.js';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../helpers/private-libvirtd.js';
import { FakeServer } from '../rpc/fake-server.js';

const ULL = TypedParameterType.ULLONG;
const CHANGE = [
  { field: 'hard_limit', type: ULL, value: 2097152n },
  { field: 'soft_limit', type: ULL, value: 1048576n },
] as const;

describe.skipIf(skipUnless('root', 'libvirtd'))('applyMemoryParametersAcrossHosts', () => {
  const daemons: PrivateLibvirtd[] = [];
  let silent: FakeServer;
  beforeAll(async () => {
    daemons.push(...(await Promise.all([startPrivateLibvirtd(), startPrivateLibvirtd({ tcp: true }), startPrivateLibvirtd()])));
    silent = await FakeServer.start(() => {}); // accepts, reads, never answers
  }, 60_000);
  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    await silent?.stop();
  });

  it('gives every host its own result, and a dead host never stalls the rest', async () => {
    const targets: HostTarget[] = [
      { uri: `test+unix:///default?socket=${silent.path}`, domain: 'test' },
      { uri: daemons[0]!.unixURI(), domain: 'test' },
      { uri: daemons[1]!.tcpURI(), domain: 'test' },
      { uri: `test+unix:///default?socket=${daemons[0]!.dir}/missing-sock`, domain: 'test' },
      { uri: daemons[2]!.unixURI(), domain: 'nosuch' },
      { uri: daemons[2]!.unixURI(), domain: 'test' },
    ];
    const t0 = performance.now();
    const results = await applyMemoryParametersAcrossHosts(targets, CHANGE, { concurrency: 2, connectTimeoutMs: 1500, callTimeoutMs: 1500 });
    const total = performance.now() - t0;

    expect(results.map((r) => r.target)).toEqual(targets);
    const [dead, a, b, missing, nosuch, c] = results;
    expect(dead).toMatchObject({ ok: false, error: { code: ErrorCode.OPERATION_TIMEOUT } });
    expect(missing).toMatchObject({ ok: false, error: { code: ErrorCode.SYSTEM_ERROR } });
    expect(nosuch).toMatchObject({ ok: false, error: { code: ErrorCode.NO_DOMAIN } });
    for (const r of [a, b, c]) {
      expect(r!.ok).toBe(true);
      if (r!.ok) {
        expect(r!.params).toEqual([...CHANGE, { field: 'swap_hard_limit', type: ULL, value: 9007199254740991n }]);
      }
    }
    // The silent host held one of the two slots for its connect deadline; the other slot did every other host
    // meanwhile. The whole run is about one deadline, not one deadline per host.
    expect(dead!.elapsedMs).toBeGreaterThanOrEqual(1400);
    expect(dead!.elapsedMs).toBeLessThan(1500 + 2000);
    expect(total).toBeLessThan(1500 + 4000);
    for (const r of [a, b, c, missing, nosuch]) expect(r!.elapsedMs).toBeLessThan(1400);
  }, 30_000);

  it('works on no more than `concurrency` hosts at a time', async () => {
    // Three hosts that never answer: with two slots they take two rounds of the deadline, with three one round.
    const targets = [0, 1, 2].map(() => ({ uri: `test+unix:///default?socket=${silent.path}`, domain: 'test' }));
    const timed = async (concurrency: number): Promise<number> => {
      const t0 = performance.now();
      const r = await applyMemoryParametersAcrossHosts(targets, CHANGE, { concurrency, connectTimeoutMs: 500 });
      expect(r.every((x) => !x.ok && x.error.code === ErrorCode.OPERATION_TIMEOUT)).toBe(true);
      return performance.now() - t0;
    };
    expect(await timed(2)).toBeGreaterThanOrEqual(1000);
    expect(await timed(3)).toBeLessThan(1000);
  });

  it("reports a change the daemon refuses as that host's VirError", async () => {
    const results = await applyMemoryParametersAcrossHosts(
      [{ uri: daemons[0]!.unixURI(), domain: 'test' }],
      [{ field: 'hard_limit', type: ULL, value: 5n }, { field: 'swap_hard_limit', type: ULL, value: 4n }],
    );
    expect(results[0]).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_ARG } });
  });
});
