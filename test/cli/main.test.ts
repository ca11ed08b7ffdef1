import { describe, expect, it } from 'vitest';
import { defaultURI } from '../../src/cli/main.js';
import { runMain } from './helpers/run-main.js';

const q = (batch: string) => runMain(['-q', '-c', 'test:///default', batch]);

describe('virtune main (in process, test driver)', () => {
  it('picks the URI from VIRTUNE_DEFAULT_URI, then LIBVIRT_DEFAULT_URI, then test:///default', () => {
    expect(defaultURI({ VIRTUNE_DEFAULT_URI: 'qemu:///embed', LIBVIRT_DEFAULT_URI: 'lxc:///' })).toBe('qemu:///embed');
    expect(defaultURI({ LIBVIRT_DEFAULT_URI: 'lxc:///' })).toBe('lxc:///');
    expect(defaultURI({})).toBe('test:///default');
  });

  it('uses the default URI without -c', async () => {
    expect((await runMain(['-q', 'uri'], {})).stdout).toBe('test:///default\n');
  });

  // libvirt's virConnectOpen reads "" as no URI (libvirt then probes; virtune's default is documented).
  it('uses the default URI for an empty -c', async () => {
    expect(await runMain(['-q', '-c', '', 'uri'], {})).toMatchObject({ stdout: 'test:///default\n', status: 0 });
  });

  it('prints memtune as one JSON document, null for unlimited', async () => {
    const r = await q('memtune test --hard-limit 1G --soft-limit 512M --json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ hard_limit: 1048576, soft_limit: 524288, swap_hard_limit: null });
  });

  it('prints list, domstate and dominfo as JSON', async () => {
    const r = await q('destroy test; list --all --json');
    expect(JSON.parse(r.stdout)).toEqual([
      { id: null, name: 'test', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', state: 'shut off', persistent: true },
    ]);
    const s = await q('domstate test --json');
    expect(JSON.parse(s.stdout)).toMatchObject({ state: 'running', stateCode: 1 });
    const i = await q('dominfo test --json');
    expect(JSON.parse(i.stdout)).toMatchObject({
      id: 1,
      name: 'test',
      state: 'running',
      cpus: 2,
      maxMemoryKiB: 8388608,
      usedMemoryKiB: 2097152,
      persistent: true,
    });
  });

  it('prints dominfo in virsh\'s layout', async () => {
    const r = await q('setmem test 1G; dominfo test');
    expect(r.stdout).toMatch(
      /^Id: {13}1\nName: {11}test\nUUID: {11}6695eb01-f6a4-8304-79aa-97f2502e193f\nState: {10}running\nCPU\(s\): {9}2\n(CPU time: {7}\d+\.\ds\n)?Max memory: {5}8388608 KiB\nUsed memory: {4}1048576 KiB\nPersistent: {5}yes\n$/,
    );
  });

  it('reports errors in JSON mode on stderr, as without it', async () => {
    const r = await q('memtune nope --json');
    expect(r).toEqual({ stdout: '', stderr: "error: failed to get domain 'nope'\n", status: 1 });
  });

  it('passes --swap-soft-limit on as virtune\'s swap_soft_limit parameter, scaled like the others', async () => {
    const r = await q('memtune test --hard-limit 1G --swap-soft-limit 2G; memtune test --json');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ hard_limit: 1048576, swap_soft_limit: 2097152 });
  });

  it('passes --min-guarantee through; virtune\'s test driver stores it (libvirt\'s refuses it)', async () => {
    const r = await q('memtune test --min-guarantee 4; memtune test');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('min_guarantee  : 4\n');
  });

  it('never fills --swap-soft-limit from a bare word', async () => {
    const r = await q('memtune test 1 2 3 4 5');
    expect(r).toEqual({ stdout: '', stderr: "error: unexpected data '5'\n", status: 1 });
  });

  it('runs help without opening a connection', async () => {
    const r = await runMain(['-q', '-c', 'nosuch:///x', 'help uri']);
    expect(r).toEqual({ stdout: '  NAME\n    uri - print the hypervisor canonical URI\n\n  SYNOPSIS\n    uri\n\n', stderr: '', status: 0 });
  });

  it('stops before any command when the connection fails', async () => {
    const r = await runMain(['-q', '-c', 'nosuch:///x', 'uri; help uri']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: failed to connect to the hypervisor\nerror: no connection driver available for nosuch:///x\n');
  });

  it('prints usage and versions', async () => {
    const h = await runMain(['-h']);
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('virtune [options]... [<command_string>]');
    expect(h.stdout).toContain('    memtune                        Get or set memory parameters\n');
    expect((await runMain(['-v'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect((await runMain(['--version=long'])).stdout).toMatch(/^Virtune command line tool of virtune \d+\.\d+\.\d+\n/);
  });

  it('prints the version of the library and of the driver', async () => {
    const r = await q('version');
    expect(r.stdout).toMatch(/^Compiled against library: virtune \S+\nUsing library: virtune \S+\nUsing API: TEST \S+\nRunning hypervisor: TEST \d+\.\d+\.\d+\n$/);
  });

  it('prints how long each command took with -t, quiet or not', async () => {
    const r = await runMain(['-t', '-q', '-c', 'test:///default', 'uri; memtune nope']);
    expect(r.stdout).toMatch(/^test:\/\/\/default\n\n\(Time: \d+\.\d{3} ms\)\n\n\n\(Time: \d+\.\d{3} ms\)\n\n$/);
    expect(r.status).toBe(1);
  });

  it('stops a batch at quit, with its status', async () => {
    const r = await q('uri; quit; uri');
    expect(r).toEqual({ stdout: 'test:///default\n', stderr: '', status: 0 });
  });

  it('reconnects with connect, read-only when asked', async () => {
    const r = await q('connect test:///default --readonly; memtune test --hard-limit 1');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'error: Unable to change memory parameters\nerror: operation forbidden: read only access prevents virDomainSetMemoryParameters\n',
    );
  });

  it('explains reclaim is not for the test driver', async () => {
    const r = await q('reclaim test 1G');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'error: Unable to reclaim memory\nerror: this function is not supported by the connection driver: virtuneDomainReclaimMemory\n',
    );
  });
});
