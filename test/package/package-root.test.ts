// Cross-cutting suite (test/package/): the package as a user installs it (the built dist/ and package.json).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkedPackageDir } from '../helpers/package-link.js';

/**
 * What an application gets from `import ... from 'virtune'` (the built package, through its exports map): the
 * whole surface issue 3 names, with libvirt's numbers.
 */

const CONNECTION_METHODS = ['lookupDomainByName', 'lookupDomainByUUID', 'lookupDomainByID', 'listAllDomains', 'defineDomainXML', 'createDomainXML', 'close'];
const DOMAIN_METHODS = [
  'create', 'destroy', 'shutdown', 'undefine', 'getXMLDesc', 'getInfo', 'getState', 'setMemory', 'setMaxMemory',
  'setMemoryParameters', 'getMemoryParameters', 'getMemoryParameterCount',
];

const SCRIPT = `
import * as v from 'virtune';
import { openConnection, TypedParameterType, DOMAIN_AFFECT_LIVE } from 'virtune';
const conn = await openConnection('test:///default');
const dom = await conn.lookupDomainByName('test');
await dom.setMemoryParameters([{ field: v.MEMORY_HARD_LIMIT, type: TypedParameterType.ULLONG, value: 1024 }], DOMAIN_AFFECT_LIVE);
const missing = (o, names) => names.filter((n) => typeof o[n] !== 'function');
console.log(JSON.stringify({
  conn: conn instanceof v.Connection, dom: dom instanceof v.Domain,
  connMissing: missing(conn, ${JSON.stringify(CONNECTION_METHODS)}),
  domMissing: missing(dom, ${JSON.stringify(DOMAIN_METHODS)}),
  flags: [v.DOMAIN_AFFECT_CURRENT, v.DOMAIN_AFFECT_LIVE, v.DOMAIN_AFFECT_CONFIG, v.TYPED_PARAM_STRING_OKAY, v.DOMAIN_MEM_MAXIMUM, v.DOMAIN_XML_INACTIVE, v.CONNECT_RO],
  types: [v.TypedParameterType.INT, v.TypedParameterType.UINT, v.TypedParameterType.LLONG, v.TypedParameterType.ULLONG,
    v.TypedParameterType.DOUBLE, v.TypedParameterType.BOOLEAN, v.TypedParameterType.STRING],
  names: [v.MEMORY_HARD_LIMIT, v.MEMORY_SOFT_LIMIT, v.MEMORY_SWAP_HARD_LIMIT, v.MEMORY_MIN_GUARANTEE, v.MEMORY_SWAP_SOFT_LIMIT],
  unlimited: v.UNLIMITED === 9007199254740991n && v.MEMORY_PARAM_UNLIMITED === v.UNLIMITED,
  codes: [v.ErrorCode.NO_SUPPORT, v.ErrorCode.INVALID_ARG, v.ErrorCode.NO_DOMAIN, v.ErrorCode.OPERATION_INVALID, v.ErrorCode.ARGUMENT_UNSUPPORTED],
  levels: [v.ErrorLevel.NONE, v.ErrorLevel.WARNING, v.ErrorLevel.ERROR],
  functions: ['registerDriver', 'validateTypedParams', 'getTypedParam', 'addTypedParam', 'filterTypedParams',
    'typedParamsToRecord', 'typedParamsFromRecord', 'getTypedParamValue', 'parseMemoryParams', 'mergeMemTune',
    'openUnsupportedDriver', 'withoutMemoryTuning', 'isVirError'].filter((n) => typeof v[n] !== 'function'),
  hard: String((await dom.getMemoryParameters(DOMAIN_AFFECT_LIVE))[0].value),
  count: await dom.getMemoryParameterCount(),
}));
await conn.close();
`;

let link: ReturnType<typeof linkedPackageDir>;
beforeAll(() => {
  link = linkedPackageDir('root');
  writeFileSync(join(link.dir, 'app.mjs'), SCRIPT);
});
afterAll(() => link.remove());

describe("import from 'virtune' (the built package)", () => {
  it('exports the connection and domain surface, the constants and the helpers', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['app.mjs'], { cwd: link.dir, encoding: 'utf8' }));
    expect(out).toEqual({
      conn: true,
      dom: true,
      connMissing: [],
      domMissing: [],
      flags: [0, 1, 2, 4, 4, 2, 1],
      types: [1, 2, 3, 4, 5, 6, 7],
      names: ['hard_limit', 'soft_limit', 'swap_hard_limit', 'min_guarantee', 'swap_soft_limit'],
      unlimited: true,
      codes: [3, 8, 42, 55, 74],
      levels: [0, 1, 2],
      functions: [],
      hard: '1024',
      count: 3,
    });
  });
});
