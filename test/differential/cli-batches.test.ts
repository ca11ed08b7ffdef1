// Cross-cutting suite (test/differential/): virtune beside libvirt itself, the oracle; not the tests of one src/ file.
/**
 * The same batches through `virsh -q -c test:///default` and `virtune -q -c test:///default`: stdout, stderr and
 * the exit status must be identical, byte for byte. Each batch runs in a fresh connection, so each starts from the
 * test driver's default state (one running domain `test`, id 1).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { skipUnless } from '../helpers/prereq.js';
import { assertBuilt, dominfoCommon, runVirsh, runVirtune, type CliResult } from '../helpers/spawn-cli.js';

const URI = ['-q', '-c', 'test:///default'];
const FIX = 'test/cli/fixtures';

/** Our help minus the options virtune adds (each marked "virtune extension"). */
function withoutExtensions(r: CliResult): CliResult {
  const stdout = r.stdout
    .split('\n')
    .filter((l) => !l.includes('virtune extension'))
    .join('\n')
    .replaceAll(' [--swap-soft-limit <number>]', '')
    .replaceAll(' [--json]', '')
    .replaceAll(' [--verdict]', '');
  return { ...r, stdout };
}

interface Case {
  /** One command string, or argv words when an array. */
  batch: string | readonly string[];
  /** Global options before the batch (default: -q -c test:///default). */
  global?: readonly string[];
  transform?: (r: CliResult) => CliResult;
  /** A difference known and reported but not virtune's CLI to fix: the case is skipped, with the reason in its name. */
  knownGap?: string;
}

