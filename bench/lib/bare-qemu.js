// A bare qemu-system-x86_64 run with the argv the QEMU driver used: what QEMU itself costs, with no driver around
// it. Shared by suite qemu (start to QMP-ready) and suite qemu-cli (the parts of a command-line start).
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { onInterrupt } from './cleanup.js';
import { qmpPhases, qmpSocketFromArgv } from './qmp-ready.js';

const START_DEADLINE_MS = 30_000;

/** The argv of the running QEMU named `guest=NAME` (read from /proc; the name is unique to this run). */
export function readArgvOf(name) {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let argv;
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
    } catch {
      continue;
    }
    if (argv.some((a) => a === `guest=${name}` || a.startsWith(`guest=${name},`))) return argv;
  }
  throw new Error(`no QEMU process named guest=${name} is running after its start`);
}

/**
 * The same argv with every path under the driver's root moved under `bareDir` (its directories recreated there),
 * minus -daemonize, so the bare QEMU is our child and is timed to the same point. A socket chardev the driver
 * handed over as a descriptor (`fd=N`, the monitor) becomes one QEMU makes itself at a path in `bareDir`, found
 * by polling as any tool without the driver's pre-opened socket would.
 */
export function bareArgv(argv, rootDir, bareDir) {
  mirrorDirs(rootDir, bareDir);
  return argv
    .filter((a) => a !== '-daemonize')
    .map((a) => a.split(rootDir).join(bareDir))
    .map((a, i) => (/^socket,/.test(a) ? a.replace(/(^|,)fd=\d+(?=,|$)/, `$1path=${bareDir}/socket-${i}.sock`) : a));
}

function mirrorDirs(from, to) {
  for (const entry of readdirSync(from)) {
    if (!statSync(join(from, entry)).isDirectory()) continue;
    mkdirSync(join(to, entry), { recursive: true });
    mirrorDirs(join(from, entry), join(to, entry));
  }
}

/**
 * Runs `[cmd, ...args]` (QEMU, or a launcher that execs the QEMU of `argv`), whose monitor is the QMP socket in
 * `argv`, and resolves with the ms from spawn to each monitor step `qmpPhases` reports (`greeting`,
 * `capabilities`, and `cont` with `withCont`). The process is killed afterwards. `start` (a hrtime.bigint reading)
 * is when the timing began, if before the spawn.
 */
export async function timeBareQemu(argv, { launch = argv, withCont = false, start = process.hrtime.bigint() } = {}) {
  const socket = qmpSocketFromArgv(argv);
  if (!socket) throw new Error(`no QMP socket in the driver's argv: ${argv.join(' ')}`);
  rmSync(socket, { force: true });
  const [cmd, ...args] = launch;
  const child = spawn(cmd, args, { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const forget = onInterrupt(() => child.kill('SIGKILL'));
  try {
    return await Promise.race([
      qmpPhases(socket, { start, deadline: Date.now() + START_DEADLINE_MS, withCont }),
      exited.then((code) => Promise.reject(new Error(`bare QEMU exited (${code}) before QMP was ready`))),
    ]);
  } finally {
    forget();
    child.kill('SIGKILL');
    await exited;
  }
}
