// The cooperating test guest of test/fixtures/guest (a Debian cloud kernel and a busybox initramfs that loads
// virtio_balloon), for the tests and benches that need real guests: build.sh builds or finds it, guestXML describes
// a domain that boots it. Plain JS so the benches run it as it is; the tests take it through
// test/fixtures/guest/guest.ts, with the types of test-guest.d.ts.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BUILD = fileURLToPath(new URL('../../test/fixtures/guest/build.sh', import.meta.url));

/**
 * Builds the guest (or finds it in the cache, keyed by kernel version) with build.sh. The first run downloads two
 * Debian packages (minutes); later runs take milliseconds.
 */
export function buildTestGuest() {
  const out = execFileSync('bash', [BUILD], { encoding: 'utf8', timeout: 15 * 60_000, stdio: ['ignore', 'pipe', 'inherit'] });
  const kernel = /^kernel=(.+)$/m.exec(out)?.[1];
  const initrd = /^initrd=(.+)$/m.exec(out)?.[1];
  if (!kernel || !initrd) throw new Error(`build.sh printed no kernel/initrd:\n${out}`);
  return { kernel, initrd };
}

/** A domain that boots the guest (the options are described in test-guest.d.ts). */
export function guestXML(guest, o) {
  const vmem = o.virtioMemMiB ?? 0;
  const hotplug = vmem
    ? `<memory model='virtio-mem'><target><size unit='MiB'>${vmem}</size><block unit='KiB'>2048</block><requested unit='KiB'>0</requested></target></memory>`
    : '';
  const maxMemory = vmem ? `<maxMemory slots='1' unit='MiB'>${o.memoryMiB + vmem}</maxMemory>` : '';
  const fill =
    (o.fillMiB ? ` virtune.fill=${o.fillMiB}` : '') +
    (o.ignoreBalloon ? ' virtune.noballoon' : '') +
    (o.fillRate ? ` virtune.fillrate=${o.fillRate.rate} virtune.fillto=${o.fillRate.to}` : '');
  const stats = o.statsPeriod === undefined ? '' : `<stats period='${o.statsPeriod}'/>`;
  return `<domain type='qemu'>
  <name>${o.name}</name>
  ${o.uuid === undefined ? '' : `<uuid>${o.uuid}</uuid>`}
  ${maxMemory}<memory unit='MiB'>${o.memoryMiB + vmem}</memory>
  ${o.currentMiB === undefined ? '' : `<currentMemory unit='MiB'>${o.currentMiB}</currentMemory>`}
  ${o.memtune ?? ''}
  <vcpu>1</vcpu>
  <os>
    <type machine='pc'>hvm</type>
    <kernel>${guest.kernel}</kernel>
    <initrd>${guest.initrd}</initrd>
    <cmdline>console=ttyS0 quiet panic=-1${fill}</cmdline>
  </os>
  <devices><memballoon model='virtio'>${stats}</memballoon>${hotplug}</devices>
</domain>`;
}

/** What the guest prints on its serial port once the balloon driver is loaded (and any fill is done). */
export const GUEST_READY = 'virtune-guest: ready';

/** The guest's latest `memtotal=` and `oom_kill=` report in a serial log's text (it prints one when they change). */
export function guestReport(serial) {
  const all = [...serial.matchAll(/virtune-guest: memtotal=(\d+) oom_kill=(\d+)/g)];
  const last = all.at(-1);
  return last ? { memTotalKiB: Number(last[1]), oomKills: Number(last[2]) } : undefined;
}

/** The fill workload's end: MiB written, centiseconds spent writing and in all. */
export function fillDone(serial) {
  const m = /virtune-guest: fill done=(\d+) busy_cs=(\d+) elapsed_cs=(\d+)/.exec(serial);
  return m ? { mib: Number(m[1]), busyCs: Number(m[2]), elapsedCs: Number(m[3]) } : undefined;
}
