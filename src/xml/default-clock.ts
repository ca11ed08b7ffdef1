import type { DomainDef } from './domain-def.js';
import { DOMAIN_SLOTS } from './domain-layout.js';
import { passthroughOf, type DomainPassthrough } from './passthrough.js';
import type { RawElementNode } from './raw.js';

const CLOCK_RANK = DOMAIN_SLOTS.rank.get('clock')!;

// One `<clock offset='utc'/>` shared by every definition that gets the default (a fleet of domains would
// otherwise hold a copy each); frozen, as definitions are replaced, never edited, where this is shared.
const CLOCK_NODE: RawElementNode = Object.freeze({
  k: 'e' as const,
  name: 'clock',
  attrs: Object.freeze([Object.freeze(['offset', 'utc'])]) as unknown as RawElementNode['attrs'],
  children: Object.freeze([]) as unknown as RawElementNode['children'],
});
const CLOCK_ENTRY = Object.freeze({ rank: CLOCK_RANK, node: CLOCK_NODE });
/** The whole passthrough of a definition that kept nothing else. */
const CLOCK_ONLY: DomainPassthrough = Object.freeze({
  domain: Object.freeze({ children: Object.freeze([CLOCK_ENTRY]) as unknown as NonNullable<DomainPassthrough['domain']>['children'] }),
});

/**
 * libvirt's clock default, for drivers to apply after parsing: every libvirt domain has a clock whose offset
 * defaults to UTC, and libvirt always prints it (`<clock offset='utc'/>` after `</os>`, `<features>` and `<cpu>`).
 * virtune keeps `<clock>` verbatim rather than modelling it, so the parser leaves a document without one as it was
 * (its round trip stays exact); a driver that wants libvirt's dumpxml calls this.
 *
 * A missing `<clock>` is added as `<clock offset='utc'/>`; a `<clock>` without `offset` gets `offset='utc'` as its
 * first attribute, as libvirt prints it. Anything else is left alone. Applying it twice changes nothing.
 */
export function applyDefaultClock(def: DomainDef): DomainDef {
  if (def.passthrough === undefined) {
    def.passthrough = CLOCK_ONLY;
    return def;
  }
  const p = passthroughOf(def.passthrough);
  const children = [...(p.domain?.children ?? [])];
  const at = children.findIndex((c) => c.node.k === 'e' && c.node.name === 'clock');
  if (at >= 0) {
    const clock = children[at]!.node as RawElementNode;
    if (clock.attrs.some(([name]) => name === 'offset')) return def;
    children[at] = { rank: children[at]!.rank, node: { ...clock, attrs: [['offset', 'utc'], ...clock.attrs] } };
  } else {
    const before = children.findIndex((c) => c.rank > CLOCK_RANK);
    children.splice(before < 0 ? children.length : before, 0, CLOCK_ENTRY);
  }
  def.passthrough = { ...p, domain: { ...p.domain, children } };
  return def;
}
