import { MEMORY } from '../../cgroup/controllers.js';
import type { MemoryParamName } from '../../memory/params.js';
import { memTuneToParams, memTuneUpdateToParams, mergeMemTune, parseMemoryParams } from '../../memory/validate.js';
import type { MemTune } from '../../xml/domain-def.js';
import { definitionWith } from './definition-change.js';
import type { TunableFamily } from './tunable-family.js';

/**
 * memtune as a {@link TunableFamily}: the shared memory validator (src/memory/validate.ts), `<memtune>` in the
 * definition, the memory controller's files. The first family; cputune and blkiotune follow the same shape.
 */
export const MEMORY_TUNABLES: TunableFamily<MemTune, MemoryParamName> = {
  setEntry: 'domainSetMemoryParameters',   // its public name is in the empty-list error
  controller: MEMORY,                      // src/cgroup/controllers.ts: the files per cgroup version
  parse: parseMemoryParams,                // typed parameters → a partial MemTune, libvirt's checks and words
  of: (def) => def.memtune,                // the family in a DomainDef
  with: (def, memtune) => definitionWith(def, 'memtune', memtune),
  merge: mergeMemTune,                     // checks across fields (hard ≤ swap)
  updateToParams: memTuneUpdateToParams,   // what the tunable event carries
  toParams: memTuneToParams,               // what the getter reports
};
