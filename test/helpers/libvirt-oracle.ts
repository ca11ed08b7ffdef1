import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { openConnection, type Domain } from '../../src/index.js';
import { VirError } from '../../src/errors.js';
import { DOMAIN_XML_INACTIVE } from '../../src/flags.js';
import { TypedParameterType, type TypedParameterInput } from '../../src/typed-params/types.js';

/** Which parameters `set`, `get` and `count` are about: memory's (the default) or blkio's. */
export type ParamFamily = 'memory' | 'blkio';

/**
 * One call in a differential case; values travel as decimal strings so 64-bit numbers survive JSON (a STRING
 * parameter's value is the string itself).
 */
export type Step =
  | { op: 'set'; dom?: string; family?: ParamFamily; params: [field: string, type: number, value: string][]; flags: number }
  | { op: 'get'; dom?: string; family?: ParamFamily; flags: number }
  | { op: 'count' | 'xml'; dom?: string; flags: number }
  | { op: 'setmem'; dom?: string; kib: number; flags: number }
  | { op: 'create' | 'destroy' | 'undefine'; dom?: string }
  | { op: 'define' | 'createXML'; xml: string }
  /** The scheduler: `flags` undefined is the flagless virDomainGet/SetSchedulerParameters. */
  | { op: 'stype'; dom?: string }
  | { op: 'sget'; dom?: string; flags?: number }
  | { op: 'sset'; dom?: string; params: [field: string, type: number, value: string][]; flags?: number }
  /** Define, dump the inactive XML, undefine: the XML libvirt keeps of a definition. */
  | { op: 'kept'; xml: string };

type Result = null | number | string | [string, number, string][] | [string, number];

/** What one step did: a result, or libvirt's error (code, domain, level, message). */
export type Outcome =
  | { ok: Result }
  | { error: { code: number; domain: number; level: number; message: string } };

const ORACLE = fileURLToPath(new URL('./libvirt-oracle.py', import.meta.url));
const BINDING_ORACLE = fileURLToPath(new URL('./libvirt-binding-oracle.py', import.meta.url));

