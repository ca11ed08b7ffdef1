import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../helpers/package-link.js';

/** A temporary application with the packed tarball installed, as `npm install virtune-x.y.z.tgz` leaves it. */
export interface PackedProject {
  /** The application's directory; `node_modules/virtune` is the unpacked tarball. */
  readonly dir: string;
  /** The unpacked package, node_modules/virtune. */
  readonly pkg: string;
  /** The files `npm pack` put in the tarball, relative to the package root. */
  readonly files: readonly string[];
  remove(): void;
}

/**
 * `npm pack` (without scripts: `npm test` has just built dist/), then the tarball unpacked into a new project's
 * node_modules. The package's dependencies are linked to this repository's installed copies instead of being
 * installed again: the same versions the lock file gives, without the network or a second native build of
 * libxmljs2 (Node resolves a linked package's own dependencies from where it really lies).
 */
export function packedProject(): PackedProject {
  const dir = mkdtempSync(join(tmpdir(), `virtune-packed-${process.pid}-`));
  try {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
        cwd: PACKAGE_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    ) as { filename: string; files: { path: string }[] }[];
    const modules = join(dir, 'node_modules');
    mkdirSync(modules);
    execFileSync('tar', ['-xzf', join(dir, packed!.filename), '-C', modules]);
    renameSync(join(modules, 'package'), join(modules, 'virtune'));
    const pkg = join(modules, 'virtune');
    const deps = Object.keys((JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { dependencies?: object }).dependencies ?? {});
    for (const dep of deps) {
      mkdirSync(join(modules, dep, '..'), { recursive: true });
      symlinkSync(join(PACKAGE_ROOT, 'node_modules', dep), join(modules, dep), 'dir');
    }
    writeFileSync(join(dir, 'package.json'), '{ "name": "app", "private": true }\n');
    return { dir, pkg, files: packed!.files.map((f) => f.path), remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
