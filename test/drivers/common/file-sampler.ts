import { readFileSync } from 'node:fs';
import { decodeValue, PARAMS } from './memtune-values.mjs';

/** Where one value of a domain can be read from outside: a file and how to get the parameter out of its text. */
export interface SampledSource {
  name: string;
  read(): Partial<Record<string, number>>;
}

/** The `<memtune>` values (KiB) of a definition's XML text. */
export function memtuneOfXml(xml: string): Partial<Record<string, number>> {
  const out: Partial<Record<string, number>> = {};
  for (const field of PARAMS) {
    const m = new RegExp(`<${field} unit='KiB'>(\\d+)</${field}>`).exec(xml);
    if (m) out[field] = Number(m[1]);
  }
  return out;
}

/** A file read whole each time; a missing or half-read file counts as no values. */
export function fileSource(name: string, path: string, parse: (text: string) => Partial<Record<string, number>>): SampledSource {
  return {
    name,
    read() {
      try {
        return parse(readFileSync(path, 'utf8'));
      } catch {
        return {};
      }
    },
  };
}

/**
 * Reads `sources` over and over until stopped, and records every time a value goes backwards: a value that was
 * replaced by another and then comes back (no caller ever sets the same value twice, so only a stale copy
 * written back can bring it back: a lost update made visible), or a value written by writer W at step S seen
 * after one W wrote at a later step. A parameter absent from a source counts as a value too.
 */
export function startSampler(sources: SampledSource[]): { stop(): Promise<{ samples: number; regressions: string[] }> } {
  const seen = new Map<string, number>();
  const current = new Map<string, number | undefined>();
  const retired = new Map<string, Set<number | undefined>>();
  const regressions: string[] = [];
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const source of sources) {
        const values = source.read();
        for (const field of PARAMS) {
          const kib = values[field];
          const at = `${source.name}/${field}`;
          if (current.has(at) && current.get(at) !== kib) {
            const gone = retired.get(at) ?? new Set();
            retired.set(at, gone.add(current.get(at)));
            if (gone.has(kib)) regressions.push(`${at}: ${kib ?? 'absent'} came back`);
          }
          current.set(at, kib);
          const d = kib === undefined ? undefined : decodeValue(field, kib);
          if (!d) continue;
          const key = `${source.name}/${field}/${d.writer}`;
          const max = seen.get(key) ?? -1;
          if (d.step < max) regressions.push(`${key}: step ${d.step} after ${max}`);
          else seen.set(key, d.step);
        }
      }
      samples++;
      await new Promise((r) => setImmediate(r));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { samples, regressions };
    },
  };
}
