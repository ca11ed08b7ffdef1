/**
 * The CLI over the remote driver: the same batches through `virsh -c URI` and `virtune -c URI`, where URI is a
 * private libvirtd's test driver reached over its unix socket (and once over TCP). stdout, stderr and the exit
 * status must be identical. The two run one after the other, never together: the daemon keeps test:///default's
 * state while any connection to it is open, so each batch starts from the default state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipUnless } from '../helpers/prereq.js';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../helpers/private-libvirtd.js';
import { assertBuilt, dominfoCommon, runVirsh, runVirtune, type CliResult } from '../helpers/spawn-cli.js';

const FIX = 'test/cli/fixtures';

interface Case {
  batch: string;
  quiet?: boolean;
  tcp?: boolean;
  transform?: (r: CliResult) => CliResult;
}

const BATCHES: Record<string, Case> = {
  'memtune reads the defaults': { batch: 'memtune test' },
  'memtune sets then reads': { batch: 'memtune test --hard-limit 1G; memtune test' },
  'memtune units and rounding up': { batch: 'memtune test --hard-limit=1k --soft-limit 1025b --swap-hard-limit 1GB; memtune test' },
  'memtune negative means unlimited': { batch: 'memtune test --hard-limit 5; memtune test --hard-limit -1; memtune test' },
  'memtune by id and uuid': { batch: 'memtune 1; memtune 6695eb01-f6a4-8304-79aa-97f2502e193f --soft-limit 3; memtune 1' },
  'memtune --config leaves live alone': { batch: 'memtune test --config --hard-limit 7; memtune test --config; memtune test' },
  'memtune overflow with suffix': { batch: 'memtune test --hard-limit 9E; memtune test' },
  'memtune --config with --live': { batch: 'memtune test --config --live' },
  'memtune --live on an inactive domain': { batch: 'destroy test; memtune test --live --hard-limit 5; memtune test; memtune test --live' },
  'memtune unknown domain': { batch: 'memtune nope' },
  'memtune hard above swap': { batch: 'memtune test --hard-limit 5 --swap-hard-limit 4; memtune test' },
  'memtune over TCP': { batch: 'memtune test --hard-limit 2G --soft-limit 1G; memtune test', tcp: true },
  'list variants': { batch: 'list; list --all; list --name; list --uuid; list --id' },
  'list after destroy': { batch: 'destroy test; list; list --all; list --inactive --name' },
  'domstate and reasons': { batch: 'domstate test; domstate test --reason; destroy test; domstate test --reason' },
  'shutdown and start': { batch: 'shutdown test; domstate test; start test; list' },
  'dominfo, running and shut off': {
    batch: 'dominfo test; setmem test 1G; destroy test; setmaxmem test 4G; dominfo test',
    transform: dominfoCommon,
  },
  'a defined domain through its life': {
    batch: `define ${FIX}/t2.xml; start t2; list; memtune t2 --live --hard-limit 1G; memtune t2 --config; memtune t2; destroy t2; memtune t2; undefine t2; list --all`,
  },
  'define then tune then dumpxml': {
    batch: `define ${FIX}/t2.xml; memtune t2 --hard-limit 1G --soft-limit 512M --swap-hard-limit 2G; dumpxml t2`,
  },
  'dumpxml of the default domain': { batch: 'dumpxml test; dumpxml --inactive test' },
  'unknown domains everywhere': { batch: 'undefine nope; dumpxml nope; dominfo nope; destroy nope; start nope' },
  'setmem then beyond max': { batch: 'setmem test 1G; setmem test 100G' },
  'setmem on an inactive domain': { batch: 'destroy test; setmem test 1G' },
  'setmaxmem on a running domain': { batch: 'setmaxmem test 1G' },
  'start an active domain, destroy twice': { batch: 'start test; destroy test; destroy test' },
  'not quiet: separator lines and table header': { batch: 'memtune test; list; destroy test; start test; memtune nope', quiet: false },
  'uri': { batch: 'uri' },
  'schedinfo through the daemon': {
    batch: 'schedinfo test; schedinfo test --set weight=3; schedinfo test --live; schedinfo test --set cpu_shares=1; schedinfo nope',
  },
  'schedinfo over TCP': { batch: 'schedinfo 1 weight=9 --weight 4', tcp: true },
  'dommemstat and its period': { batch: 'dommemstat test; dommemstat test --period 5 --live; dommemstat nope' },
};

describe.skipIf(skipUnless('root', 'libvirtd', 'virsh'))('virtune and virsh print the same through a libvirtd', () => {
  let daemon: PrivateLibvirtd;
  beforeAll(async () => {
    assertBuilt();
    daemon = await startPrivateLibvirtd({ tcp: true });
  }, 30_000);
  afterAll(async () => daemon?.stop());

  it.each(Object.entries(BATCHES))('%s', async (_name, c) => {
    const uri = c.tcp ? daemon.tcpURI() : daemon.unixURI();
    const args = [...(c.quiet === false ? [] : ['-q']), '-c', uri, c.batch];
    const theirs = await runVirsh(args);
    const ours = await runVirtune(args);
    const t = c.transform ?? ((r: CliResult) => r);
    expect(t(ours)).toEqual(t(theirs));
  });
});
