/** Prints the results as a table for people, or as `{ "results": [...] }` for machines. */
export function printReport(results, { json, header }) {
  if (json) {
    process.stdout.write(`${JSON.stringify({ results }, null, 2)}\n`);
    return;
  }
  const rows = [['name', 'virtune', 'reference', 'unit', 'ratio', 'target', 'met']];
  for (const r of results) {
    rows.push([r.name, fmt(r.virtune), fmt(r.reference), r.unit, fmt(r.ratio), r.target ?? '-', verdict(r.met)]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row) => row.map((cell, i) => (i === 0 || i === 3 || i === 5 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const out = [header, '', line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line), ''];
  out.push('ratio = virtune / reference in the unit shown (for …/s higher is better, for ms, µs, MiB and KiB lower is better).');
  const notes = results.filter((r) => r.note || r.against || r.detail);
  if (notes.length) {
    out.push('', 'notes:');
    for (const r of notes) {
      const parts = [r.against && `reference = ${r.against}`, r.detail, r.note].filter(Boolean);
      out.push(`  ${r.name}: ${parts.join('; ')}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

function fmt(x) {
  if (x === null || x === undefined) return '-';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(Math.abs(x) >= 1 ? 2 : 3);
}

function verdict(met) {
  if (met === null || met === undefined) return '-';
  return met ? 'yes' : 'NO';
}
