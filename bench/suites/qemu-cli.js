// Issue 18 goal 4: `start` of one QEMU domain XML from the command line, spawn → exit, Node's own start included:
// `virtune -c qemu:///embed?root=DIR start NAME` against `virsh start NAME` on libvirt's QEMU driver in a private
// libvirtd the bench starts itself (bench/lib/private-libvirtd.js: its own mount namespace, sockets and state).
// Each side's guest is destroyed after every start, untimed.
//
// The CLI runs under the Node lines users run: the target row under Node 24, a row under Node 22 beside it, both
// the binaries .ci/run leaves in its cache (bench/lib/node-lines.js; a line that is absent is a row with a note,
// never another line in its place). Node 20, this machine's and past its end of life, has its own row: it reads
// and parses the file NODE_EXTRA_CA_CERTS names before any script runs, which 22 and 24 do only when TLS needs it.
//
// In the same rounds, the parts (issue 18 item 3), each against the same libvirtd start, under Node 24: Node's own
// start (`node -e 0`), Node plus the CLI's entry bundle (`virtune --version`), plus the QEMU driver's code and the
// opened root (`virtune domstate`); Node 20's `node -e 0` as the environment sets it and without
// NODE_EXTRA_CA_CERTS; a bare QEMU with the driver's argv from spawn to its greeting, to `qmp_capabilities`
// answered and to `cont` answered, and the cgroup v1 attach of a process to the four hierarchies a domain cgroup
// spans. `floor` adds Node 24's start, the bare QEMU to `cont` and the attach: what any Node CLI that starts this
// QEMU pays before its own work.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bareArgv, readArgvOf, timeBareQemu } from '../lib/bare-qemu.js';
import { onInterrupt } from '../lib/cleanup.js';
import { QEMU_BINARY, tempDir, uniqueName } from '../lib/live-domain.js';
import { removeCgroupWhenEmpty } from '../lib/scratch-cgroup.js';
import { nodeOfLine } from '../lib/node-lines.js';
import { childrenCpuMs, cpuMicroseconds } from '../lib/proc-cpu.js';
import { startPrivateLibvirtd } from '../lib/private-libvirtd.js';
import { joinNotes, makeResult, noteFor } from '../lib/result.js';
import { median } from '../lib/stats.js';

const BIN = fileURLToPath(new URL('../../bin/virtune.js', import.meta.url));
const TIMEOUT_MS = 120_000;

/** The guest both sides start: a TCG pc machine with no disk (as test/drivers/remote/qemu-daemon.test.ts). */
function guestXML(name) {
  return `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><emulator>${QEMU_BINARY}</emulator><memballoon model='virtio'/></devices>
</domain>`;
}

