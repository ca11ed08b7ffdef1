// Memory: peak RSS of a process holding 10,000 defined domains, and the cost of one domain, each side in a
// fresh process of its own so that nothing else the bench did is counted.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SMALL_DOMAIN_TEMPLATE_PATH } from '../lib/fixtures.js';
import { PYTHON, WORKER } from '../lib/reference.js';
import { joinNotes, makeResult } from '../lib/result.js';

const CHILD = fileURLToPath(new URL('../children/rss-child.js', import.meta.url));

export async function run(ctx) {
  const n = ctx.quick ? 500 : 10_000;
  const ours = figures(spawnSync(process.execPath, ['--expose-gc', CHILD, String(n)], { encoding: 'utf8', timeout: 300_000 }));
  const theirs = ctx.workerMissing
    ? { error: ctx.workerMissing }
    : figures(spawnSync(PYTHON, [WORKER, 'rss', String(n), SMALL_DOMAIN_TEMPLATE_PATH], { encoding: 'utf8', timeout: 300_000 }));
  const note = joinNotes(ours.error && `virtune: ${ours.error}`, theirs.error && `reference: ${theirs.error}`);
  const against = 'libvirt test:///default in a python3-libvirt process holding the same domains';
  return [
    makeResult({
      name: 'memory.peak-rss',
      virtune: ours.peakMiB,
      reference: theirs.peakMiB,
      unit: 'MiB',
      against,
      detail: `peak RSS of a process with ${n} domains defined (node vs python3 runtime included)`,
      note,
    }),
    makeResult({
      name: 'memory.per-domain',
      virtune: ours.perDomainKiB,
      reference: theirs.perDomainKiB,
      unit: 'KiB',
      target: '<= 1',
      against,
      detail: `(RSS after - RSS before) / ${n}, handles kept alive, read right after the defines and a full GC`,
      note,
    }),
    makeResult({
      name: 'memory.per-domain.settled',
      virtune: ours.settledPerDomainKiB,
      reference: theirs.settledPerDomainKiB,
      unit: 'KiB',
      against,
      detail: `the same, read once the process has settled (3 rounds of 0.1 s idle + a full GC, both sides): what a process holding the ${n} domains keeps`,
      note,
    }),
  ];
}

function figures(proc) {
  if (proc.error) return { error: proc.error.message };
  const line = proc.stdout.trim().split('\n').pop();
  let data;
  try {
    data = JSON.parse(line);
  } catch {
    return { error: `no figures (exit ${proc.status}): ${proc.stderr.trim().split('\n').pop() ?? ''}` };
  }
  if (data.error) return { error: data.error };
  return {
    peakMiB: Math.max(data.peakKiB, data.afterKiB) / 1024,
    perDomainKiB: (data.afterKiB - data.beforeKiB) / data.count,
    settledPerDomainKiB: data.settledKiB === undefined ? null : (data.settledKiB - data.beforeKiB) / data.count,
  };
}
