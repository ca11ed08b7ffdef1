import { attrOf, contentOf, type RawElementNode } from './raw.js';
import { tokenize } from './tokenizer.js';
import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { UNLIMITED } from '../memory/params.js';
import type { MemTune } from './domain-def.js';
import { parseDocument } from './document.js';
import { LLONG_MAX_BYTES, UNLIMITED_BYTES, bytesToKiB, parseScaledInteger } from './units.js';
import { validateAgainst } from './validate.js';
import { internAmount } from './intern.js';
import { MEMTUNE_FIELDS, defaultMemTune } from './memtune-format.js';

// The formatting half lives apart so that printing a definition never loads libxmljs2 (CLI cold start).
export { MEMTUNE_FIELDS, defaultMemTune, formatMemtune, isDefaultMemtune } from './memtune-format.js';

/** Reads a memory element's text and unit; an absent or empty element is undefined (libvirt's "not set"). */
export function readScaled(el: RawElementNode | undefined): { text: string; unit: string | undefined } | undefined {
  if (!el) return undefined;
  const text = contentOf(el);
  if (text === '') return undefined;
  return { text, unit: attrOf(el, 'unit') };
}

/**
 * Reads a `<memtune>` element as libvirt does: the first occurrence of each child counts; a limit is read in
 * bytes up to UNLIMITED KiB and rounded up to KiB; the guarantee up to LLONG_MAX bytes.
 * Errors name the element as libvirt's XPath does (`./memtune/hard_limit[1]`).
 */
export function readMemtune(el: RawElementNode | undefined): MemTune {
  const mt = defaultMemTune();
  if (!el) return mt;
  const first = new Map<string, RawElementNode>();
  for (const c of el.children) {
    if (c.k === 'e' && !first.has(c.name)) first.set(c.name, c);
  }
  for (const [name, field, isLimit] of MEMTUNE_FIELDS) {
    const v = readScaled(first.get(name));
    if (!v) continue;
    const where = `./memtune/${name}[1]`;
    const bytes = parseScaledInteger(v.text, v.unit, 1024n, isLimit ? UNLIMITED_BYTES : LLONG_MAX_BYTES, where);
    const kib = bytesToKiB(bytes);
    if (!isLimit && kib > UNLIMITED) {
      throw new VirError(ErrorCode.OVERFLOW, ErrorDomain.DOMAIN, 'size value too large');
    }
    mt[field] = internAmount(kib);
  }
  return mt;
}

/** Options of {@link parseMemtune}. */
export interface ParseMemtuneOptions {
  /** Check a string against schemas/memtune.rng (default true). */
  validate?: boolean;
}

/**
 * Reads a `<memtune>` document, given as text or UTF-8 bytes.
 *
 * @example
 * ```ts
 * parseMemtune("<memtune><hard_limit unit='GiB'>1</hard_limit></memtune>").hardLimit; // 1048576n
 * ```
 * @throws VirError with libvirt's code and text for a malformed value, an unknown unit or overflow.
 */
export function parseMemtune(xml: string | Uint8Array, opts: ParseMemtuneOptions = {}): MemTune {
  const { doc, text } = parseDocument(xml, 'memtune_definition', ErrorDomain.DOMAIN);
  const root = tokenize(text);
  if (root.name !== 'memtune') {
    throw new VirError(ErrorCode.XML_ERROR, ErrorDomain.XML, `expecting root element of 'memtune', not '${root.name}'`);
  }
  const mt = readMemtune(root);
  if (opts.validate !== false) validateAgainst(doc, 'memtune');
  return mt;
}