function run1(cmd, args, env = process.env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: TIMEOUT_MS, env });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr || r.stdout).trim()}`);
  return ms;
}

function unavailable() {
  if (process.getuid?.() !== 0) return 'needs root (cgroups, QEMU, libvirtd)';
  for (const tool of ['virsh', 'unshare', QEMU_BINARY]) {
    if (spawnSync('/bin/sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  return null;
}

/**
 * The Node lines the CLI's start is taken under, each its own side: the target row under Node 24, what users run;
 * 22 beside it; this machine's 20 as a labelled extra (its start parses NODE_EXTRA_CA_CERTS's bundle first).
 */
const CLI_LINES = [
  { side: 'node24', major: 24, row: 'qemu.cli-start.vs-libvirtd', target: '<= 0.33' },
  { side: 'node22', major: 22, row: 'qemu.cli-start.vs-libvirtd.node22' },
  { side: 'node20', major: 20, row: 'qemu.cli-start.vs-libvirtd.node20' },
];

export async function run(ctx) {
  const rounds = ctx.quick ? 1 : 7;
  const missing = unavailable() ?? ctx.virtuneMissing;
  if (missing) return [...CLI_LINES.map((line) => row(line, null, null, missing, rounds, null)), cpuRow(null, null, missing, rounds), ...partRows({}, {}, null, rounds, missing)];
  const nodes = Object.fromEntries(CLI_LINES.map(({ side, major }) => [side, nodeOfLine(major)]));
  const root = tempDir('virtune-bench-qemu-cli');
  const name = uniqueName('bench-cli');
  const virtuneURI = `qemu:///embed?root=${root.dir}`;
  const xmlFile = join(root.dir, 'guest.xml');
  writeFileSync(xmlFile, guestXML(name));
  // Untimed bookkeeping (define, destroy, undefine) runs under the bench's own Node.
  const cli = (node, ...args) => run1(node, [BIN, '-c', virtuneURI, ...args]);
  const virtune = (...args) => cli(process.execPath, ...args);
  let daemon;
  let virsh;
  const teardown = async () => {
    for (const f of [() => virtune('destroy', name), () => virtune('undefine', name)]) {
      try {
        f();
      } catch {
        /* not running, or already gone */
      }
    }
    if (virsh) {
      try {
        virsh('destroy', name);
      } catch {
        /* not running */
      }
    }
    await daemon?.stop();
    root.remove();
    bare.remove();
  };
  const forget = onInterrupt(teardown);
  const sideNames = [...CLI_LINES.map((l) => l.side), 'libvirt'];
  const figures = Object.fromEntries([...sideNames, ...PARTS].map((p) => [p, []]));
  const errors = {};
  // CPU (user + system) of each side's last start, and the sums over the counted rounds: 10 ms ticks from /proc.
  const cpuMs = {};
  const cpuTotals = {};
  for (const { side } of CLI_LINES) if (nodes[side].missing) errors[side] = new Error(nodes[side].missing);
  const bare = tempDir('virtune-bench-qemu-cli-bare');
  let argv = null;
  let attachRound = 0;
  let minimalRound = 0;
  const noExtraCA = { ...process.env };
  delete noExtraCA.NODE_EXTRA_CA_CERTS;
  const node24 = nodes.node24.path;
  const node20 = nodes.node20.path;
  // A part under a Node line that is absent fails with the line's reason, as that line's start row does.
  const under = (side, f) =>
    nodes[side].path
      ? f
      : async () => {
          throw new Error(nodes[side].missing);
        };
  const parts = {
    node: under('node24', () => run1(node24, ['-e', '0'])),
    'node.node20': under('node20', () => run1(node20, ['-e', '0'])),
    'node.node20.no-extra-ca': under('node20', () => run1(node20, ['-e', '0'], noExtraCA)),
    'cli-loaded': under('node24', () => run1(node24, [BIN, '--version'])),
    'root-opened': under('node24', () => cli(node24, 'domstate', name)),
    'bare-qemu': async () => {
      if (!argv) throw new Error('the driver started no guest, so there is no argv to repeat');
      return timeBareQemu(argv, { withCont: true });
    },
    'cgroup-attach': async () => attachMs(`${name}-attach-${attachRound++}`),
    'minimal-node': under('node24', async () => {
      if (!argv) throw new Error('the driver started no guest, so there is no argv to repeat');
      return minimalStartMs(node24, argv, bare.dir, `${name}-minimal-${minimalRound++}`);
    }),
  };
  try {
    virtune('define', xmlFile);
    try {
      // The daemon probes QEMU's capabilities before its first start: seconds, too long for a smoke run.
      if (ctx.quick) throw new Error('not measured with --quick (libvirtd probes QEMU for seconds first)');
      daemon = await startPrivateLibvirtd({ qemu: true });
      const uri = daemon.unixURI('qemu:///system');
      virsh = (...args) => run1('virsh', ['-c', uri, ...args]);
      virsh('define', xmlFile);
    } catch (err) {
      errors.libvirt = err;
    }
    const sides = {
      ...Object.fromEntries(
        CLI_LINES.map(({ side }) => [
          side,
          () => {
            const cpu0 = childrenCpuMs();
            const ms = cli(nodes[side].path, 'start', name);
            cpuMs[side] = childrenCpuMs() - cpu0;
            try {
              // The first start tells the bare QEMU its argv, with the embed root moved to its own directory.
              argv ??= bareArgv(readArgvOf(name), root.dir, bare.dir);
            } finally {
              virtune('destroy', name);
            }
            return ms;
          },
        ]),
      ),
      libvirt: () => {
        const cpu0 = childrenCpuMs() + cpuMicroseconds(daemon.pid) / 1000;
        const ms = virsh('start', name);
        cpuMs.libvirt = childrenCpuMs() + cpuMicroseconds(daemon.pid) / 1000 - cpu0;
        virsh('destroy', name);
        return ms;
      },
    };
    // One round more than counted: the daemon probes QEMU's capabilities at its first start, both warm the cache
    // (and Node 22/24 write their compile cache of the CLI's bundle, which every later run reads).
    for (let r = 0; r <= rounds; r++) {
      // The order rotates each round, so each side sees the same machine load.
      for (let k = 0; k < sideNames.length; k++) {
        const side = sideNames[(r + k) % sideNames.length];
        if (errors[side]) continue;
        try {
          const ms = sides[side]();
          if (r > 0) {
            figures[side].push(ms);
            cpuTotals[side] = (cpuTotals[side] ?? 0) + cpuMs[side];
          }
        } catch (err) {
          errors[side] = err;
        }
      }
      for (const part of PARTS) {
        if (errors[part]) continue;
        try {
          const ms = await parts[part]();
          if (r > 0) figures[part].push(ms);
        } catch (err) {
          errors[part] = err;
        }
      }
    }
  } finally {
    forget();
    await teardown();
  }
  const med = (side) => (figures[side].length && !errors[side] ? median(figures[side]) : null);
  const mean = (side) => (figures[side].length && !errors[side] ? cpuTotals[side] / figures[side].length : null);
  return [
    ...CLI_LINES.map((line) =>
      row(line, med(line.side), med('libvirt'), joinNotes(noteFor('virtune', errors[line.side]), noteFor('reference', errors.libvirt)), rounds, nodes[line.side].version),
    ),
    cpuRow(mean('node24'), mean('libvirt'), joinNotes(noteFor('virtune', errors.node24), noteFor('reference', errors.libvirt)), rounds),
    ...partRows(figures, errors, med('libvirt'), rounds),
  ];
}

