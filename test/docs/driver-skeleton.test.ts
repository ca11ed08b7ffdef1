// Cross-cutting: the code docs/drivers.md shows of the driver skeleton is the code in the repository. A
// ```typescript block marked `<!-- file: PATH -->` must appear verbatim in PATH (the third driver's fixture in
// full, which test/drivers/common/cgroup-driver-state.test.ts runs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../helpers/package-link.js';

const DOC = 'docs/drivers.md';
const FENCE = '```';

function shownFiles(): { path: string; code: string }[] {
  const text = readFileSync(join(PACKAGE_ROOT, DOC), 'utf8');
  const re = new RegExp(`^<!-- file: (\\S+) -->\\n${FENCE}typescript\\n([\\s\\S]*?)\\n${FENCE}$`, 'gm');
  return [...text.matchAll(re)].map((m) => ({ path: m[1]!, code: m[2]! }));
}

describe(`${DOC} shows the driver skeleton's code as it is`, () => {
  const shown = shownFiles();

  it('shows the third driver in full and the memory family', () => {
    expect(shown.map((s) => s.path)).toEqual(['test/drivers/common/fixtures/proc-driver.ts', 'src/drivers/common/memory-family.ts']);
    const fixture = shown[0]!;
    expect(`${fixture.code}\n`).toBe(readFileSync(join(PACKAGE_ROOT, fixture.path), 'utf8'));
  });

  it.each(shown.map((s) => [s.path, s.code] as const))('%s holds the code shown', (path, code) => {
    expect(readFileSync(join(PACKAGE_ROOT, path), 'utf8')).toContain(code);
  });
});
