// Where the CPU of the remote rows goes: set+get pairs one at a time and 32 in flight on one connection (virtune),
// and 32 in flight from the minimal client (bench/lib/minimal-rpc.js), against a private libvirtd. Per round and
// per pair: the client's CPU (process.cpuUsage), the daemon's (its threads' /proc stat), the daemon's event-loop
// thread's share of a core, and how busy the machine's CPUs were (/proc/stat, every process).
//   node bench/tools/remote-cpu-split.js [ROUNDS] [PAIRS]
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { minimalPairs } from '../lib/minimal-rpc.js';
import { startPrivateLibvirtd } from '../lib/private-libvirtd.js';
import { setGetPairs } from '../lib/set-get-pairs.js';
import { loadVirtune, ullongParam } from '../lib/virtune.js';

const [rounds = 5, pairs = 20_000] = process.argv.slice(2).map(Number);
const { virtune: v, missing } = await loadVirtune();
if (!v) throw new Error(missing);

/** µs of CPU per thread of `pid` (utime + stime), by thread id; the main thread's id is the pid. */
function threadCpu(pid) {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(tid, (Number(f[11]) + Number(f[12])) * 10_000);
  }
  return out;
}

/** Busy and total jiffies of all CPUs (/proc/stat's first line; idle and iowait are not busy). */
function machine() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - f[3] - f[4], total };
}

const daemon = await startPrivateLibvirtd();
const uri = daemon.unixURI();
const params = [1048576, 2097152].map((kib) => [ullongParam(v, 'hard_limit', kib)]);

/** Runs `fn(n)` and prints rate and CPU per pair. */
async function measure(label, n, fn) {
  const t0 = threadCpu(daemon.pid);
  const m0 = machine();
  const c0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  await fn(n);
  const wall = Number(process.hrtime.bigint() - w0) / 1e3;
  const c = process.cpuUsage(c0);
  const m1 = machine();
  const t1 = threadCpu(daemon.pid);
  let daemonUs = 0;
  for (const [tid, us] of t1) daemonUs += us - (t0.get(tid) ?? 0);
  const mainUs = t1.get(String(daemon.pid)) - t0.get(String(daemon.pid));
  const client = c.user + c.system;
  const per = (us) => (us / n).toFixed(1).padStart(5);
  const pct = (x) => `${Math.round(100 * x)}%`.padStart(4);
  const busy = ((m1.busy - m0.busy) / (m1.total - m0.total)) * cpus().length;
  console.log(
    `${label.padEnd(22)} ${String(Math.round((n / wall) * 1e6)).padStart(6)} pairs/s | per pair: client ${per(client)} µs, daemon ${per(daemonUs)} µs (its main thread ${pct(mainUs / wall)} of a core) | client + daemon ${pct((client + daemonUs) / wall)}, the machine ${pct(busy)} of a core busy`,
  );
}

/** A fresh connection for each batch, as the bench opens one per round. */
async function virtune(n, inFlight) {
  const conn = await v.openConnection(uri);
  try {
    const dom = await conn.lookupDomainByName('test');
    await setGetPairs(dom, params, 3000, inFlight); // warm, not counted
    await measure(inFlight === 1 ? 'virtune, 1 at a time' : `virtune, ${inFlight} in flight`, n, (k) => setGetPairs(dom, params, k, inFlight));
  } finally {
    await conn.close();
  }
}

const dom = await (async () => {
  const conn = await v.openConnection(uri);
  const d = await conn.lookupDomainByName('test');
  const ref = d.reference;
  await conn.close();
  return ref;
})();

console.log(`${cpus().length} CPUs; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
try {
  for (let r = 0; r < rounds; r++) {
    await virtune(pairs / 2, 1);
    await virtune(pairs, 32);
    await measure('minimal, 32 in flight', pairs, (k) => minimalPairs(daemon.socket, 'test:///default', dom, [1048576, 2097152], k, 32));
  }
} finally {
  await daemon.stop();
}
console.log(`load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
