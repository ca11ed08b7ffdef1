/**
 * One row of the report. `ratio` is always virtune ÷ reference in the row's unit, so whether a higher ratio is
 * better depends on the unit: for rates (…/s) it is, for times and sizes it is not. `target` states the goal on
 * that ratio as `>= X` or `<= X` (null: a figure without a goal); `met` is whether the ratio reaches it
 * (null when either side has no figure).
 */
export function makeResult({ name, virtune, reference, unit, target = null, against, detail, note }) {
  const v = finiteOrNull(virtune);
  const ref = finiteOrNull(reference);
  const ratio = v !== null && ref !== null && ref > 0 ? round(v / ref, 3) : null;
  const row = {
    name,
    virtune: v === null ? null : round(v, 4),
    reference: ref === null ? null : round(ref, 4),
    unit,
    ratio,
    target,
    met: target === null || ratio === null ? null : meets(ratio, target),
  };
  if (against) row.against = against;
  if (detail) row.detail = detail;
  if (note) row.note = note;
  return row;
}

function meets(ratio, target) {
  const m = /^(>=|<=)\s*([0-9.]+)$/.exec(target);
  if (!m) throw new Error(`bad target '${target}'`);
  const bound = Number(m[2]);
  return m[1] === '>=' ? ratio >= bound : ratio <= bound;
}

function finiteOrNull(x) {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** Rounds to `digits` significant digits, so the JSON carries figures, not noise. */
function round(x, digits) {
  if (x === 0) return 0;
  return Number(x.toPrecision(digits));
}

/** A short note for a side that produced no figure. */
export function noteFor(side, err) {
  if (!err) return undefined;
  const code = typeof err.code === 'number' ? ` (VirError code ${err.code})` : '';
  return `${side}: ${String(err.message ?? err).split('\n')[0]}${code}`;
}

/** Joins the notes that are present. */
export function joinNotes(...notes) {
  const present = notes.filter(Boolean);
  return present.length ? present.join('; ') : undefined;
}
