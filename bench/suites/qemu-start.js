// Item 7: starting a QEMU guest through the driver until QMP is ready, against bare qemu-system-x86_64 run with
// the very argv the driver used, timed from spawn to the answer to qmp_capabilities.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { interleave, median, secondsSince, timeIt } from '../lib/stats.js';
import { joinNotes, makeResult, noteFor } from '../lib/result.js';
import { onInterrupt } from '../lib/cleanup.js';
import { QEMU_BINARY, qemuDomainXML, tempDir, uniqueName } from '../lib/live-domain.js';
import { qmpSocketFromArgv, waitQmpReady } from '../lib/qmp-ready.js';

const START_DEADLINE_MS = 30_000;

export async function run(ctx) {
  // QEMU's own start time varies by tens of ms on a shared machine: more rounds than elsewhere.
  const rounds = ctx.quick ? 1 : 9;
  const missing = qemuUnavailable();
  if (missing || !ctx.virtune) return [row(null, null, joinNotes(ctx.virtuneMissing, missing), rounds)];
  const root = tempDir('virtune-bench-qemu');
  const bare = tempDir('virtune-bench-qemu-bare');
  const name = uniqueName('bench');
  const conn = await ctx.virtune.openConnection(`qemu:///embed?root=${root.dir}`);
  let dom;
  let argv = null;
  const teardown = async () => {
    if (dom) {
      await dom.destroy().catch(() => {});
      await dom.undefine().catch(() => {});
    }
    await conn.close();
  };
  const forget = onInterrupt(teardown);
  try {
    // One extra round first, not counted: the driver's first start loads modules, and both sides warm the page cache.
    const figures = await interleave(rounds + 1, {
      a: async () => {
        dom ??= await conn.defineDomainXML(qemuDomainXML(name), 0);
        const seconds = await timeIt(() => dom.create());
        try {
          // The first start tells us the argv the bare side repeats, with the embed root moved to its own dir.
          argv ??= bareArgv(readArgvOf(name), root.dir, bare.dir);
        } finally {
          await dom.destroy();
        }
        return seconds * 1000;
      },
      // Until the driver has started a guest, the bare side runs REFERENCE §5's no-OS command line instead.
      b: () => bareStartMs(argv ?? fallbackArgv(bare.dir)),
    });
    const fallback = argv ? undefined : `reference: the driver started no guest, so the bare side ran ${fallbackArgv('DIR').join(' ')}`;
    const counted = (list) => (list.length > 1 ? median(list.slice(1)) : null);
    return [row(counted(figures.a), counted(figures.b), joinNotes(noteFor('virtune', figures.errorA), noteFor('reference', figures.errorB), fallback), rounds, argv)];
  } catch (err) {
    return [row(null, null, noteFor('virtune', err), rounds)];
  } finally {
    forget();
    await teardown();
    root.remove();
    bare.remove();
  }
}

function row(virtune, reference, note, rounds, argv) {
  return makeResult({
    name: 'qemu.start-to-qmp',
    virtune,
    reference,
    unit: 'ms',
    target: '<= 1.3',
    against: 'bare qemu-system-x86_64 with the same argv, spawn → qmp_capabilities answered',
    detail: `no-OS guest, dom.create() until it resolves, median of ${rounds} rounds after a warm-up round${argv ? `; argv: ${argv.join(' ')}` : ''}`,
    note,
  });
}

function qemuUnavailable() {
  if (process.getuid?.() !== 0) return 'needs root (the driver puts QEMU in a memory cgroup)';
  if (!existsSync(QEMU_BINARY)) return `${QEMU_BINARY} is not installed`;
  return null;
}

/** The argv of the running QEMU named `guest=NAME` (read from /proc; the name is unique to this run). */
function readArgvOf(name) {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let argv;
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
    } catch {
      continue;
    }
    if (argv.some((a) => a === `guest=${name}` || a.startsWith(`guest=${name},`))) return argv;
  }
  throw new Error(`no QEMU process named guest=${name} is running after dom.create()`);
}

/**
 * The same argv with every path under the driver's root moved under `bareDir` (its directories recreated there),
 * minus -daemonize, so the bare QEMU is our child and is timed to the same point.
 */
function bareArgv(argv, rootDir, bareDir) {
  mirrorDirs(rootDir, bareDir);
  return argv.filter((a) => a !== '-daemonize').map((a) => a.split(rootDir).join(bareDir));
}

function mirrorDirs(from, to) {
  for (const entry of readdirSync(from)) {
    if (!statSync(join(from, entry)).isDirectory()) continue;
    mkdirSync(join(to, entry), { recursive: true });
    mirrorDirs(join(from, entry), join(to, entry));
  }
}

/** REFERENCE §5's no-OS guest with a balloon and a QMP socket in `dir`. */
function fallbackArgv(dir) {
  return [QEMU_BINARY, '-M', 'microvm', '-accel', 'tcg,tb-size=32', '-m', '256M', '-nodefaults', '-nographic', '-display', 'none',
    '-device', 'virtio-balloon-device', '-qmp', `unix:${dir}/qmp.sock,server=on,wait=off`];
}

/** Spawn → QMP ready, in ms, for one bare QEMU; it is killed afterwards. */
async function bareStartMs(argv) {
  const socket = qmpSocketFromArgv(argv);
  if (!socket) throw new Error(`no QMP socket in the driver's argv: ${argv.join(' ')}`);
  rmSync(socket, { force: true });
  const start = process.hrtime.bigint();
  const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const forget = onInterrupt(() => child.kill('SIGKILL'));
  try {
    await Promise.race([
      waitQmpReady(socket, Date.now() + START_DEADLINE_MS),
      exited.then((code) => Promise.reject(new Error(`bare QEMU exited (${code}) before QMP was ready`))),
    ]);
    return secondsSince(start) * 1000;
  } finally {
    forget();
    child.kill('SIGKILL');
    await exited;
  }
}
