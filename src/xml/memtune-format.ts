import { UNLIMITED, emptyMemTune } from '../memory/params.js';
import type { MemTune } from './domain-def.js';
import { checkKiB } from './units.js';
import { indent } from './writer.js';

/** The MemTune with nothing set: limits UNLIMITED, guarantee 0. @deprecated the same function as `emptyMemTune`: use that. */
export const defaultMemTune: () => MemTune = emptyMemTune;

/** The `<memtune>` children: element name, MemTune field, and whether it is a limit (UNLIMITED when unset). */
export const MEMTUNE_FIELDS = [
  ['hard_limit', 'hardLimit', true],
  ['soft_limit', 'softLimit', true],
  ['min_guarantee', 'minGuarantee', false],
  ['swap_hard_limit', 'swapHardLimit', true],
  ['swap_soft_limit', 'swapSoftLimit', true],
] as const satisfies ReadonlyArray<readonly [string, keyof MemTune, boolean]>;

/** True when `formatMemtune` would print nothing. */
export function isDefaultMemtune(mt: MemTune): boolean {
  return MEMTUNE_FIELDS.every(([, field, isLimit]) =>
    isLimit ? mt[field] >= UNLIMITED : mt[field] === 0n,
  );
}

/**
 * `<memtune>` in libvirt's canonical form: `unit='KiB'`, order hard, soft, min_guarantee, swap_hard, then our
 * swap_soft; a limit is printed when below UNLIMITED (0 included), the guarantee when non-zero.
 *
 * @param depth indentation level of `<memtune>` itself (1 inside `<domain>`).
 * @returns the element with a trailing newline, or '' when there is nothing to print.
 */
export function formatMemtune(mt: MemTune, depth = 0): string {
  let body = '';
  const inner = indent(depth + 1);
  for (const [name, field, isLimit] of MEMTUNE_FIELDS) {
    const v = checkKiB(mt?.[field], `memtune ${name}`);
    if (isLimit ? v >= UNLIMITED : v === 0n) continue;
    body += `${inner}<${name} unit='KiB'>${v}</${name}>\n`;
  }
  if (body === '') return '';
  return `${indent(depth)}<memtune>\n${body}${indent(depth)}</memtune>\n`;
}
