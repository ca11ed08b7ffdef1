/** The cooperating test guest: a Debian cloud kernel and a busybox initramfs that loads virtio_balloon. */
export interface TestGuest {
  kernel: string;
  initrd: string;
}

/** What {@link guestXML} can put into the domain. */
export interface GuestDomainOptions {
  name: string;
  /** Left out, the driver makes one. */
  uuid?: string;
  memoryMiB: number;
  /** Start ballooned down to this size. */
  currentMiB?: number;
  /** Write and free this much memory before saying ready. */
  fillMiB?: number;
  /** A `<memtune>` element, as written. */
  memtune?: string;
  /** Boot without the balloon driver. */
  ignoreBalloon?: boolean;
  /** `<memballoon><stats period>`: how often the guest reports its statistics, seconds. */
  statsPeriod?: number;
  /** Fill a tmpfs with `to` MiB at `rate` MiB/s after boot, and keep it (a guest whose usage grows steadily). */
  fillRate?: { rate: number; to: number };
  /** A virtio-mem device of this many MiB (2 MiB blocks, nothing requested) on top of `memoryMiB`. */
  virtioMemMiB?: number;
}

/**
 * Builds the guest (or finds it in the cache, keyed by kernel version) with build.sh. The first run downloads two
 * Debian packages; later runs take milliseconds.
 */
export function buildTestGuest(): TestGuest;
/** A domain that boots the guest. */
export function guestXML(guest: TestGuest, o: GuestDomainOptions): string;
/** What the guest prints on its serial port once the balloon driver is loaded (and any fill is done). */
export const GUEST_READY: string;
/** The guest's latest `memtotal=` and `oom_kill=` report in a serial log's text (it prints one when they change). */
export function guestReport(serial: string): { memTotalKiB: number; oomKills: number } | undefined;
/** The fill workload's end: MiB written, centiseconds spent writing and in all. */
export function fillDone(serial: string): { mib: number; busyCs: number; elapsedCs: number } | undefined;
