/** How virsh prints values: typed parameters, `printf("%-15s ...")` lines and its tables. */
import { UNLIMITED } from '../memory/params.js';
import { TypedParameterType, type TypedParameter } from '../typed-params/types.js';
import { encodeTableCell, isUTF8Locale } from './table-cell.js';

/** C's `%-Ns`: left-justified in a field of at least `width` characters. */
export function padRight(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** virsh's vshGetTypedParamValue: a parameter's value as text. */
export function formatParamValue(p: TypedParameter): string {
  switch (p.type) {
    case TypedParameterType.DOUBLE:
      return p.value.toFixed(6);
    case TypedParameterType.BOOLEAN:
      return p.value ? 'yes' : 'no';
    default:
      return String(p.value);
  }
}

/** One line of memtune's output: `hard_limit     : unlimited`. */
export function formatParamLine(p: TypedParameter): string {
  const unlimited = p.type === TypedParameterType.ULLONG && p.value === UNLIMITED;
  return `${padRight(p.field, 15)}: ${unlimited ? 'unlimited' : formatParamValue(p)}\n`;
}

/**
 * A memory amount for JSON output: a number of KiB (exact: amounts are at most UNLIMITED = 2^53-1), as the
 * `--json` documents have always printed them.
 */
export function kibToJSON(kib: bigint): number;
export function kibToJSON(kib: bigint | undefined): number | undefined;
export function kibToJSON(kib: bigint | undefined): number | undefined {
  return kib === undefined ? undefined : Number(kib);
}

/**
 * Memory parameters as one JSON object: KiB as numbers, `null` for unlimited. A 64-bit value beyond 2^53-1 (none
 * of the memory parameters) would be a decimal string, so nothing is rounded.
 */
export function paramsToJSON(params: readonly TypedParameter[]): Record<string, number | string | boolean | null> {
  const out: Record<string, number | string | boolean | null> = {};
  for (const p of params) {
    if (typeof p.value === 'bigint') {
      if (p.type === TypedParameterType.ULLONG && p.value === UNLIMITED) out[p.field] = null;
      else out[p.field] = p.value <= BigInt(Number.MAX_SAFE_INTEGER) && p.value >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(p.value) : String(p.value);
    } else {
      out[p.field] = p.value;
    }
  }
  return out;
}

/**
 * virsh's vshTable: a leading blank per cell, cells padded to the column's width and joined by three blanks, the
 * last cell unpadded; with a header, a dashed rule under it. `-q` drops the header, and the header then does not
 * count towards the widths. Cells are encoded and measured as virsh does in the locale (src/cli/table-cell.ts).
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  withHeader: boolean,
  utf8: boolean = isUTF8Locale(),
): string {
  const encode = (r: readonly string[]) => r.map((cell) => encodeTableCell(cell, utf8));
  const head = encode(header);
  const body = rows.map(encode);
  const all = withHeader ? [head, ...body] : body;
  const widths = header.map((_, i) => Math.max(0, ...all.map((r) => r[i]?.width ?? 0)));
  const line = (r: ReturnType<typeof encode>): string =>
    r.map((c, i) => ` ${c.text}${i < r.length - 1 ? ' '.repeat(Math.max(0, widths[i]! - c.width) + 2) : ''}`).join('') + '\n';
  let out = '';
  if (withHeader) {
    out += line(head);
    out += '-'.repeat(widths.reduce((a, b) => a + b, 0) + 3 * header.length) + '\n';
  }
  for (const r of body) out += line(r);
  return out;
}
