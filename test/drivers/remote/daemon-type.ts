import { parseURI } from '../../../src/connection/uri.js';
import { connectRemote } from '../../../src/drivers/remote/connect.js';
import { remoteTarget } from '../../../src/drivers/remote/target.js';
import { invoke, REMOTE_PROCEDURES as P } from '../../../src/rpc/remote-procedures.js';

/**
 * What the daemon itself answers to CONNECT_GET_TYPE for `uri` (a fresh connection of its own): the check on the
 * driver types virtune knows from the scheme alone (src/drivers/remote/connect.ts DRIVER_TYPE_BY_SCHEME).
 */
export async function daemonSaysType(uri: string, timeoutMs = 120_000): Promise<string> {
  const { client } = await connectRemote(remoteTarget(parseURI(uri)), {
    readOnly: true,
    connectTimeoutMs: timeoutMs,
    callTimeoutMs: timeoutMs,
    keepaliveIntervalMs: 0,
    keepaliveCount: 0,
  });
  try {
    return await invoke(client, P.connectGetType, undefined);
  } finally {
    await client.close();
  }
}
