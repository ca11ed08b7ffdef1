import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { balloonWatch } from './balloon-watch.js';
import { BALLOON_ID } from './command-line.js';
import type { QmpClient } from './qmp-client.js';
import { qmpBigInt, type QmpObject } from './qmp-json.js';

/** libvirt's error for a live memory change on a domain without a usable balloon. */
export function noBalloonError(): VirError {
  return new VirError(
    ErrorCode.OPERATION_INVALID,
    ErrorDomain.QEMU,
    'Unable to change memory of active domain without the balloon device and guest OS balloon driver',
  );
}

/** The balloon's current size (the guest's usable memory) in KiB, from `query-balloon`. */
export async function queryBalloonKiB(qmp: QmpClient): Promise<bigint> {
  const r = (await qmp.execute('query-balloon')) as QmpObject | null;
  const bytes = qmpBigInt(r?.actual);
  if (bytes === undefined) {
    throw new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, 'query-balloon reply was missing return data');
  }
  return bytes >> 10n;
}

/**
 * Asks the guest to bring its memory to `kib` (QEMU's `balloon`, in bytes); returns before the guest acts. The
 * target is remembered, with where the balloon stood, so the cooperation verdict can tell whether it moves.
 */
export async function setBalloonKiB(qmp: QmpClient, kib: bigint): Promise<void> {
  const actualAtSetKiB = await queryBalloonKiB(qmp);
  await qmp.execute('balloon', { value: kib << 10n });
  balloonWatch(qmp).target = { kib: Number(kib), atMs: Date.now(), actualAtSetKiB: Number(actualAtSetKiB) };
}

/** `<memballoon><stats period=N>`: how often the guest reports its memory statistics, seconds (0 = never). */
export async function setBalloonStatsPeriod(qmp: QmpClient, seconds: number): Promise<void> {
  await qmp.execute('qom-set', {
    path: `/machine/peripheral/${BALLOON_ID}`,
    property: 'guest-stats-polling-interval',
    value: seconds,
  });
  balloonWatch(qmp).statsSinceMs = Date.now();
}

/** The balloon size a BALLOON_CHANGE event reports, KiB. */
export function balloonEventKiB(data: QmpObject): bigint | undefined {
  const bytes = qmpBigInt(data.actual);
  return bytes === undefined ? undefined : bytes >> 10n;
}
