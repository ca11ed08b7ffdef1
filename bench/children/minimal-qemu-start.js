// The least a Node program can do to start the bench's QEMU guest the way a start must (issue 18 goal 4's floor
// for any Node command line): read what to start, make the domain's cgroups, spawn QEMU inside them through a
// /bin/sh launcher (the driver's, cut to the joins and the exec), greet its monitor, `cont`, write a status file
// with the pid, and exit with QEMU left running. Nothing else: no argument parsing, no root, no lookup, no lock,
// no limits written, no thread placement, no validation — so whatever virtune's CLI does beyond this, it does on
// top of this figure.
//
// Usage: node minimal-qemu-start.js PLAN.json, where PLAN holds { argv, cgroupDirs, status }: QEMU's argv (with a
// monitor socket at a path QEMU makes itself), the cgroup directories to create and join, and the status file.
// The bench (suite qemu-cli) times it spawn → exit, then kills the QEMU named in the status file and removes the
// cgroups, untimed.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { onQmpMessages, qmpSocketFromArgv, untilListening } from '../lib/qmp-ready.js';

const DEADLINE_MS = 30_000;
const LAUNCHER = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1/cgroup.procs" || exit 126; shift; n=$((n - 1)); done; exec "$@"';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const socketPath = qmpSocketFromArgv(plan.argv);
rmSync(socketPath, { force: true });
for (const dir of plan.cgroupDirs) mkdirSync(dir);
const [emulator, ...args] = plan.argv;
const child = spawn('/bin/sh', ['-c', LAUNCHER, 'launcher', String(plan.cgroupDirs.length), ...plan.cgroupDirs, emulator, ...args], {
  detached: true,
  stdio: 'ignore',
});
child.unref();
// Written before the monitor is reached, so the bench can kill this QEMU even when the rest fails.
writeFileSync(plan.status, `${child.pid}\n`);
await untilListening(() => session(socketPath), Date.now() + DEADLINE_MS);

/** Greets the monitor, `cont`, and closes once both are answered. */
function session(path) {
  return new Promise((resolve, reject) => {
    const sock = connect(path);
    let answers = 0;
    sock.on('error', reject);
    // Sent at once, as the driver does: QEMU reads them after its greeting.
    sock.write('{"execute":"qmp_capabilities"}\n{"execute":"cont"}\n');
    onQmpMessages(sock, (msg) => {
      if ('error' in msg) reject(new Error(`QMP: ${msg.error.desc}`));
      else if ('return' in msg && ++answers === 2) {
        sock.destroy();
        resolve();
      }
    });
  });
}
