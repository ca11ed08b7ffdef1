// A single virtune workload of the bench, alone in its process, for `node --cpu-prof`:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/tools/profile-target.js memparams|define|define-validated|domains [N]
//   (remote-setget, remote-in-flight and remote-open run against a private libvirtd, as the remote suite does;
//   they also print the client's and the daemon's CPU per operation)
//   node bench/tools/cpuprofile-top.js /tmp/prof/*.cpuprofile
import { REALISTIC_DOMAIN_XML, smallDomainDocs, smallDomainName } from '../lib/fixtures.js';
import { lxcDomainXML, qemuDomainXML, tempDir, uniqueName, withDefinedDomain } from '../lib/live-domain.js';
import { startPrivateLibvirtd } from '../lib/private-libvirtd.js';
import { cpuMicroseconds } from '../lib/proc-cpu.js';
import { setGetPairs } from '../lib/set-get-pairs.js';
import { loadVirtune, ullongParam } from '../lib/virtune.js';

const [workload, nArg] = process.argv.slice(2);
const { virtune: v, missing } = await loadVirtune();
if (!v) throw new Error(missing);
const conn = await v.openConnection('test:///default');

const workloads = {
  async memparams(n = 200_000) {
    const dom = await conn.lookupDomainByName('test');
    const params = [1048576, 2097152].map((kib) => [ullongParam(v, 'hard_limit', kib)]);
    for (let i = 0; i < n; i++) {
      await dom.setMemoryParameters(params[i & 1], 0);
      await dom.getMemoryParameters(0);
    }
  },
  async define(n = 5_000, flags = 0) {
    for (let i = 0; i < n; i++) await (await conn.defineDomainXML(REALISTIC_DOMAIN_XML, flags)).getXMLDesc(0);
  },
  async 'define-validated'(n = 1_000) {
    await workloads.define(n, 1);
  },
  async 'lxc-live'(n = 2_000) {
    const root = tempDir('virtune-profile-lxc');
    try {
      await withDefinedDomain(v, `lxc:///embed?root=${root.dir}`, lxcDomainXML(uniqueName('profile')), async (dom) => {
        await dom.create();
        const params = [786432, 1048576].map((kib) => [ullongParam(v, 'hard_limit', kib)]);
        for (let i = 0; i < n; i++) await dom.setMemoryParameters(params[i & 1], 1);
      });
    } finally {
      root.remove();
    }
  },
  async 'qemu-start'(n = 5) {
    const root = tempDir('virtune-profile-qemu');
    try {
      await withDefinedDomain(v, `qemu:///embed?root=${root.dir}`, qemuDomainXML(uniqueName('profile')), async (dom) => {
        for (let i = 0; i < n; i++) {
          const start = process.hrtime.bigint();
          await dom.create();
          process.stderr.write(`  start ${i}: ${Number(process.hrtime.bigint() - start) / 1e6} ms\n`);
          await dom.destroy();
        }
      });
    } finally {
      root.remove();
    }
  },
  async 'remote-setget'(n = 20_000) {
    await remotePairs(n, 1);
  },
  async 'remote-in-flight'(n = 40_000) {
    await remotePairs(n, 32);
  },
  async 'remote-open'(n = 2_000) {
    await withDaemon('open + lookup + close', n, async (uri) => {
      for (let i = 0; i < n; i++) {
        const c = await v.openConnection(uri);
        await c.lookupDomainByName('test');
        await c.close();
      }
    });
  },
  async domains(n = 10_000) {
    const docs = smallDomainDocs(n);
    for (const doc of docs) await conn.defineDomainXML(doc, 0);
    await conn.listAllDomains(0);
    for (let i = 0; i < n; i++) await conn.lookupDomainByName(smallDomainName(i));
  },
};

/** Runs `fn(uri)` against a private libvirtd and reports wall time and both sides' CPU per operation. */
async function withDaemon(what, n, fn) {
  const daemon = await startPrivateLibvirtd();
  try {
    const uri = daemon.unixURI();
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const d0 = cpuMicroseconds(daemon.pid);
    await fn(uri);
    const wall = Number(process.hrtime.bigint() - t0) / 1e3;
    const c = process.cpuUsage(c0);
    const d = cpuMicroseconds(daemon.pid) - d0;
    const per = (us) => (us / n).toFixed(1);
    process.stderr.write(`  ${what}: ${per(wall)} µs wall, client ${per(c.user + c.system)} µs CPU, daemon ${per(d)} µs CPU per op\n`);
  } finally {
    await daemon.stop();
  }
}

async function remotePairs(n, inFlight) {
  await withDaemon(`set+get pair, ${inFlight} in flight`, n, async (uri) => {
    const rc = await v.openConnection(uri);
    const dom = await rc.lookupDomainByName('test');
    const params = [1048576, 2097152].map((kib) => [ullongParam(v, 'hard_limit', kib)]);
    await setGetPairs(dom, params, n, inFlight);
    await rc.close();
  });
}

if (!workloads[workload]) throw new Error(`workload must be one of ${Object.keys(workloads).join(', ')}`);
const start = process.hrtime.bigint();
await workloads[workload](nArg === undefined ? undefined : Number(nArg));
process.stderr.write(`${workload}: ${Number(process.hrtime.bigint() - start) / 1e6} ms\n`);
await conn.close();
