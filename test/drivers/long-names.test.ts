// Names at the documented limit (MAX_DOMAIN_NAME_BYTES, in UTF-8 bytes) on the drivers that keep files: every
// name the parser accepts can be defined, found again by a new connection on the same root, and undefined.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../src/index.js';
import { MAX_DOMAIN_NAME_BYTES } from '../../src/xml/limits.js';
import { skipUnless } from '../helpers/prereq.js';
import { makeLxcEnv } from './lxc/harness.js';
import { lxcXML } from './lxc/container-xml.js';
import { ErrorCode } from '../../src/errors.js';
import { rejection } from '../helpers/vir-error.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const xmlOf = (type: string, osType: string, name: string): string =>
  `<domain type='${type}'><name>${esc(name)}</name><memory>262144</memory><os><type>${osType}</type></os></domain>`;

/** Names of exactly the limit in bytes, ASCII and multibyte, including ones percent-encoding makes 3x longer. */
const AT_LIMIT = [
  'a'.repeat(MAX_DOMAIN_NAME_BYTES),
  '#'.repeat(MAX_DOMAIN_NAME_BYTES),
  '%'.repeat(MAX_DOMAIN_NAME_BYTES),
  '中'.repeat(66) + 'ab',
  '😀'.repeat(50),
  'é'.repeat(100),
];
/** The cases of the report: past 255 bytes once percent-encoded and suffixed. */
const REPORTED = ['#'.repeat(78), '中'.repeat(26)];

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe.skipIf(skipUnless('root', 'cgroup-v1-memory')).each([
  ['lxc', 'lxc', 'exe'],
  ['qemu', 'qemu', 'hvm'],
])('%s roots take every name up to %#', (scheme, type, osType) => {
  const root = mkdtempSync(join(tmpdir(), `virtune-names-${scheme}-${process.pid}-`));
  roots.push(root);
  const uri = `${scheme}:///embed?root=${encodeURIComponent(root)}`;

  it('defines, reopens and undefines names at the byte limit', async () => {
    const names = [...REPORTED, ...AT_LIMIT];
    for (const n of AT_LIMIT) expect(Buffer.byteLength(n)).toBe(MAX_DOMAIN_NAME_BYTES);
    const conn = await openConnection(uri);
    try {
      for (const n of names) expect((await conn.defineDomainXML(xmlOf(type, osType, n))).name).toBe(n);
    } finally {
      await conn.close();
    }
    const again = await openConnection(uri);
    try {
      const found = (await again.listAllDomains()).map((d) => d.name).sort();
      expect(found).toEqual([...names].sort());
      for (const n of names) await (await again.lookupDomainByName(n)).undefine();
      expect(readdirSync(join(root, 'etc', scheme))).toEqual([]);
    } finally {
      await again.close();
    }
  });

  it('refuses one byte more, with the documented error', async () => {
    const conn = await openConnection(uri);
    try {
      for (const n of ['a'.repeat(MAX_DOMAIN_NAME_BYTES + 1), '中'.repeat(67)]) {
        const e = await rejection(conn.defineDomainXML(xmlOf(type, osType, n)));
        expect(e.code).toBe(ErrorCode.XML_ERROR);
        expect(e.message).toMatch(/name is too long: 201 bytes, at most 200 allowed/);
      }
    } finally {
      await conn.close();
    }
  });
});

describe.skipIf(skipUnless('root', 'cgroup-v1-memory', 'unshare'))('a container with a name at the limit', () => {
  it('starts in its cgroup (cgroupfs takes directory names over 255 bytes) and stops', async () => {
    const env = makeLxcEnv();
    const conn = await openConnection(env.uri);
    try {
      for (const name of ['#'.repeat(MAX_DOMAIN_NAME_BYTES), '中'.repeat(66) + 'ab']) {
        const dom = await conn.defineDomainXML(lxcXML(name, 'sleep 600'));
        await dom.create();
        expect((await dom.getInfo()).state).toBe(1);
        await dom.destroy();
        await dom.undefine();
      }
    } finally {
      await conn.close();
      await env.cleanup();
    }
  });
});