/**
 * The goal row's starts in CPU time, steadier than wall time on a shared host: the CLI process under Node 24
 * against virsh plus the private libvirtd (all its threads) over the same start. QEMU's own CPU is on neither
 * side (each side's QEMU outlives the measured process).
 */
function cpuRow(virtune, reference, note, rounds) {
  return makeResult({
    name: 'qemu.cli-start.cpu',
    virtune,
    reference,
    unit: 'ms cpu',
    against: 'virsh start plus the private libvirtd\'s CPU over the same start',
    detail: `user+sys CPU per start (children's times from /proc/self/stat and the daemon's /proc/PID/stat, 10 ms ticks, averaged over ${rounds} rounds)`,
    note,
  });
}

/** The parts measured in the same rounds; `bare-qemu` gives three figures per round, one per monitor step. */
const PARTS = ['node', 'node.node20', 'node.node20.no-extra-ca', 'cli-loaded', 'root-opened', 'bare-qemu', 'cgroup-attach', 'minimal-node'];

const V1 = '/sys/fs/cgroup';
/** The hierarchies a QEMU domain's cgroup spans here (the driver's DOMAIN_CONTROLLERS on cgroup v1). */
const ATTACH_HIERARCHIES = ['memory', 'cpu', 'cpuacct', 'blkio'];
/** A new cgroup named `name` in each of {@link ATTACH_HIERARCHIES}, under `machine/` where it exists, as the driver's. */
function domainCgroupDirs(name) {
  return ATTACH_HIERARCHIES.map((h) => (existsSync(`${V1}/${h}/machine`) ? `${V1}/${h}/machine/${name}` : `${V1}/${h}/${name}`));
}

/** The driver's launcher, cut to the attach: joins each cgroup given, then execs. */
const ATTACH = 'for d; do echo $$ > "$d/cgroup.procs" || exit 126; done; exec /bin/true';

/**
 * The cgroup v1 attach the driver's launcher (and libvirt's child) does before exec, in ms: /bin/sh joining one
 * new cgroup in each of {@link ATTACH_HIERARCHIES}, less the same /bin/sh that joins none.
 */
async function attachMs(name) {
  const dirs = domainCgroupDirs(name);
  const made = [];
  const forget = onInterrupt(() => Promise.all(made.map((d) => removeCgroupWhenEmpty(d))));
  try {
    for (const d of dirs) {
      mkdirSync(d);
      made.push(d);
    }
    const withAttach = run1('/bin/sh', ['-c', ATTACH, 'sh', ...dirs]);
    const without = run1('/bin/sh', ['-c', ATTACH, 'sh']);
    return withAttach - without;
  } finally {
    forget();
    for (const d of made) await removeCgroupWhenEmpty(d);
  }
}

const MINIMAL = fileURLToPath(new URL('../children/minimal-qemu-start.js', import.meta.url));

/**
 * bench/children/minimal-qemu-start.js under Node 24, spawn → exit, in ms: the least a Node program does to start
 * this guest (cgroups made and joined, QEMU spawned, monitor greeted, `cont`, a status file). Its QEMU is killed
 * and its cgroups removed afterwards, untimed.
 */
