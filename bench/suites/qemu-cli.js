// Issue 18 goal 4: `start` of one QEMU domain XML from the command line, spawn → exit, Node's own start included:
// `virtune -c qemu:///embed?root=DIR start NAME` against `virsh start NAME` on libvirt's QEMU driver in a private
// libvirtd the bench starts itself (bench/lib/private-libvirtd.js: its own mount namespace, sockets and state).
// Each side's guest is destroyed after every start, untimed.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onInterrupt } from '../lib/cleanup.js';
import { QEMU_BINARY, tempDir, uniqueName } from '../lib/live-domain.js';
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

function run1(cmd, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: TIMEOUT_MS });
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

export async function run(ctx) {
  const rounds = ctx.quick ? 1 : 7;
  const missing = unavailable() ?? ctx.virtuneMissing;
  if (missing) return [row(null, null, missing, rounds)];
  const root = tempDir('virtune-bench-qemu-cli');
  const name = uniqueName('bench-cli');
  const virtuneURI = `qemu:///embed?root=${root.dir}`;
  const xmlFile = join(root.dir, 'guest.xml');
  writeFileSync(xmlFile, guestXML(name));
  const virtune = (...args) => run1(process.execPath, [BIN, '-c', virtuneURI, ...args]);
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
  };
  const forget = onInterrupt(teardown);
  const figures = { virtune: [], libvirt: [] };
  const errors = {};
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
      virtune: () => {
        const ms = virtune('start', name);
        virtune('destroy', name);
        return ms;
      },
      libvirt: () => {
        const ms = virsh('start', name);
        virsh('destroy', name);
        return ms;
      },
    };
    // One round more than counted: the daemon probes QEMU's capabilities at its first start, both warm the cache.
    for (let r = 0; r <= rounds; r++) {
      for (const side of r % 2 === 0 ? ['virtune', 'libvirt'] : ['libvirt', 'virtune']) {
        if (errors[side]) continue;
        try {
          const ms = sides[side]();
          if (r > 0) figures[side].push(ms);
        } catch (err) {
          errors[side] = err;
        }
      }
    }
  } finally {
    forget();
    await teardown();
  }
  const med = (side) => (figures[side].length && !errors[side] ? median(figures[side]) : null);
  return [row(med('virtune'), med('libvirt'), joinNotes(noteFor('virtune', errors.virtune), noteFor('reference', errors.libvirt)), rounds)];
}

function row(virtune, reference, note, rounds) {
  return makeResult({
    name: 'qemu.cli-start.vs-libvirtd',
    virtune,
    reference,
    unit: 'ms',
    target: '<= 0.33',
    against: "virsh -c 'qemu+unix:///system?socket=…' start, libvirt 9.0's QEMU driver in a private libvirtd (started by the bench)",
    detail: `\`virtune -c qemu:///embed?root=DIR start NAME\` (Node's start included) vs \`virsh start NAME\`, the same TCG pc guest, spawn→exit, median of ${rounds} rounds (one more first, not counted)`,
    note,
  });
}
