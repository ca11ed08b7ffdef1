// The cooperating test guest of test/fixtures/guest (a Debian cloud kernel and a busybox initramfs), for benches
// that need real guests: build.sh builds or finds it, guestXML describes a domain that boots it.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BUILD = fileURLToPath(new URL('../../test/fixtures/guest/build.sh', import.meta.url));

/** `{ kernel, initrd }`, building the guest on first use (minutes), from the cache afterwards (milliseconds). */
export function buildTestGuest() {
  const out = execFileSync('bash', [BUILD], { encoding: 'utf8', timeout: 15 * 60_000, stdio: ['ignore', 'pipe', 'inherit'] });
  return { kernel: /^kernel=(.+)$/m.exec(out)[1], initrd: /^initrd=(.+)$/m.exec(out)[1] };
}

/**
 * A domain booting the guest: `memoryMiB` of boot memory, optionally `virtioMemMiB` more through virtio-mem; the
 * guest first writes and frees `fillMiB`, or fills a tmpfs at `fillRate` ({ rate MiB/s, to MiB }), or boots
 * without its balloon driver (`ignoreBalloon`); `statsPeriod` sets the balloon's stats period.
 */
export function guestXML(guest, o) {
  const args = [
    o.fillMiB ? `virtune.fill=${o.fillMiB}` : '',
    o.ignoreBalloon ? 'virtune.noballoon' : '',
    o.fillRate ? `virtune.fillrate=${o.fillRate.rate} virtune.fillto=${o.fillRate.to}` : '',
  ].join(' ');
  const vmem = o.virtioMemMiB ?? 0;
  return `<domain type='qemu'>
  <name>${o.name}</name>
  ${vmem ? `<maxMemory slots='1' unit='MiB'>${o.memoryMiB + vmem}</maxMemory>` : ''}
  <memory unit='MiB'>${o.memoryMiB + vmem}</memory>
  <vcpu>1</vcpu>
  <os>
    <type machine='pc'>hvm</type>
    <kernel>${guest.kernel}</kernel>
    <initrd>${guest.initrd}</initrd>
    <cmdline>console=ttyS0 quiet panic=-1 ${args}</cmdline>
  </os>
  <devices>
    <memballoon model='virtio'>${o.statsPeriod ? `<stats period='${o.statsPeriod}'/>` : ''}</memballoon>
    ${vmem ? `<memory model='virtio-mem'><target><size unit='MiB'>${vmem}</size><block unit='KiB'>2048</block><requested unit='KiB'>0</requested></target></memory>` : ''}
  </devices>
</domain>`;
}

/** The guest's latest serial report: MemTotal (KiB) and the kernel's OOM-kill count. */
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

export const GUEST_READY = 'virtune-guest: ready';
