// Cross-cutting suite: the real CIM client (wbemcli) against src/cim/ and `virtune cim-serve`; not the tests of one src/ file.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCimServer, type CimServer } from '../../src/cim/http-server.js';
import { openConnection, type Connection } from '../../src/connection/connection.js';
import { UNLIMITED } from '../../src/memory/params.js';
import { typedParamsToRecord } from '../../src/typed-params/helpers.js';
import { VIRTUNE_BIN } from '../helpers/spawn-cli.js';
import { skipUnless } from '../helpers/prereq.js';
import { memPath, propertiesOf, wbemcli } from './wbemcli.js';

/**
 * The real CIM client, sblim-wbemcli, against virtune's CIM server on 127.0.0.1 (a free port each time): first
 * a server in this process on test:///default, so the test can look at the connection the changes went
 * through; then the `virtune cim-serve` command itself.
 */

const CLASS = 'KVM_MemResourceAllocationSettingData';

describe.skipIf(skipUnless('wbemcli'))('wbemcli against the CIM server (test driver)', () => {
  let conn: Connection;
  let server: CimServer;
  const memtune = async () => typedParamsToRecord(await (await conn.lookupDomainByName('test')).getMemoryParameters());

  beforeAll(async () => {
    conn = await openConnection('test:///default');
    server = await startCimServer(conn, { port: 0, readWrite: true });
  });
  afterAll(async () => {
    await server?.close();
    await conn?.close();
  });

  it('ei and ein list the memory RASD of each domain; gi shows its values', async () => {
    const ei = await wbemcli('ei', `${server.url}/root/virt:${CLASS}`);
    expect(ei.status, ei.stderr).toBe(0);
    expect(ei.stdout).toContain(`root/virt:${CLASS}.InstanceID="test/mem" InstanceID="test/mem",ResourceType=4,AllocationUnits="KiloBytes",VirtualQuantity=8388608,Reservation=0,Limit=,Weight=`);
    const ein = await wbemcli('ein', `${server.url}/root/virt:${CLASS}`);
    expect(ein.stdout.trim()).toBe(`${server.url.replace('http://', '')}/root/virt:${CLASS}.InstanceID="test/mem"`);
    const gi = await wbemcli('-nl', 'gi', memPath(server.url, 'test'));
    expect(propertiesOf(gi.stdout)).toEqual({
      InstanceID: 'test/mem',
      ResourceType: '4',
      AllocationUnits: 'KiloBytes',
      VirtualQuantity: '8388608',
      Reservation: '0',
      Limit: '',
      Weight: '',
    });
  });

  it('mi of Limit becomes a memtune hard_limit change, read back by getMemoryParameters and gi', async () => {
    const mi = await wbemcli('mi', memPath(server.url, 'test'), 'Limit=524288');
    expect([mi.status, mi.stderr]).toEqual([0, '']);
    expect((await memtune()).hard_limit).toBe(524288n);
    expect(propertiesOf((await wbemcli('-nl', 'gi', memPath(server.url, 'test'))).stdout).Limit).toBe('524288');
    // In other units, with every quantity of the instance given in them.
    const mb = await wbemcli('mi', memPath(server.url, 'test'), 'AllocationUnits="MegaBytes",VirtualQuantity=8192,Limit=256');
    expect([mb.status, mb.stderr]).toEqual([0, '']);
    expect((await memtune()).hard_limit).toBe(262144n);
    // The unlimited value libvirt uses removes the limit again.
    await wbemcli('mi', memPath(server.url, 'test'), `Limit=${UNLIMITED}`);
    expect((await memtune()).hard_limit).toBe(BigInt(UNLIMITED));
  });

  it('shows bad requests as CIM errors and applies nothing', async () => {
    const before = await memtune();
    const cases: Array<[string[], RegExp]> = [
      [['mi', memPath(server.url, 'test'), 'Limit=abc'], /\(4\) CIM_ERR_INVALID_PARAMETER: Property Limit: 'abc' is not a uint64/],
      [['mi', memPath(server.url, 'test'), 'Limit=9007199254740992'], /\(4\) CIM_ERR_INVALID_PARAMETER: VIR_ERR_INVALID_ARG/],
      [['mi', memPath(server.url, 'test'), 'Weight=10'], /\(7\) CIM_ERR_NOT_SUPPORTED: Weight cannot be expressed/],
      [['mi', memPath(server.url, 'test'), 'VirtualQuantity=1'], /\(7\) CIM_ERR_NOT_SUPPORTED: VirtualQuantity/],
      [['gi', memPath(server.url, 'nosuch')], /\(6\) CIM_ERR_NOT_FOUND/],
      [['ei', `${server.url}/root/cimv2:${CLASS}`], /\(3\) CIM_ERR_INVALID_NAMESPACE/],
      [['ei', `${server.url}/root/virt:CIM_ComputerSystem`], /\(5\) CIM_ERR_INVALID_CLASS/],
      [['ei', `${server.url}/root/virt:KVM_ProcResourceAllocationSettingData`], /\(7\) CIM_ERR_NOT_SUPPORTED: .*no CPU tuning yet/],
      [['di', memPath(server.url, 'test')], /\(7\) CIM_ERR_NOT_SUPPORTED/],
    ];
    for (const [args, message] of cases) {
      const r = await wbemcli(...args);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    expect(await memtune()).toEqual(before);
  });
});

/** Starts `virtune -c URI cim-serve ARGS` and resolves once it says where it listens. */
function serve(uri: string, ...args: string[]) {
  const child = spawn(process.execPath, [VIRTUNE_BIN, '-c', uri, 'cim-serve', '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => (err += String(c)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c) => {
      out += String(c);
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/cimom/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`cim-serve exited (${code}) before listening: ${err}`)));
  });
  return { child, url, exited, output: () => out, errors: () => err };
}

