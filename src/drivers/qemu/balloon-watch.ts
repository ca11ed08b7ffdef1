import type { QmpClient } from './qmp-client.js';
import type { BalloonTarget, StatsSample } from './cooperation.js';
import { SIGN_WINDOW_MS } from './cooperation.js';

/** What this process has seen of one guest's balloon: the cooperation verdict's memory. */
export interface BalloonWatch {
  target?: BalloonTarget;
  /** When the stats period was last set through this monitor, ms. */
  statsSinceMs?: number;
  /** Readings oldest first, kept for {@link SIGN_WINDOW_MS} plus one. */
  samples: StatsSample[];
}

// Keyed by the monitor connection: it lives exactly as long as this process follows the QEMU behind it.
const watches = new WeakMap<QmpClient, BalloonWatch>();

/** The watch of the guest behind `qmp`, created empty on first use. */
export function balloonWatch(qmp: QmpClient): BalloonWatch {
  let w = watches.get(qmp);
  if (!w) {
    w = { samples: [] };
    watches.set(qmp, w);
  }
  return w;
}

/** Keeps a reading; drops those older than the sign window (keeping one before it, to measure a change from). */
export function recordSample(watch: BalloonWatch, sample: StatsSample): void {
  watch.samples.push(sample);
  while (watch.samples.length > 2 && sample.atMs - watch.samples[1]!.atMs > SIGN_WINDOW_MS) watch.samples.shift();
}
