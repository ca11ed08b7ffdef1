import { attempt, FAILED } from '../attempt.js';
import type { CommandHandler } from '../command-def.js';

/** `HOST:PORT`, `[V6]:PORT` or `PORT` (on 127.0.0.1); undefined when it is none of these. */
export function parseListen(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text) ?? /^()()(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: m[1] || m[2] || '127.0.0.1', port };
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * `cim-serve [-c URI] [--listen HOST:PORT] [--read-write]` (virtune extension): serves the connection's domains as
 * libvirt-cim's memory RASDs over CIM-XML until SIGINT or SIGTERM. Read-only unless --read-write.
 */
export const run: CommandHandler = async (ctl, cmd) => {
  const listenText = cmd.value('listen') ?? '127.0.0.1:5988';
  const listen = parseListen(listenText);
  if (!listen) return ctl.fail(`Invalid value '${listenText}' for <listen> option: expected HOST:PORT`);
  const readWrite = cmd.has('read-write');
  // The command connects itself (noConnect in its definition), so that `cim-serve -c URI` never opens the default.
  const uri = cmd.value('connect');
  if (uri !== undefined || !ctl.connected) {
    if ((await attempt(ctl, 'failed to connect to the hypervisor', () => ctl.connect(uri))) === FAILED) return false;
  }
  const { startCimServer, memRasdClass, prefixForDriver, CIM_NAMESPACE } = await import('../../cim/index.js');
  const server = await attempt(ctl, `Unable to listen on ${listenText}`, () =>
    startCimServer(ctl.conn, { ...listen, readWrite, log: (line) => ctl.printExtra(`${line}\n`) }),
  );
  if (server === FAILED) return false;
  const stopped = untilStopped();
  ctl.print(
    `CIM server listening on ${server.url}/cimom, namespace ${CIM_NAMESPACE}, class ` +
      `${memRasdClass(prefixForDriver(ctl.conn.getType()))} (${readWrite ? 'read-write' : 'read-only'})\n`,
  );
  await stopped;
  await server.close();
  return true;
};
