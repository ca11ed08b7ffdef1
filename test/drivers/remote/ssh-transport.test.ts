/**
 * The ssh transport for real: a private sshd on 127.0.0.1 (its own keys), a private libvirtd behind it, and the
 * channel libvirt itself uses — `ssh HOST nc -U SOCKET`. virsh over the same URI is the oracle.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../../src/index.js';
import { ErrorCode } from '../../../src/errors.js';
import { TypedParameterType } from '../../../src/typed-params/types.js';
import { skipUnless } from '../../helpers/prereq.js';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../../helpers/private-libvirtd.js';
import { startPrivateSshd, type PrivateSshd } from '../../helpers/private-sshd.js';
import { rejection } from '../../helpers/vir-error.js';
import { assertBuilt, runVirsh, runVirtune } from '../../helpers/spawn-cli.js';

describe.skipIf(skipUnless('root', 'libvirtd', 'sshd', 'virsh'))('remote driver over ssh', () => {
  let daemon: PrivateLibvirtd;
  let sshd: PrivateSshd;
  let uri: string;
  /** The same host through ssh wrappers (libvirt's `command=`), so virsh's ssh uses our known-hosts files too. */
  let viaWrapper: (knownHosts: string) => string;
  beforeAll(async () => {
    [daemon, sshd] = await Promise.all([startPrivateLibvirtd(), startPrivateSshd()]);
    uri = `test+ssh://root@127.0.0.1:${sshd.port}/default?socket=${daemon.socket}&${sshd.uriParams}`;
    viaWrapper = (knownHosts) => {
      const wrapper = join(daemon.dir, `ssh-${knownHosts === sshd.knownHosts ? 'known' : 'unknown'}.sh`);
      writeFileSync(wrapper, `#!/bin/sh\nexec ssh -o UserKnownHostsFile=${knownHosts} "$@"\n`);
      chmodSync(wrapper, 0o755);
      return `test+ssh://root@127.0.0.1:${sshd.port}/default?socket=${daemon.socket}&keyfile=${sshd.keyfile}&command=${wrapper}`;
    };
  }, 60_000);
  afterAll(async () => {
    await sshd?.stop();
    await daemon?.stop();
  });

  it('opens the daemon through ssh and nc, and tunes memory', async () => {
    const conn = await openConnection(uri);
    try {
      expect(conn.getType()).toBe('TEST');
      const dom = await conn.lookupDomainByName('test');
      await dom.setMemoryParameters([{ field: 'hard_limit', type: TypedParameterType.ULLONG, value: 1048576n }]);
      expect((await dom.getMemoryParameters())[0]).toEqual({ field: 'hard_limit', type: TypedParameterType.ULLONG, value: 1048576n });
    } finally {
      await conn.close();
    }
  }, 30_000);

  it('prints what virsh prints over the same ssh URI', async () => {
    assertBuilt();
    const args = ['-q', '-c', viaWrapper(sshd.knownHosts), 'memtune test --hard-limit 2G --soft-limit 1G; memtune test; domstate test'];
    const theirs = await runVirsh(args);
    const ours = await runVirtune(args);
    expect(ours).toEqual(theirs);
    expect(ours.stdout).toContain('hard_limit     : 2097152');
  }, 60_000);

  it("reports ssh's own words when ssh fails (an unknown host key), as virsh does", async () => {
    const bad = viaWrapper('/dev/null');
    const e = await rejection(openConnection(bad));
    expect(e.code).toBe(ErrorCode.SYSTEM_ERROR);
    expect(e.message).toBe('Cannot recv data: Host key verification failed.: Connection reset by peer');
    const theirs = await runVirsh(['-q', '-c', bad, 'uri']);
    const ours = await runVirtune(['-q', '-c', bad, 'uri']);
    expect(ours).toEqual(theirs);
  }, 60_000);
});
