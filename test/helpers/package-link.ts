import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the directory of virtune's package.json. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A fresh temporary directory where `import ... from 'virtune'` resolves as in an application that installed the
 * package: node_modules/virtune links to this repository, so the package's exports map and the built dist/ are
 * what Node and TypeScript see. Fails early when dist/ has not been built (npm test builds it first).
 */
export function linkedPackageDir(label: string): { dir: string; remove(): void } {
  if (!existsSync(join(PACKAGE_ROOT, 'dist/index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  }
  const dir = mkdtempSync(join(tmpdir(), `virtune-${label}-${process.pid}-`));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(PACKAGE_ROOT, join(dir, 'node_modules', 'virtune'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