const CASES: Record<string, Case> = {
  // memtune: reading and setting
  'memtune reads the defaults': { batch: 'memtune test' },
  'memtune sets then reads': { batch: 'memtune test --hard-limit 1G; memtune test' },
  'memtune units and rounding up': { batch: 'memtune test --hard-limit=1k --soft-limit 1025b --swap-hard-limit 1GB; memtune test' },
  'memtune negative means unlimited': { batch: 'memtune test --hard-limit 5; memtune test --hard-limit -1; memtune test' },
  'memtune negative with garbage is still unlimited': { batch: 'memtune test --hard-limit -5foo --soft-limit 2M; memtune test' },
  'memtune strtoll blanks and plus': { batch: "memtune test --hard-limit ' 5' --soft-limit +7; memtune test" },
  'memtune largest value is unlimited': { batch: 'memtune test --hard-limit 9007199254740991; memtune test' },
  'memtune positional sizes': { batch: 'memtune test 5 6 7; memtune test' },
  'memtune by id and uuid': { batch: 'memtune 1; memtune 6695eb01-f6a4-8304-79aa-97f2502e193f --soft-limit 3; memtune 1' },
  'memtune --config leaves live alone': { batch: 'memtune test --config --hard-limit 7; memtune test --config; memtune test' },
  'memtune equal hard and swap': { batch: 'memtune test --hard-limit 1G --swap-hard-limit 1G; memtune test' },
  'memtune comment ends the command': { batch: 'memtune test # --hard-limit 5' },
  'memtune quoting joins words': { batch: `memtune 'te'"st" --hard-limit "1"G; memtune test` },
  // memtune: failures
  'memtune unknown suffix': { batch: 'memtune test --hard-limit 1x' },
  'memtune not a number': { batch: 'memtune test --hard-limit abc' },
  'memtune empty value': { batch: "memtune test --hard-limit ''" },
  'memtune overflow with suffix': { batch: 'memtune test --hard-limit 9E; memtune test' },
  'memtune overflow in KiB': { batch: 'memtune test --hard-limit 9007199254740992' },
  'memtune overflow of strtoll': { batch: 'memtune test --soft-limit 18446744073709551615' },
  'memtune --current with --live': { batch: 'memtune test --live --current' },
  'memtune --current with --config': { batch: 'memtune test --config --current --hard-limit abc' },
  'memtune --config with --live': { batch: 'memtune test --config --live' },
  'memtune --live on an inactive domain': { batch: 'destroy test; memtune test --live --hard-limit 5; memtune test; memtune test --live' },
  'memtune unknown domain': { batch: 'memtune nope' },
  'memtune unknown domain before a bad value': { batch: 'memtune nope --hard-limit abc' },
  'memtune empty domain': { batch: "memtune ''" },
  'memtune without domain': { batch: 'memtune' },
  'memtune unknown option': { batch: 'memtune test --foo' },
  'memtune option without value': { batch: 'memtune test --hard-limit' },
  'memtune option twice': { batch: 'memtune test --hard-limit 1 --hard-limit 2' },
  'memtune too many words': { batch: 'memtune test 1 2 3 4 5' },
  'memtune hard above swap': { batch: 'memtune test --hard-limit 5 --swap-hard-limit 4; memtune test' },
  'memtune swap below unlimited hard': { batch: 'memtune test --swap-hard-limit 4; memtune test' },
  // schedinfo: libvirt's test driver is the fair scheduler, weight 50 whatever is set; it refuses every flag.
  'schedinfo reads and sets the weight': { batch: 'schedinfo test; schedinfo test --set weight=100; schedinfo 1 weight=7 --weight 3; schedinfo test' },
  'schedinfo numbers as virStrToLong_ui reads them': {
    batch: "schedinfo test --set weight=-1; schedinfo test --set 'weight= +5'; schedinfo test --set weight=4294967296; schedinfo test --set weight=5x",
  },
  'schedinfo on an inactive domain': { batch: 'destroy test; schedinfo test --set weight=9; schedinfo test' },
  'schedinfo flags reach the test driver': {
    batch: 'schedinfo test --live; schedinfo test --config; schedinfo test --current; schedinfo test --live --config; schedinfo test --config --set weight=1',
  },
  'schedinfo options virsh refuses': {
    batch: "schedinfo test --current --live; schedinfo test --cap 4; schedinfo test --set cpu_shares=5; schedinfo test --set =5; schedinfo test --set weight; schedinfo test --set ''; schedinfo test --weight ''",
  },
  'schedinfo unknown or missing domain': { batch: 'schedinfo nope; schedinfo; schedinfo nope --set weight=abc' },
  'schedinfo read-only connection': { batch: 'schedinfo test --set weight=1; schedinfo test', global: ['-q', '-r', '-c', 'test:///default'] },
  'schedinfo, not quiet': { batch: 'schedinfo test; schedinfo test --weight 1', global: ['-c', 'test:///default'] },
  // `connect URI` is read-only only with --readonly; `connect` alone keeps the current connection's mode.
  'connect with and without a URI, from read-only': {
    batch: 'connect; setmem test 1G --config; connect test:///default; setmem test 1G --config; connect --readonly; setmem test 1G --config',
    global: ['-q', '-r', '-c', 'test:///default'],
  },
  'connect alone after connect --readonly': {
    batch: 'connect test:///default --readonly; connect; setmem test 1G --config; connect test:///default; setmem test 1G --config',
  },
  'connect to a URI no driver takes': { batch: 'connect bogus:///x', transform: (r) => ({ ...r, stderr: r.stderr.split('\n')[0]! }) },
  'memtune read-only connection': { batch: 'memtune test --hard-limit 1; memtune test', global: ['-q', '-r', '-c', 'test:///default'] },
  // list, domstate
  'list variants': { batch: 'list; list --all; list --name; list --uuid; list --id; list --all --name --uuid --id' },
  'list after destroy': { batch: 'destroy test; list; list --all; list --inactive --name; list --id --all; list --state-shutoff' },
  'list state filters with and without --all': {
    batch: 'list --state-running; list --persistent; destroy test; list --state-shutoff; list --persistent; list --inactive --state-running; list --all --state-shutoff --name',
  },
  'list sorts running by id, then inactive by name': {
    batch: `define ${FIX}/t3-memtune.xml; define ${FIX}/t2.xml; list --all; start t3; destroy test; start test; list --all; list --all --name; list --id --all; list --inactive`,
  },
  'list conflicting options': { batch: 'list --table --name' },
  'list bool with value': { batch: 'list --all=yes' },
  'domstate and reasons': { batch: 'domstate test; domstate test --reason; destroy test; domstate test --reason' },
  'shutdown and start': { batch: 'shutdown test; domstate test --reason; start test; domstate --reason test; list' },
  'dominfo, running and shut off': {
    batch: 'dominfo test; setmem test 1G; destroy test; setmaxmem test 4G; dominfo 6695eb01-f6a4-8304-79aa-97f2502e193f',
    transform: dominfoCommon,
  },
  'domstate failures': { batch: 'domstate nope; domstate' },
  // lifecycle
  'start an active domain': { batch: 'start test' },
  'destroy --graceful, start --paused': { batch: 'destroy test --graceful; domstate test --reason; start test --paused; domstate test --reason' },
  'a defined domain through its life': {
    batch: `define ${FIX}/t2.xml; start t2; list; memtune t2 --live --hard-limit 1G; memtune t2 --config; memtune t2; shutdown t2; domstate t2 --reason; memtune t2`,
  },
  'transient after undefine': { batch: 'undefine test; list --transient; list --persistent; memtune test --config' },
  'dumpxml flags': { batch: 'dumpxml test --security-info; dumpxml test --migratable; dumpxml test --update-cpu' },
  'start does not take ids': { batch: 'start 1' },
  'destroy twice': { batch: 'destroy test; destroy test' },
  'shutdown an inactive domain': { batch: 'destroy test; shutdown test' },
  'shutdown bad mode': { batch: 'shutdown test --mode acpi,foo' },
  'shutdown empty mode': { batch: "shutdown test --mode ''" },
  // virsh sorts inactive names with strcasecmp: only ASCII letters fold, then UTF-8 bytes (code points) compare.
  'inactive domains sorted by name as strcasecmp does': {
    batch: [1, 2, 3, 4, 5, 6, 7].map((i) => `define ${FIX}/sort-${i}.xml`).join('; ') + '; list --all --name; list --inactive --name',
  },
  // The table escapes what virsh's vshTableSafeEncode escapes (here, under LC_ALL=C, every non-ASCII byte) and
  // pads by the escaped width.
  'a table of non-ASCII names and a backslash before x': {
    batch: [1, 2, 3, 4, 5, 6, 7].map((i) => `define ${FIX}/sort-${i}.xml`).join('; ') + '; list --all; list --all --table',
  },
  'a table of non-ASCII names, not quiet': {
    batch: [3, 5, 6, 7].map((i) => `define ${FIX}/sort-${i}.xml`).join('; ') + '; list --all',
    global: ['-c', 'test:///default'],
  },
  'undefine then list': { batch: 'destroy test; undefine test; list --all' },
  // dommemstat: the test driver's made-up figures, the stats period and virsh's errors
  'dommemstat figures, period and errors': {
    batch:
      'dommemstat test; dommemstat test --period 5; dommemstat test --period -1; dommemstat test --period abc; ' +
      'dommemstat test --period 99999999999; dommemstat test --live --config; dommemstat test --config; ' +
      'dommemstat test --period 3 --live --config; dommemstat test --current --live; setmem test 1000000; dommemstat 1; ' +
      'destroy test; dommemstat test; dommemstat test --period 2 --live; dommemstat test --period 2 --config; dumpxml test',
  },
  'unknown domains everywhere': { batch: 'undefine nope; dumpxml nope; dominfo nope; destroy nope; start nope' },
  // blkiotune: reading, setting, merging, and virsh's and libvirt's errors
  'blkiotune reads the defaults': { batch: 'blkiotune test; blkiotune test --config; blkiotune 1 --live' },
  'blkiotune sets then reads': {
    batch:
      'blkiotune test --weight 500 --device-weights /dev/sda,100,/dev/sdb,200 --device-read-iops-sec /dev/sdb,5 ' +
      '--device-write-iops-sec /dev/sda,6 --device-read-bytes-sec /dev/sdc,1048576 --device-write-bytes-sec /dev/sda,2097152; blkiotune test',
  },
  'blkiotune 0 clears a device value, the device keeps its place': {
    batch: 'blkiotune test --device-weights /a,1,/b,2; blkiotune test --device-weights /a,0; blkiotune test; blkiotune test --device-weights /a,3; blkiotune test',
  },
  'blkiotune --config leaves live alone': { batch: 'blkiotune test --config --weight 700; blkiotune test --config; blkiotune test' },
  'blkiotune positional weight': { batch: 'blkiotune test 300; blkiotune test' },
  'blkiotune weight beyond the schema range': { batch: 'blkiotune test --weight 5000; blkiotune test' },
  'blkiotune bad weights': {
    batch: "blkiotune test --weight 0; blkiotune test --weight -1; blkiotune test --weight abc; blkiotune test --weight 4294967296; blkiotune test --weight ''",
  },
  'blkiotune bad device lists': {
    batch:
      "blkiotune test --device-weights ''; blkiotune test --device-weights /a; blkiotune test --device-weights /a,1,/b; " +
      'blkiotune test --device-weights /a,x,/b,1; blkiotune test --device-weights /a,1x; blkiotune test --device-read-iops-sec /a,4294967296; ' +
      'blkiotune test --device-write-bytes-sec /a,18446744073709551616; blkiotune test --device-weights /a,-1; blkiotune test',
  },
  'blkiotune flags': { batch: 'blkiotune test --live --config; blkiotune test --current --live; blkiotune test --config --live --weight 200' },
  'blkiotune on an inactive domain': { batch: 'destroy test; blkiotune test --live --weight 200; blkiotune test --live; blkiotune test --weight 300; blkiotune test' },
  'blkiotune unknown domain': { batch: 'blkiotune nope; blkiotune nope --weight abc' },
  'blkiotune help': { batch: 'help blkiotune', transform: withoutExtensions },
  // setmem, setmaxmem
  'setmem then beyond max': { batch: 'setmem test 1G; setmem test 100G' },
  'setmem bad sizes': { batch: "setmem test 1x; setmem test -1; setmem test abc; setmem test ''; setmem test 16E" },
  'setmem zero': { batch: 'setmem test 0' },
  'setmem too large for the API': {
    batch:
      'setmem test 15E; setmem test 8E; setmem test 9007199254740991; setmem test 9007199254740993; ' +
      'setmaxmem test 18014398509481983 --config; setmem test 9007199254740990',
  },
  'setmem without size': { batch: 'setmem test' },
  'setmem on an inactive domain': { batch: 'destroy test; setmem test 1G' },
  'setmem --config with --live': { batch: 'setmem test 1M --config --live' },
  'setmaxmem on a running domain': { batch: 'setmaxmem test 1G' },
  'setmaxmem --current with --config': { batch: 'setmaxmem test 1G --config --current' },
  // define and dumpxml: the whole document
  'define missing file and directory': { batch: 'define /nonexistent/file.xml; define /tmp' },
  'define with memtune in the XML': {
    batch: `define ${FIX}/t3-memtune.xml; memtune t3; dumpxml t3`,
  },
  'define then tune then dumpxml': {
    batch: `define ${FIX}/t2.xml; memtune t2 --hard-limit 1G --soft-limit 512M --swap-hard-limit 2G; dumpxml t2; memtune t2 --hard-limit -1; dumpxml --inactive t2`,
  },
  'dumpxml memtune after a live change': {
    batch: 'memtune test --hard-limit 0 --soft-limit 1; dumpxml test; dumpxml --inactive test',
  },
  'define without a clock gets a UTC one': {
    batch: `define ${FIX}/minimal.xml; dumpxml minimal; start minimal; dumpxml minimal; dumpxml --inactive minimal`,
  },
  'define with features, cpu, pm and on_crash': { batch: `define ${FIX}/features-cpu.xml; dumpxml feat` },
  'define with a clock without offset': { batch: `define ${FIX}/clock-timer.xml; dumpxml clk; start clk; dumpxml clk` },
  'define an empty file': { batch: `define ${FIX}/empty.xml; list --all --name` },
  // libvirt's parser refuses bytes that are not UTF-8 (its message differs: virtune's is the library's XML_ERROR).
  'define a file that is not UTF-8': {
    batch: `define ${FIX}/latin1-name.xml; list --all --name`,
    transform: (r) => ({ ...r, stderr: r.stderr.split('\n').filter((l) => l.startsWith('error: Failed')).join('\n') }),
  },
  'define rejects a bad unit': { batch: `define ${FIX}/bad-unit.xml` },
  'define rejects a negative limit': { batch: `define ${FIX}/negative-memtune.xml` },
  // batches and syntax
  'a syntax error runs nothing': { batch: 'uri; foo; uri' },
  'status is the last command': { batch: 'uri; memtune nope' },
  'a failure does not stop the batch': { batch: 'memtune nope; uri' },
  'unexpected data': { batch: 'uri extra' },
  'quit stops a batch': { batch: 'uri; quit; memtune nope' },
  'exit stops a batch, not quiet': { batch: 'uri; exit; uri', global: ['-c', 'test:///default'] },
  'missing double quote': { batch: 'memtune "test' },
  'dangling backslash': { batch: 'memtune test\\' },
  'newlines separate commands': { batch: 'uri\nmemtune test' },
  'a quoted # first word comments the command out': { batch: "uri; '#' memtune nope; \"#x\"\nuri" },
  'an unclosed quote in a comment command ends the batch quietly': { batch: "uri; '#' \"abc; uri; uri" },
  'a dangling backslash in a comment command is still an error': { batch: "uri; '#' \"abc\\" },
  'echo modes and their conflicts': {
    batch: "echo --split a,,b,c d,e; echo --xml \"a'b\" '<x>'; echo --split --err a,b; echo --shell --split a; echo --xml --split a; echo --xml --shell a",
    global: ['-c', 'test:///default'],
  },
  'echo quoting': { batch: `echo a 'b  c' "d\\"e" --shell x '' 'x;y'` },
  'argv words are one command': { batch: ['memtune', 'test', '--hard-limit', '5', ';', 'memtune', 'test'] },
  'argv words, one command': { batch: ['memtune', 'test', '--hard-limit', '5'] },
  'help for commands virtune shares with virsh': { batch: 'help setmem; help setmaxmem; help uri; help define; help echo; help quit; help schedinfo' },
  'help for commands with virtune extensions': {
    batch: 'help memtune; help dominfo; help domstate; help dommemstat',
    transform: withoutExtensions,
  },
  'dumpxml of the default domain, whole': { batch: 'dumpxml test; dumpxml --inactive test' },
  'help for an unknown command': { batch: 'help nosuch' },
  '--help on a command': { batch: 'setmem --help' },
  'not quiet: separator lines and table header': {
    batch: 'memtune test; uri; list; destroy test; start test; memtune nope',
    global: ['-c', 'test:///default'],
  },
  'not quiet: define, undefine, setmem': {
    batch: `define ${FIX}/t2.xml; setmem t2 256M --config; undefine t2; list --all; undefine t2`,
    global: ['-c', 'test:///default'],
  },
  // The help and version texts are virtune's own (documented); what matters is that nothing after them is read.
  'help and version stop reading global options': {
    batch: ['--bogus'],
    global: ['-q', '-h'],
    transform: (r) => ({ ...r, stdout: r.stdout === '' ? '' : 'printed' }),
  },
  'version stops reading global options': {
    batch: ['-x', 'uri'],
    global: ['--version', '-d'],
    transform: (r) => ({ ...r, stdout: r.stdout === '' ? '' : 'printed' }),
  },
  'unknown global option': { batch: 'uri', global: ['-x'] },
  'a value given to a global flag': { batch: 'uri', global: ['--quiet=1', '-c', 'test:///default'] },
  'an ambiguous global option': { batch: 'uri', global: ['--ke', '1', '-c', 'test:///default'] },
  'bundled and abbreviated global options': { batch: 'uri', global: ['-qrctest:///default'] },
  'bad escape character': { batch: 'uri', global: ['-e', 'ab', '-c', 'test:///default'] },
  'good escape character': { batch: 'uri', global: ['-e', '^a', '-q', '-c', 'test:///default'] },
  'debug level checked then ignored': { batch: 'uri', global: ['-d', '9', '-q', '-c', 'test:///default'] },
  'debug level not a number': { batch: 'uri', global: ['-dx', '-c', 'test:///default'] },
  'keepalive values checked': { batch: 'uri', global: ['-k', '-1', '-c', 'test:///default'] },
  'keepalive count checked': { batch: 'uri', global: ['-K', 'x', '-c', 'test:///default'] },
  'global option without its argument': { batch: [], global: ['-c'] },
  'empty command string': { batch: '' },
  'blank command string': { batch: ' ; ' },
};

describe.skipIf(skipUnless('virsh'))('virtune and virsh print the same', () => {
  beforeAll(() => assertBuilt());

  it('has at least 40 batches', () => {
    expect(Object.keys(CASES).length).toBeGreaterThanOrEqual(40);
  });

  const known = Object.entries(CASES).filter(([, c]) => c.knownGap !== undefined);
  it.skip.each(known.map(([name, c]) => [`${name} (known gap: ${c.knownGap})`]))('%s', () => {});

  it.each(Object.entries(CASES).filter(([, c]) => c.knownGap === undefined))('%s', async (_name, c) => {
    const args = [...(c.global ?? URI), ...(typeof c.batch === 'string' ? [c.batch] : c.batch)];
    const [theirs, ours] = await Promise.all([runVirsh(args), runVirtune(args)]);
    const t = c.transform ?? ((r: CliResult) => r);
    expect(t(ours)).toEqual(t(theirs));
  });
});
