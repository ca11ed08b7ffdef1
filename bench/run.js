// `npm run bench [-- --json] [-- --quick]`: virtune and libvirt side by side, in one run, with ratios.
// Figures from separate runs are not comparable on a shared machine; ratios within one run are.
import { writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { parseArgs, USAGE } from './lib/args.js';
import { LibvirtWorker, pythonLibvirtMissing } from './lib/reference.js';
import { printReport } from './lib/report.js';
import { makeResult } from './lib/result.js';
import { loadVirtune } from './lib/virtune.js';
import { SUITES } from './suites/index.js';

const options = parseArgs(process.argv.slice(2));
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const log = (msg) => process.stderr.write(`${msg}\n`);
const { virtune, missing: virtuneMissing } = await loadVirtune();
const workerMissing = pythonLibvirtMissing();
const worker = workerMissing ? null : new LibvirtWorker();
const ctx = { quick: options.quick, virtune, virtuneMissing: virtuneMissing && `virtune: ${virtuneMissing}`, worker, workerMissing: workerMissing && `reference: ${workerMissing}`, log };

const started = Date.now();
const results = [];
try {
  for (const suite of SUITES) {
    if (options.only && !options.only.some((prefix) => suite.name.startsWith(prefix))) continue;
    log(`${suite.title}${options.quick ? ' (quick)' : ''}`);
    try {
      results.push(...(await (await suite.load()).run(ctx)));
    } catch (err) {
      // A suite that breaks is a row with a note, never a crashed run.
      results.push(makeResult({ name: suite.name, virtune: null, reference: null, unit: '-', note: `suite failed: ${err.stack ?? err}` }));
    }
  }
} finally {
  await worker?.close();
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const header = `virtune bench${options.quick ? ' --quick (figures not meaningful)' : ''}: ${new Date().toISOString()}, ${hostname()}, ${cpus().length} × ${cpu}, node ${process.version}, ${((Date.now() - started) / 1000).toFixed(1)} s`;
printReport(results, { json: options.json, header });
if (options.save) writeFileSync(options.save, `${JSON.stringify({ header, results }, null, 2)}\n`);