describe.skipIf(skipUnless('wbemcli'))('virtune cim-serve', () => {
  it('serves until SIGTERM, read-write only when asked, and exits 0', async () => {
    const rw = serve('test:///default', '--read-write');
    try {
      const url = await rw.url;
      expect(rw.output()).toContain(`namespace root/virt, class ${CLASS} (read-write)`);
      expect((await wbemcli('mi', memPath(url, 'test'), 'Limit=1048576')).status).toBe(0);
      // The server's own connection now holds the limit.
      expect(propertiesOf((await wbemcli('-nl', 'gi', memPath(url, 'test'))).stdout).Limit).toBe('1048576');
    } finally {
      rw.child.kill('SIGTERM');
    }
    expect(await rw.exited).toBe(0);
    expect(rw.output()).toMatch(/ModifyInstance -> 200/);

    const ro = serve('test:///default');
    try {
      const url = await ro.url;
      expect(ro.output()).toContain('(read-only)');
      const r = await wbemcli('mi', memPath(url, 'test'), 'Limit=1048576');
      expect(r.stderr).toMatch(/\(2\) CIM_ERR_ACCESS_DENIED: This server is read-only/);
      expect(propertiesOf((await wbemcli('-nl', 'gi', memPath(url, 'test'))).stdout).Limit).toBe('');
    } finally {
      ro.child.kill('SIGTERM');
    }
    expect(await ro.exited).toBe(0);
  });

  it('takes its URI after the command too (cim-serve -c URI), without opening the default one', async () => {
    const child = spawn(process.execPath, [VIRTUNE_BIN, 'cim-serve', '-c', 'test:///default', '--listen', '127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // A default URI that cannot be opened: serving at all shows that -c, not the default, was used.
      env: { ...process.env, VIRTUNE_DEFAULT_URI: '', LIBVIRT_DEFAULT_URI: 'nosuchdriver:///x' },
    });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/cimom/.exec(out);
          if (m) resolve(m[1]!);
        });
        void exited.then((code) => reject(new Error(`cim-serve exited (${code}) before listening`)));
      });
      expect(out).toContain('(read-only)');
      expect((await wbemcli('-nl', 'gi', memPath(url, 'test'))).status).toBe(0);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a bad --listen', async () => {
    const bad = spawn(process.execPath, [VIRTUNE_BIN, '-c', 'test:///default', 'cim-serve', '--listen', 'localhost:99999'], { stdio: 'pipe' });
    let err = '';
    bad.stderr.on('data', (c) => (err += String(c)));
    expect(await new Promise((resolve) => bad.on('exit', resolve))).toBe(1);
    expect(err).toContain("error: Invalid value 'localhost:99999' for <listen> option: expected HOST:PORT");
  });
});
