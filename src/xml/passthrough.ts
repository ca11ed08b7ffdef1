import type { Extras } from './layout.js';
import type { RawAttr } from './raw.js';

/**
 * What the parser keeps of a domain document beyond the model (the concrete shape of
 * `DomainDef.passthrough`): unmodelled attributes of modelled elements and unmodelled children with their
 * places. Plain data only, so definitions can be deep-copied with structuredClone.
 */
export interface DomainPassthrough {
  /** `<domain>`'s other attributes (namespace declarations) and children. */
  domain?: Extras;
  memory?: RawAttr[];
  currentMemory?: RawAttr[];
  maxMemory?: RawAttr[];
  vcpu?: RawAttr[];
  /** `<cputune>`'s attributes and its unmodelled children (vcpupin, emulatorpin, cachetune, ...). */
  cputune?: Extras;
  os?: Extras;
  osType?: RawAttr[];
  devices?: Extras;
  memballoon?: Extras;
}

/** Reads the passthrough of a definition, which may come from anywhere (an empty one when absent). */
export function passthroughOf(p: unknown): DomainPassthrough {
  return p !== null && typeof p === 'object' ? (p as DomainPassthrough) : {};
}

/** Extras worth storing: undefined when there is nothing. */
export function extras(attrs: RawAttr[] | undefined, children: Extras['children']): Extras | undefined {
  const e: Extras = {};
  if (attrs && attrs.length > 0) e.attrs = attrs;
  if (children && children.length > 0) e.children = children;
  return e.attrs || e.children ? e : undefined;
}
