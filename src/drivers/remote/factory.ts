import type { DriverFactory } from '../../driver.js';
import { connectRemote } from './connect.js';
import { RemoteDriver } from './remote-driver.js';
import { remoteTarget } from './target.js';

/**
 * Deadlines a URI may set: `connect_timeout` (ms to reach the daemon and open, default 10 000), `call_timeout`
 * (ms per call, default 30 000), `keepalive_interval` (s, default 5; 0 = off) and `keepalive_count` (default 5).
 * They are virtune's, not libvirt's, and are not sent to the daemon.
 */
function numberParam(params: ReadonlyMap<string, string>, name: string, fallback: number): number {
  const v = params.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** The remote driver: any URI with a transport (`+unix`, `+tcp`, `+ssh`) or a host goes to a libvirt daemon. */
export const remoteDriverFactory: DriverFactory = {
  schemes: [],
  async open(uri, options) {
    const target = remoteTarget(uri);
    const p = uri.params;
    const opened = await connectRemote(target, {
      readOnly: options.readOnly,
      connectTimeoutMs: numberParam(p, 'connect_timeout', 10_000),
      callTimeoutMs: numberParam(p, 'call_timeout', 30_000),
      keepaliveIntervalMs: numberParam(p, 'keepalive_interval', 5) * 1000,
      keepaliveCount: numberParam(p, 'keepalive_count', 5),
    });
    return new RemoteDriver(opened.type, opened.client, options.emit);
  },
};
