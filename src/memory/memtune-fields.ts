import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { TypedParameterType, type TypedParameter, type TypedParameterInput } from '../typed-params/types.js';
import { snapshotList } from '../typed-params/validate.js';
import type { MemTune } from '../xml/domain-def.js';
import { EXTRA_MEMTUNE_PARAMS, LIBVIRT_MEMTUNE_PARAMS, MEMTUNE_FIELD, type MemoryParamName } from './params.js';
import { parseSize, type MemorySize } from './size.js';

/** The memtune fields by name, each a {@link MemorySize}: what `Domain.setMemtune` takes. Absent fields stay. */
export type MemtuneValues = { [K in keyof MemTune]?: MemorySize };

/**
 * What `Domain.getMemtune` returns, KiB: libvirt's three limits always (UNLIMITED when unset), and virtune's
 * `minGuarantee` and `swapSoftLimit` when the driver reports them (it does when they are set).
 */
export type MemtuneReport = Pick<MemTune, 'hardLimit' | 'softLimit' | 'swapHardLimit'> &
  Partial<Pick<MemTune, 'minGuarantee' | 'swapSoftLimit'>>;

/** Parameter names in the order virsh's `memtune` adds them (hard, soft, swap, min_guarantee), then ours. */
const ORDER: readonly MemoryParamName[] = [...LIBVIRT_MEMTUNE_PARAMS, ...EXTRA_MEMTUNE_PARAMS];
const KNOWN = new Set<string>(ORDER.map((name) => MEMTUNE_FIELD[name]));

/**
 * The typed parameters that set `values`: one ULLONG per field given, strings read by {@link parseSize}, numbers
 * and bigints passed as they are (setMemoryParameters checks them). A field virtune does not know is refused.
 *
 * @throws VirError from {@link parseSize}, or ARGUMENT_UNSUPPORTED for an unknown field; nothing has been sent.
 */
export function memtuneToParams(values: MemtuneValues): TypedParameterInput[] {
  if (values === null || typeof values !== 'object') {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, 'memtune values must be an object');
  }
  for (const key of Object.keys(values)) {
    if (!KNOWN.has(key)) throw new VirError(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.NONE, `memtune field '${key}' not supported`);
  }
  const params: TypedParameterInput[] = [];
  for (const name of ORDER) {
    const v = values[MEMTUNE_FIELD[name]];
    if (v === undefined) continue;
    params.push({ field: name, type: TypedParameterType.ULLONG, value: typeof v === 'string' ? parseSize(v) : v });
  }
  return params;
}

/** getMemoryParameters' answer as named fields (see {@link MemtuneReport}); names it does not know are left out. */
export function paramsToMemtune(params: readonly TypedParameter[]): MemtuneReport {
  const out: Partial<MemTune> = {};
  for (const p of snapshotList(params) as TypedParameter[]) {
    const field = Object.hasOwn(MEMTUNE_FIELD, p.field) ? MEMTUNE_FIELD[p.field as MemoryParamName] : undefined;
    if (field !== undefined && typeof p.value === 'bigint') out[field] = p.value;
  }
  return out as MemtuneReport;
}
