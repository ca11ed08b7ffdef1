// Item 6: command-line cold start of `virtune memtune test` against `node -e 0` (the floor any Node program
// pays) and against `virsh memtune test`, each a fresh process, wall time from spawn to exit.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childrenCpuMs } from '../lib/proc-cpu.js';
import { median } from '../lib/stats.js';
import { joinNotes, makeResult, noteFor } from '../lib/result.js';

const BIN = fileURLToPath(new URL('../../bin/virtune.js', import.meta.url));
const URI = 'test:///default';

const COMMANDS = {
  virtune: [process.execPath, [BIN, '-c', URI, 'memtune', 'test']],
  node: [process.execPath, ['-e', '0']],
  virsh: ['virsh', ['-c', URI, 'memtune', 'test']],
};

export async function run(ctx) {
  const rounds = ctx.quick ? 3 : 21;
  // Three sides in one loop, the order rotating each round, so each sees the same machine load.
  const sides = Object.keys(COMMANDS);
  const figures = { virtune: [], node: [], virsh: [] };
  const cpuMs = { virtune: 0, node: 0, virsh: 0 };
  const errors = {};
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < sides.length; k++) {
      const side = sides[(r + k) % sides.length];
      if (errors[side]) continue;
      try {
        const cpuBefore = childrenCpuMs();
        figures[side].push(coldStartMs(side));
        cpuMs[side] += childrenCpuMs() - cpuBefore;
      } catch (err) {
        errors[side] = err;
      }
    }
  }
  const med = (side) => (figures[side].length && !errors[side] ? median(figures[side]) : null);
  const cpu = (side) => (figures[side].length && !errors[side] ? cpuMs[side] / figures[side].length : null);
  const detail = `\`${shown('virtune')}\`, wall time spawn→exit, median of ${rounds} runs`;
  return [
    makeResult({
      name: 'cli.cold-start.vs-node',
      virtune: med('virtune'),
      reference: med('node'),
      unit: 'ms',
      target: '<= 1.5',
      against: '`node -e 0`',
      detail,
      note: joinNotes(noteFor('virtune', errors.virtune), noteFor('reference', errors.node)),
    }),
    // CPU time is steadier than wall time on a shared machine: the same comparison, in CPU ms per run.
    makeResult({
      name: 'cli.cold-start.cpu.vs-node',
      virtune: cpu('virtune'),
      reference: cpu('node'),
      unit: 'ms cpu',
      against: '`node -e 0`',
      detail: `user+sys CPU time per run (children's times from /proc/self/stat, 10 ms ticks, averaged over ${rounds} runs)`,
      note: joinNotes(noteFor('virtune', errors.virtune), noteFor('reference', errors.node)),
    }),
    makeResult({
      name: 'cli.cold-start.vs-virsh',
      virtune: med('virtune'),
      reference: med('virsh'),
      unit: 'ms',
      against: `\`${shown('virsh')}\``,
      detail,
      note: joinNotes(noteFor('virtune', errors.virtune), noteFor('reference', errors.virsh)),
    }),
  ];
}

function shown(side) {
  const [cmd, args] = COMMANDS[side];
  return [cmd === process.execPath ? 'node' : cmd, ...args.map((a) => (a === BIN ? 'bin/virtune.js' : a))].join(' ');
}

/** One cold run of `side`, in ms; a failed command is an error, not a figure. */
function coldStartMs(side) {
  const [cmd, args] = COMMANDS[side];
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`\`${shown(side)}\` exited ${r.status}: ${firstErrorLine(r.stderr || r.stdout)}`);
  return ms;
}

/** The line of a failed command's output that says what went wrong (Node puts a stack frame first). */
function firstErrorLine(text) {
  const lines = text.trim().split('\n');
  return lines.find((l) => /error/i.test(l))?.trim() ?? lines[0] ?? '';
}
