import { lineFeedsOf } from './char-map.js';
import { CPUTUNE_VALUES } from './domain-layout.js';
import { scanMarkup, tagAttributes, type TagSpan } from './markup-scan.js';

/**
 * The part of a domain document schemas/domain.rng has something to say about, for validation.
 *
 * The schema checks the elements virtune models and lets everything else through: in `<domain>`, `<os>`,
 * `<cputune>`, `<devices>` and `<memballoon>` any other element, with any content, may occur any number of times
 * (`<zeroOrMore><element><anyName><except>…`). Removing such elements (and the comments and processing
 * instructions beside them, which RelaxNG ignores) therefore never changes the verdict: the document without
 * them is valid exactly when the document is. What it changes is the cost: libxml2's RelaxNG validation is
 * quadratic in the number of siblings matched by such a repetition (300,000 `<console>` took 128 s).
 *
 * Likewise `<os>` takes any attribute and `<memballoon>` any besides `model`: those attributes go too (libxml2
 * copies an element's attributes with every validation state, which makes them a factor of the sibling cost).
 * Namespace declarations stay, as they decide which elements are the schema's.
 *
 * An element is removed only when its tag name is not one the schema excepts in that place (a prefixed name
 * never is: it has a namespace, and the exceptions are names without one), so the rule is safe whatever the
 * namespaces. A removed element is replaced by the line breaks it held, so libxml2's line numbers in the
 * errors of what remains are those of the original text.
 */

/** For each element whose other children may go: the names that must stay, and what they contain. */
export interface Place {
  keep: ReadonlySet<string>;
  /** Attributes of this element the schema checks; the others go. Undefined: all stay. */
  attrs?: ReadonlySet<string>;
  /** Children that are themselves places. */
  inner?: Readonly<Record<string, Place>>;
}

const MEMBALLOON: Place = { keep: new Set(['stats']), attrs: new Set(['model']) };
const DEVICES: Place = { keep: new Set(['emulator', 'memballoon', 'memory']), inner: { memballoon: MEMBALLOON } };
const OS: Place = { keep: new Set(['type', 'boot', 'kernel', 'initrd', 'cmdline', 'init', 'initarg']), attrs: new Set() };
// <cputune> takes no attribute, so its attributes stay (the schema refuses them); its unmodelled children go.
const CPUTUNE: Place = { keep: new Set(CPUTUNE_VALUES) };
const DOMAIN: Place = {
  keep: new Set([
    'name', 'uuid', 'title', 'description', 'maxMemory', 'memory', 'currentMemory', 'blkiotune', 'memtune', 'vcpu',
    'cputune', 'os', 'on_poweroff', 'on_reboot', 'on_crash', 'devices',
  ]),
  inner: { os: OS, devices: DEVICES, cputune: CPUTUNE },
};

/**
 * The places by the schema's `define` names, for the test that checks them against schemas/domain.rng (every
 * `<except>` list there must be a `keep` set here: a name the schema starts checking must stay in the view).
 */
export const SCHEMA_VIEW_PLACES: Readonly<Record<string, Place>> = {
  domain: DOMAIN, os: OS, devices: DEVICES, memballoon: MEMBALLOON, cputune: CPUTUNE,
};

/** A namespace declaration, which is no attribute to RelaxNG and decides the namespace of the element. */
function isNamespaceDeclaration(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:');
}

/** The spans of the attributes of `tag` to remove: those `place` does not check. */
function uncheckedAttributes(xml: string, tag: TagSpan, place: Place): { from: number; to: number }[] {
  const checked = place.attrs;
  if (!checked || tag.attrs === 0) return [];
  return tagAttributes(xml, tag).filter((a) => !checked.has(a.name) && !isNamespaceDeclaration(a.name));
}

/**
 * The text of a well-formed domain document without what schemas/domain.rng lets through unchecked (see the
 * module comment); the same text when nothing can go. Linear in the text's length.
 */
export function domainSchemaView(xml: string): string {
  // Places of the open elements: a Place where children may go, null inside an element kept whole.
  const open: (Place | null)[] = [];
  let depth = 0;
  let out = '';
  let copied = 0;
  // While removing an element: the depth its start tag opened, and where it started.
  let dropDepth = -1;
  let dropFrom = 0;
  const drop = (from: number, to: number): void => {
    out += xml.slice(copied, from) + lineFeedsOf(xml.slice(from, to));
    copied = to;
  };
  scanMarkup(xml, (tag) => {
    if (dropDepth >= 0) {
      if (tag.kind === 'start') depth++;
      else if (tag.kind === 'end' && --depth === dropDepth) {
        drop(dropFrom, tag.to);
        dropDepth = -1;
      }
      return;
    }
    if (tag.kind === 'end') {
      open.pop();
      depth--;
      return;
    }
    const place = depth === 0 ? undefined : open[depth - 1];
    // CDATA is text, which the schema does check: it stays.
    if (tag.kind === 'other' && xml.startsWith('<![CDATA[', tag.from)) return;
    if (place && (tag.kind === 'other' || !place.keep.has(tag.name))) {
      if (tag.kind === 'start') {
        dropDepth = depth;
        dropFrom = tag.from;
        depth++;
      } else {
        drop(tag.from, tag.to);
      }
      return;
    }
    if (tag.kind === 'other') return;
    const inner = depth === 0 ? (tag.name === 'domain' ? DOMAIN : null) : (place?.inner?.[tag.name] ?? null);
    if (inner) for (const a of uncheckedAttributes(xml, tag, inner)) drop(a.from, a.to);
    if (tag.kind === 'start') {
      open.push(inner);
      depth++;
    }
  });
  return copied === 0 ? xml : out + xml.slice(copied);
}