/** Runs the cases against libvirt's test driver (each on a fresh test:///default connection). */
export function runOnLibvirt(cases: Step[][]): Outcome[][] {
  const out = execFileSync('/usr/bin/python3', [ORACLE], {
    input: JSON.stringify({ cases }),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as Outcome[][];
}

function toInput([field, type, value]: [string, number, string]): TypedParameterInput {
  if (type === TypedParameterType.STRING) return { field, type, value };
  const big = type === TypedParameterType.LLONG || type === TypedParameterType.ULLONG;
  return { field, type, value: big ? BigInt(value) : Number(value) } as TypedParameterInput;
}

async function runStep(conn: Awaited<ReturnType<typeof openConnection>>, doms: Map<string, Domain>, step: Step): Promise<Result> {
  if (step.op === 'define') {
    await conn.defineDomainXML(step.xml);
    return null;
  }
  if (step.op === 'kept') {
    const dom = await conn.defineDomainXML(step.xml);
    const xml = await dom.getXMLDesc(DOMAIN_XML_INACTIVE);
    await dom.undefine();
    return xml;
  }
  if (step.op === 'createXML') {
    await conn.createDomainXML(step.xml);
    return null;
  }
  const name = ('dom' in step ? step.dom : undefined) ?? 'test';
  let dom = doms.get(name);
  if (!dom) {
    dom = await conn.lookupDomainByName(name);
    doms.set(name, dom);
  }
  switch (step.op) {
    case 'set':
      if (step.family === 'blkio') await dom.setBlkioParameters(step.params.map(toInput), step.flags);
      else await dom.setMemoryParameters(step.params.map(toInput), step.flags);
      return null;
    case 'get': {
      const params = step.family === 'blkio' ? await dom.getBlkioParameters(step.flags) : await dom.getMemoryParameters(step.flags);
      return params.map((p): [string, number, string] => [p.field, p.type, String(p.value)]);
    }
    case 'stype': {
      const t = await dom.getSchedulerType();
      return [t.type, t.nparams];
    }
    case 'sget':
      return (await dom.getSchedulerParameters(step.flags)).map((p): [string, number, string] => [p.field, p.type, String(p.value)]);
    case 'sset':
      await dom.setSchedulerParameters(step.params.map(toInput), step.flags);
      return null;
    case 'xml':
      return dom.getXMLDesc(step.flags);
    case 'count':
      return dom.getMemoryParameterCount(step.flags);
    case 'setmem':
      await dom.setMemory(step.kib, step.flags);
      return null;
    case 'create':
      await dom.create();
      return null;
    case 'destroy':
      await dom.destroy();
      return null;
    case 'undefine':
      await dom.undefine();
      return null;
  }
}

/** What a call did, as the binding oracle reports it: its result, or the VirError's code, domain, level, message. */
export type CallOutcome = { ok: unknown } | { error: { code: number; domain: number; level: number; message: string } };

/** A VirError as an outcome (code, domain, level, message); anything else is rethrown: a bug, not an answer. */
export function errorOutcome(e: unknown): { error: { code: number; domain: number; level: number; message: string } } {
  if (!(e instanceof VirError)) throw e;
  return { error: { code: e.code, domain: e.domain, level: e.level, message: e.message } };
}

/** Runs `calls` in order on virtune, each one's outcome recorded; a VirError does not stop the next call. */
export async function outcomesOf(calls: readonly (() => Promise<unknown>)[]): Promise<CallOutcome[]> {
  const out: CallOutcome[] = [];
  for (const call of calls) {
    try {
      out.push({ ok: await call() });
    } catch (e) {
      out.push(errorOutcome(e));
    }
  }
  return out;
}

/**
 * Runs `cases` through python3-libvirt (libvirt-binding-oracle.py) and each on virtune with `onVirtune`, and
 * expects the same outcomes, case by case (a failure names the case). Returns libvirt's outcomes, for checking
 * that they cover what the test means to cover.
 */
export async function expectSameAsBinding<C>(cases: readonly C[], onVirtune: (c: C) => Promise<CallOutcome[]>): Promise<CallOutcome[][]> {
  const input = JSON.stringify({ cases });
  const theirs = JSON.parse(execFileSync('/usr/bin/python3', [BINDING_ORACLE], { input, encoding: 'utf8', maxBuffer: 64 << 20 })) as CallOutcome[][];
  for (let i = 0; i < cases.length; i++) {
    expect({ case: cases[i], outcome: await onVirtune(cases[i]!) }).toEqual({ case: cases[i], outcome: theirs[i] });
  }
  return theirs;
}

/** Runs the same cases against virtune's test driver. */
export async function runOnVirtune(cases: Step[][]): Promise<Outcome[][]> {
  const results: Outcome[][] = [];
  for (const steps of cases) {
    const conn = await openConnection('test:///default');
    const doms = new Map<string, Domain>();
    const outcomes: Outcome[] = [];
    for (const step of steps) {
      try {
        outcomes.push({ ok: await runStep(conn, doms, step) });
      } catch (e) {
        outcomes.push(errorOutcome(e));
      }
    }
    await conn.close();
    results.push(outcomes);
  }
  return results;
}

/**
 * Runs `cases` on libvirt's test driver and on virtune's and expects the same outcomes, case by case (a failure
 * names the case's steps). Returns libvirt's outcomes, for checking that they cover what the test means to cover.
 */
export async function expectSameOutcomes(cases: Step[][]): Promise<Outcome[][]> {
  const theirs = runOnLibvirt(cases);
  const ours = await runOnVirtune(cases);
  for (let i = 0; i < cases.length; i++) expect({ case: cases[i], outcome: ours[i] }).toEqual({ case: cases[i], outcome: theirs[i] });
  return theirs;
}

/** What libvirt's test driver made of one domain document: the XML it keeps, or its error. */
export type Kept = { ok: true; xml: string } | { ok: false; code: number; domain: number; message: string };

/** Defines each document in libvirt's test driver (one connection) and reports what libvirt kept of it. */
export function keptByLibvirt(xmls: readonly string[]): Kept[] {
  const [outcomes] = runOnLibvirt([xmls.map((xml) => ({ op: 'kept', xml }) as const)]);
  return outcomes!.map((o) =>
    'ok' in o ? { ok: true, xml: o.ok as string } : { ok: false, code: o.error.code, domain: o.error.domain, message: o.error.message },
  );
}
