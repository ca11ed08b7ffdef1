import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroupPids } from './cgroup-dirs.js';

/** What a test made and the code under test must have cleaned up by itself. */
export interface LeftoverScope {
  /** A cgroup directory the test owns (its unique parent): it must hold no child cgroup and no process. */
  cgroupDir?: string;
  /** More such directories (the same parent in other hierarchies). */
  cgroupDirs?: readonly string[];
  /** A directory the test owns (its private root): no live process may name it on its command line. */
  mentionedBy?: string;
  /** A directory the test owns: no socket may remain anywhere inside it. */
  socketsUnder?: string;
}

/** Child cgroups and pids anywhere below `dir`, described one per line. */
function cgroupLeftovers(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found = cgroupPids(dir).map((pid) => `process ${pid} in cgroup ${dir}`);
  for (const child of readdirSync(dir, { withFileTypes: true })) {
    if (!child.isDirectory()) continue;
    found.push(`cgroup ${join(dir, child.name)}`, ...cgroupLeftovers(join(dir, child.name)));
  }
  return found;
}

/** Live processes other than this one whose command line contains `text` (zombies are gone in all but name). */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (/^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${entry}/stat`, 'utf8'))) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(text)) found.push(`process ${entry}: ${cmdline.split('\0').join(' ').trim()}`);
    } catch {
      // Exited while we looked.
    }
  }
  return found;
}

function socketsIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...socketsIn(path));
    else if (lstatSync(path).isSocket()) found.push(`socket ${path}`);
  }
  return found;
}

/**
 * Everything in `scope` that the code under test left behind, one description per item; empty when clean.
 * Call it after the driver stopped its domains and before the test's own forced cleanup, which would hide a leak.
 */
export function findLeftovers(scope: LeftoverScope): string[] {
  return [
    ...(scope.cgroupDir ? cgroupLeftovers(scope.cgroupDir) : []),
    ...(scope.cgroupDirs ?? []).flatMap(cgroupLeftovers),
    ...(scope.mentionedBy ? processesMentioning(scope.mentionedBy) : []),
    ...(scope.socketsUnder ? socketsIn(scope.socketsUnder) : []),
  ];
}

/** Throws, listing them, when there are leftovers. */
export function assertNoLeftovers(leftovers: readonly string[], what: string): void {
  if (leftovers.length > 0) throw new Error(`${what} left behind:\n  ${leftovers.join('\n  ')}`);
}

/**
 * The entries of the temp directory that this process's tests named after its pid (`<prefix>-<pid>-<random>`,
 * the convention of every test here) and did not remove. For an afterAll, once the whole file is done.
 */
export function tempEntriesOfThisProcess(): string[] {
  const tag = `-${process.pid}-`;
  return readdirSync(tmpdir())
    .filter((e) => e.includes(tag))
    .map((e) => `temp entry ${join(tmpdir(), e)}`);
}
