// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): the functions and the files with the most self time.
// usage: node bench/tools/cpuprofile-top.js FILE.cpuprofile [N]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/tools/cpuprofile-top.js FILE.cpuprofile [N]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));

// Self time of a node = its share of samples; time deltas give each sample its duration.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const fnTotals = new Map();
const fileTotals = new Map();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const where = url ? url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '') : '(native)';
  const fnKey = `${functionName || '(anonymous)'}  ${where}:${lineNumber + 1}`;
  fnTotals.set(fnKey, (fnTotals.get(fnKey) ?? 0) + us);
  const fileKey = where.includes('node_modules/') ? where.replace(/.*node_modules\/((?:@[^/]+\/)?[^/]+).*/, 'node_modules/$1') : where;
  fileTotals.set(fileKey, (fileTotals.get(fileKey) ?? 0) + us);
}

const show = (title, map) => {
  process.stdout.write(`\n${title}\n`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(1).padStart(8)} ms  ${key}\n`);
  }
};
process.stdout.write(`${file}: ${(total / 1000).toFixed(1)} ms sampled\n`);
show('self time by function', fnTotals);
show('self time by file or package', fileTotals);