async function minimalStartMs(node, argv, dir, name) {
  const cgroupDirs = domainCgroupDirs(name);
  const planFile = join(dir, 'minimal-plan.json');
  const status = join(dir, 'minimal-status');
  rmSync(status, { force: true });
  writeFileSync(planFile, JSON.stringify({ argv, cgroupDirs, status }));
  const stop = async () => {
    // The program names its QEMU as soon as it has spawned it: killed here whether the run succeeded or not.
    if (existsSync(status)) {
      try {
        process.kill(Number(readFileSync(status, 'utf8')), 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    for (const d of cgroupDirs) if (existsSync(d)) await removeCgroupWhenEmpty(d);
  };
  const forget = onInterrupt(stop);
  try {
    return run1(node, [MINIMAL, planFile]);
  } finally {
    forget();
    // The QEMU is not our child (the program that spawned it has exited): gone once its cgroups can be removed.
    await stop();
  }
}

/** The part rows; `missing` (the suite cannot run at all) stands for every part's error. */
function partRows(figures, errors, libvirt, rounds, missing = null) {
  const med = (list) => (list?.length ? median(list) : null);
  const err = (part) => errors[part] ?? (missing ? new Error(missing) : undefined);
  const of = (part, pick = (x) => x) => (err(part) ? null : med(figures[part].map(pick)));
  const bareStep = (step) => of('bare-qemu', (p) => p[step]);
  const floorErr = err('node') ?? err('bare-qemu') ?? err('cgroup-attach');
  const floor = floorErr
    ? null
    : med(figures.node.map((n, i) => n + (figures['bare-qemu'][i]?.cont ?? NaN) + (figures['cgroup-attach'][i] ?? NaN)).filter(Number.isFinite));
  const part = (name, virtune, what, e) =>
    makeResult({
      name: `qemu.cli-start.${name}`,
      virtune,
      reference: libvirt,
      unit: 'ms',
      against: 'the same libvirtd start (ratio: the share of libvirtd\'s time)',
      detail: `${what}; median of ${rounds} rounds, measured between the starts`,
      note: noteFor('virtune', e),
    });
  return [
    part('node', of('node'), '`node -e 0` under Node 24, the environment as the CLI gets it', err('node')),
    part('node.node20', of('node.node20'), '`node -e 0` under Node 20, the environment as the CLI gets it', err('node.node20')),
    part('node.node20.no-extra-ca', of('node.node20.no-extra-ca'), '`node -e 0` under Node 20 without NODE_EXTRA_CA_CERTS (Node 20 reads and parses that CA file before any script; 22 and 24 only when TLS needs it)', err('node.node20.no-extra-ca')),
    part('cli-loaded', of('cli-loaded'), '`virtune --version` under Node 24: Node and the CLI\'s entry bundle', err('cli-loaded')),
    part('root-opened', of('root-opened'), '`virtune -c qemu:///embed?root=DIR domstate NAME` under Node 24: also the QEMU driver\'s code, the opened root and a lookup', err('root-opened')),
    part('bare-qemu.greeting', bareStep('greeting'), 'bare qemu-system-x86_64 with the driver\'s argv, spawn → QMP greeting', err('bare-qemu')),
    part('bare-qemu.capabilities', bareStep('capabilities'), 'the same, spawn → `qmp_capabilities` answered', err('bare-qemu')),
    part('bare-qemu.cont', bareStep('cont'), 'the same, spawn → `cont` answered (the guest runs)', err('bare-qemu')),
    part('cgroup-attach', of('cgroup-attach'), `/bin/sh joining a new cgroup in each of ${ATTACH_HIERARCHIES.join(', ')} (as the driver's launcher), less /bin/sh joining none`, err('cgroup-attach')),
    part('minimal-node', of('minimal-node'), 'a minimal Node program starting the same guest (bench/children/minimal-qemu-start.js under Node 24: makes and joins the cgroups, spawns QEMU, greets its monitor, `cont`, writes a status file, exits), spawn → exit: the floor of any Node command line that starts it', err('minimal-node')),
    part('floor', floor, 'node (24) + bare-qemu.cont + cgroup-attach, per round: Node\'s start and QEMU\'s own, before any work of the CLI', floorErr),
  ];
}

/** The row of one Node line's `virtune start` against `virsh start`. */
function row({ major, row: name, target = null }, virtune, reference, note, rounds, version) {
  const extra =
    major === 24
      ? 'the Node line users run (the goal\'s row)'
      : major === 22
        ? 'Node 22, the other line users run'
        : 'Node 20, this machine\'s (past its end of life): its start reads and parses the NODE_EXTRA_CA_CERTS bundle this environment sets before any script runs (see qemu.cli-start.node.node20*)';
  return makeResult({
    name,
    virtune,
    reference,
    unit: 'ms',
    target,
    against: "virsh -c 'qemu+unix:///system?socket=…' start, libvirt 9.0's QEMU driver in a private libvirtd (started by the bench)",
    detail: `\`node${major} bin/virtune.js -c qemu:///embed?root=DIR start NAME\` under ${version ?? `Node ${major}`}, ${extra}; Node's start included, vs \`virsh start NAME\`, the same TCG pc guest, spawn→exit, median of ${rounds} rounds (one more first, not counted)`,
    note,
  });
}
