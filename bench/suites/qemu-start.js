// Item 7: starting a QEMU guest through the driver until QMP is ready, against bare qemu-system-x86_64 run with
// the very argv the driver used, timed from spawn to the answer to qmp_capabilities. A second row adds to the
// bare side what libvirt also does before exec: a new memory cgroup, joined by the process that becomes QEMU.
import { existsSync, mkdirSync } from 'node:fs';
import { interleave, median, timeIt } from '../lib/stats.js';
import { joinNotes, makeResult, noteFor } from '../lib/result.js';
import { onInterrupt } from '../lib/cleanup.js';
import { QEMU_BINARY, domainTeardown, qemuDomainXML, tempDir, uniqueName } from '../lib/live-domain.js';
import { bareArgv, readArgvOf, timeBareQemu } from '../lib/bare-qemu.js';
import { removeCgroup, removeCgroupWhenEmpty } from '../lib/scratch-cgroup.js';

const V1_MEMORY = '/sys/fs/cgroup/memory';
/** Joins the cgroup `$1` (what the driver's launcher and libvirt's child do before exec), then becomes QEMU. */
const ATTACH_LAUNCHER = 'echo $$ > "$1/cgroup.procs" || exit 126; shift; exec "$@"';

export async function run(ctx) {
  // QEMU's own start time varies by tens of ms on a shared machine: more rounds than elsewhere.
  const rounds = ctx.quick ? 1 : 9;
  const missing = qemuUnavailable();
  if (missing || !ctx.virtune) return rows(null, null, null, joinNotes(ctx.virtuneMissing, missing), rounds);
  const root = tempDir('virtune-bench-qemu');
  const bare = tempDir('virtune-bench-qemu-bare');
  const name = uniqueName('bench');
  const cgroupParent = existsSync(`${V1_MEMORY}/machine`) ? `${V1_MEMORY}/machine` : V1_MEMORY;
  const attachPrefix = `${cgroupParent}/${uniqueName('virtune-bench-attach')}`;
  let attachRound = 0;
  const conn = await ctx.virtune.openConnection(`qemu:///embed?root=${root.dir}`);
  let dom;
  let argv = null;
  const teardown = domainTeardown(conn, () => dom);
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
      c: () => bareStartMs(argv ?? fallbackArgv(bare.dir), `${attachPrefix}-${attachRound++}`),
    });
    const fallback = argv ? undefined : `reference: the driver started no guest, so the bare side ran ${fallbackArgv('DIR').join(' ')}`;
    const counted = (list) => (list.length > 1 ? median(list.slice(1)) : null);
    const note = joinNotes(noteFor('virtune', figures.errors.a), noteFor('reference', figures.errors.b), noteFor('reference with attach', figures.errors.c), fallback);
    return rows(counted(figures.a), counted(figures.b), counted(figures.c), note, rounds, argv);
  } catch (err) {
    return rows(null, null, null, noteFor('virtune', err), rounds);
  } finally {
    forget();
    await teardown();
    root.remove();
    bare.remove();
  }
}

function rows(virtune, bare, attached, note, rounds, argv) {
  const detail = `no-OS guest, dom.create() until it resolves, median of ${rounds} rounds after a warm-up round${argv ? `; argv: ${argv.join(' ')}` : ''}`;
  return [
    makeResult({
      name: 'qemu.start-to-qmp',
      virtune,
      reference: bare,
      unit: 'ms',
      target: '<= 1.3',
      against: 'bare qemu-system-x86_64 with the same argv, spawn → qmp_capabilities answered',
      detail,
      note,
    }),
    makeResult({
      name: 'qemu.start-to-qmp.vs-attach',
      virtune,
      reference: attached,
      unit: 'ms',
      against: 'the same bare QEMU, started by /bin/sh after mkdir of a new cgroup v1 memory cgroup and `echo $$ > cgroup.procs` (libvirt and the driver both pay this attach), mkdir → qmp_capabilities answered',
      detail,
      note,
    }),
  ];
}

function qemuUnavailable() {
  if (process.getuid?.() !== 0) return 'needs root (the driver puts QEMU in a memory cgroup)';
  if (!existsSync(QEMU_BINARY)) return `${QEMU_BINARY} is not installed`;
  return null;
}

/** REFERENCE §5's no-OS guest with a balloon and a QMP socket in `dir`. */
function fallbackArgv(dir) {
  return [QEMU_BINARY, '-M', 'microvm', '-accel', 'tcg,tb-size=32', '-m', '256M', '-nodefaults', '-nographic', '-display', 'none',
    '-device', 'virtio-balloon-device', '-qmp', `unix:${dir}/qmp.sock,server=on,wait=off`];
}

/**
 * Spawn → QMP ready, in ms, for one bare QEMU; it is killed afterwards. With `cgroupDir`, the timing starts at the
 * mkdir of that cgroup and QEMU is launched through {@link ATTACH_LAUNCHER} into it; the cgroup is removed after.
 */
async function bareStartMs(argv, cgroupDir) {
  const start = process.hrtime.bigint();
  if (cgroupDir) mkdirSync(cgroupDir);
  const forget = cgroupDir ? onInterrupt(() => removeCgroup(cgroupDir)) : () => {};
  try {
    const launch = cgroupDir ? ['/bin/sh', '-c', ATTACH_LAUNCHER, 'sh', cgroupDir, ...argv] : argv;
    return (await timeBareQemu(argv, { launch, start })).capabilities;
  } finally {
    forget();
    if (cgroupDir) await removeCgroupWhenEmpty(cgroupDir);
  }
}
