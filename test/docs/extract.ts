import { readFileSync, readdirSync } from 'node:fs';
import ts from 'typescript';
import { join } from 'node:path';
import type { Prereq } from '../helpers/prereq.js';
import { PACKAGE_ROOT } from '../helpers/package-link.js';

/**
 * The examples of the documentation, read from the Markdown the way a reader sees them. A library example is a
 * ```ts or ```js block (its output: the ```text block after an `Output…:` line); a CLI example is a ```console
 * block of `$ command` lines, each followed by what it prints. An HTML comment on the line(s) just before a block
 * can say `<!-- example: not-run (reason) -->` (the tests skip and count it) or
 * `<!-- example: needs root, unshare -->` (the tests run it only where those prerequisites exist).
 */

/** How a user's strict TypeScript project (nodenext) checks an example against the built package. */
export const USER_COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  skipLibCheck: true,
  types: ['node'],
  typeRoots: [join(PACKAGE_ROOT, 'node_modules/@types')],
};

/** Every document whose examples are held to the tests. */
export const DOC_FILES: readonly string[] = [
  ...readdirSync(join(PACKAGE_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
  'README.md',
];

/** What the marks before a block say about running it. */
export interface ExampleMarks {
  /** Why the example is not run, when it is marked so. */
  notRun?: string;
  /** Prerequisites the example needs to run. */
  needs: Prereq[];
}

/** A library example. */
export interface CodeExample extends ExampleMarks {
  name: string;
  code: string;
  output: string | undefined;
}

/** One `$ command` line of a CLI example and what it prints (stdout and stderr as a terminal shows them). */
export interface CliStep {
  command: string;
  output: string;
}

/** A CLI example: a ```console block. */
export interface CliExample extends ExampleMarks {
  name: string;
  steps: CliStep[];
}

const FENCE = '```';

function read(doc: string): string {
  return readFileSync(join(PACKAGE_ROOT, doc), 'utf8');
}

/** The `<!-- example: ... -->` comments directly above the block that starts at `index`. */
function marksBefore(text: string, index: number): ExampleMarks {
  const before = text.slice(0, index).split('\n').slice(0, -1);
  const marks: ExampleMarks = { needs: [] };
  for (let i = before.length - 1; i >= 0; i--) {
    const m = /^<!-- example: (not-run|needs) (.*?) ?-->$/.exec(before[i]!.trim());
    if (!m) break;
    if (m[1] === 'not-run') marks.notRun = /^\((.+)\)$/.exec(m[2]!)?.[1] ?? '';
    else marks.needs.push(...(m[2]!.split(/[,\s]+/).filter(Boolean) as Prereq[]));
  }
  return marks;
}

/** The library examples of one document. */
export function codeExamples(doc: string): CodeExample[] {
  const text = read(doc);
  const re = new RegExp(`^${FENCE}(?:ts|js)\\n([\\s\\S]*?)\\n${FENCE}(?:\\n+Output[^\\n]*:\\n+${FENCE}text\\n([\\s\\S]*?)\\n${FENCE})?`, 'gm');
  return [...text.matchAll(re)].map((m, i) => ({
    name: `${doc} #${i + 1}`,
    code: m[1]!,
    output: m[2],
    ...marksBefore(text, m.index),
  }));
}

/** Splits a console block into its `$ ` commands and their output. */
export function parseConsole(body: string): CliStep[] {
  const steps: CliStep[] = [];
  for (const line of body.split('\n')) {
    if (line.startsWith('$ ')) steps.push({ command: line.slice(2), output: '' });
    else if (steps.length > 0) steps[steps.length - 1]!.output += `${line}\n`;
    else throw new Error(`console block does not start with a "$ " line: ${line}`);
  }
  return steps;
}

/** The CLI examples of one document. */
export function cliExamples(doc: string): CliExample[] {
  const text = read(doc);
  const re = new RegExp(`^${FENCE}console\\n([\\s\\S]*?)\\n${FENCE}`, 'gm');
  return [...text.matchAll(re)].map((m, i) => ({
    name: `${doc} console #${i + 1}`,
    steps: parseConsole(m[1]!),
    ...marksBefore(text, m.index),
  }));
}

/** How many `<!-- example: not-run -->` marks the documents hold, to compare with the examples skipped. */
export function notRunMarkCount(): number {
  return DOC_FILES.reduce((n, doc) => n + (read(doc).match(/^<!-- example: not-run /gm)?.length ?? 0), 0);
}
