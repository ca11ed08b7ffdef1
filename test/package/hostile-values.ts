// Hostile arguments for any function: wrong types, objects whose every read can throw or answer differently,
// huge and sparse arrays, bigint where a number belongs and back, and valid values with one part made hostile.
import fc from 'fast-check';

const boom = (what: string) => (): never => {
  throw new RangeError(`hostile ${what}`);
};

/** A Proxy whose every trap throws: reading anything of it, even its prototype or its keys, fails. */
function throwingProxy(target: object): object {
  const handler: ProxyHandler<object> = {};
  for (const trap of ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'set', 'defineProperty', 'deleteProperty', 'apply', 'construct', 'isExtensible', 'preventExtensions', 'setPrototypeOf'] as const) {
    (handler as Record<string, unknown>)[trap] = boom(trap);
  }
  return new Proxy(target, handler);
}

/** An object whose property `key` answers `first` on the first read and `later` afterwards. */
function changing(target: Record<string, unknown>, key: string, first: unknown, later: () => unknown): object {
  let reads = 0;
  Object.defineProperty(target, key, { enumerable: true, configurable: true, get: () => (reads++ === 0 ? first : later()) });
  return target;
}

/** Fresh values on each call: several of them keep state (a getter counting its reads). */
export const HOSTILE_LEAVES: Record<string, () => unknown> = {
  undefined: () => undefined,
  null: () => null,
  zero: () => 0,
  'negative zero': () => -0,
  'minus one': () => -1,
  fraction: () => 1.5,
  NaN: () => NaN,
  Infinity: () => Infinity,
  '2^53': () => 2 ** 53,
  '2^64 as number': () => 2 ** 64,
  'bigint 1': () => 1n,
  'bigint -1': () => -1n,
  'bigint UNLIMITED': () => 9007199254740991n,
  'bigint 2^64': () => 2n ** 64n,
  'bigint -2^70': () => -(2n ** 70n),
  'empty string': () => '',
  'string with NUL': () => 'a\0b',
  'lone surrogate': () => '\ud800x',
  'long string': () => 'x'.repeat(200_000),
  'numeric string': () => '1024',
  uri: () => 'test:///default',
  'domain name': () => 'test',
  'memtune xml': () => "<memtune><hard_limit unit='KiB'>5</hard_limit></memtune>",
  'unclosed memtune': () => '<memtune><hard_limit>5',
  'domain xml': () => "<domain type='test'><name>h</name><memory>1024</memory><os><type>hvm</type></os></domain>",
  symbol: () => Symbol('hostile'),
  true: () => true,
  'empty object': () => ({}),
  'empty array': () => [],
  'arrow function': () => () => undefined,
  'null prototype': () => Object.create(null) as object,
  'frozen object': () => Object.freeze({ field: 'hard_limit', type: 4, value: 1n }),
  'frozen array': () => Object.freeze([Object.freeze({ field: 'hard_limit', type: 4, value: 1n })]),
  'array without prototype': () => Object.setPrototypeOf([{ field: 'hard_limit', type: 4, value: 1n }], null) as unknown,
  'object with a Proxy prototype': () => Object.create(throwingProxy({})) as object,
  'invalid date': () => new Date(NaN),
  'regular expression': () => /x/g,
  map: () => new Map([['hard_limit', 1n]]),
  'Uint8Array': () => new Uint8Array([0x3c, 0x61, 0x2f, 0x3e]),
  'throwing toString': () => ({ toString: boom('toString'), childNodes: () => [] }),
  'throwing valueOf': () => ({ valueOf: boom('valueOf') }),
  'throwing toPrimitive': () => ({ [Symbol.toPrimitive]: boom('toPrimitive') }),
  'throwing toJSON': () => ({ toJSON: boom('toJSON') }),
  'throwing then': () => ({ then: boom('then') }),
  'throwing Proxy': () => throwingProxy({}),
  'throwing Proxy array': () => throwingProxy([{ field: 'hard_limit', type: 4, value: 1n }]),
  'throwing Proxy function': () => throwingProxy(() => undefined),
  'revoked Proxy': () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  'element whose text changes': () => changing({ childNodes: () => [] }, 'toString', () => '<memtune/>', () => () => '<memtune><hard_limit>5</hard_limit></memtune>'),
  'param whose value throws': () => [{ field: 'hard_limit', type: 4, get value(): never { throw new RangeError('hostile value'); } }],
  'param whose field changes': () => [changing({ type: 4, value: 1n }, 'field', 'hard_limit', () => throwingProxy({}))],
  'param whose type changes': () => [changing({ field: 'hard_limit', value: 1n }, 'type', 4, () => 7)],
  'params whose length changes': () => {
    let reads = 0;
    const list = [{ field: 'hard_limit', type: 4, value: 1n }];
    return new Proxy(list, { get: (t, k) => (k === 'length' ? (reads++ === 0 ? 1 : 2 ** 32 - 1) : Reflect.get(t, k)) });
  },
  'huge sparse array': () => Object.assign([], { length: 2 ** 32 - 1 }),
  'array-like of length 2^53-1': () => ({ length: 2 ** 53 - 1 }),
  '100,000 parameters': () => Array.from({ length: 100_000 }, () => ({ field: 'hard_limit', type: 4, value: 1n })),
  'valid parameters': () => [{ field: 'hard_limit', type: 4, value: 1048576n }],
  'number where bigint belongs': () => [{ field: 'hard_limit', type: 4, value: 1048576 }],
  'bigint flags': () => 1n,
};

/** Valid values of the shapes the API takes; a hostile case replaces one part of one of them. */
const TEMPLATES: Record<string, () => unknown> = {
  'typed parameters': () => [
    { field: 'hard_limit', type: 4, value: 1048576n },
    { field: 'soft_limit', type: 4, value: 9007199254740991n },
  ],
  memtune: () => ({ hardLimit: 1024n, softLimit: 9007199254740991n, minGuarantee: 0n, swapHardLimit: 9007199254740991n, swapSoftLimit: 9007199254740991n }),
  'domain definition': () => ({
    type: 'test', name: 'h', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', memoryKiB: 1024n, currentMemoryKiB: 1024n,
    vcpus: 1, os: { type: 'hvm' }, memtune: { hardLimit: 1024n, softLimit: 9007199254740991n, minGuarantee: 0n, swapHardLimit: 9007199254740991n, swapSoftLimit: 9007199254740991n },
  }),
  options: () => ({ flags: 0, validate: true, readonly: false, timeoutMs: 100, concurrency: 2, signal: undefined }),
  'host targets': () => [{ uri: 'test:///default', domain: 'test' }],
  record: () => ({ hard_limit: 1024n, soft_limit: 2048n }),
};

type Mode = 'replace' | 'throwing getter' | 'changing getter' | 'throwing Proxy' | 'frozen';

/** Every (object, key) pair inside `v`, parents first. */
function slots(v: unknown, out: Array<[Record<string, unknown>, string]> = []): Array<[Record<string, unknown>, string]> {
  if (v === null || typeof v !== 'object') return out;
  for (const key of Object.keys(v)) {
    out.push([v as Record<string, unknown>, key]);
    slots((v as Record<string, unknown>)[key], out);
  }
  return out;
}

function mutate(template: string, at: number, mode: Mode, leaf: string): unknown {
  const root = { value: TEMPLATES[template]!() };
  const all = slots(root);
  const [obj, key] = all[at % all.length]!;
  const hostile = HOSTILE_LEAVES[leaf]!;
  const old = obj[key];
  // A getter on the holder itself would throw here, in the test: the whole value becomes a Proxy instead.
  if (obj === root && (mode === 'throwing getter' || mode === 'changing getter')) mode = 'throwing Proxy';
  switch (mode) {
    case 'replace':
      obj[key] = hostile();
      break;
    case 'throwing getter':
      Object.defineProperty(obj, key, { enumerable: true, configurable: true, get: boom(`getter ${key}`) });
      break;
    case 'changing getter':
      changing(obj, key, old, hostile);
      break;
    case 'throwing Proxy':
      obj[key] = old !== null && typeof old === 'object' ? throwingProxy(old) : throwingProxy({});
      break;
    case 'frozen':
      if (old !== null && typeof old === 'object') Object.freeze(old);
      Object.freeze(obj);
      break;
  }
  return root.value;
}

/** One hostile argument and how to make it again (its description names the case in a failure). */
export interface HostileArg {
  describe: string;
  make: () => unknown;
}

const leafArb: fc.Arbitrary<HostileArg> = fc
  .constantFrom(...Object.keys(HOSTILE_LEAVES))
  .map((k) => ({ describe: k, make: HOSTILE_LEAVES[k]! }));

const mutantArb: fc.Arbitrary<HostileArg> = fc
  .record({
    template: fc.constantFrom(...Object.keys(TEMPLATES)),
    at: fc.nat(64),
    mode: fc.constantFrom<Mode>('replace', 'throwing getter', 'changing getter', 'throwing Proxy', 'frozen'),
    leaf: fc.constantFrom(...Object.keys(HOSTILE_LEAVES)),
  })
  .map(({ template, at, mode, leaf }) => ({
    describe: `${template} #${at} ${mode}${mode === 'replace' || mode === 'changing getter' ? ` (${leaf})` : ''}`,
    make: () => mutate(template, at, mode, leaf),
  }));

/** Up to four arguments, each a hostile leaf, a template made hostile in one place, or a valid template. */
export const hostileArgs: fc.Arbitrary<HostileArg[]> = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: leafArb },
    { weight: 3, arbitrary: mutantArb },
    { weight: 1, arbitrary: fc.constantFrom(...Object.keys(TEMPLATES)).map((k) => ({ describe: `valid ${k}`, make: TEMPLATES[k]! })) },
  ),
  { maxLength: 4 },
);

/** An object whose every property reads -0: an options bag whose every path, port and count is a Node 20 crasher. */
function everyFieldNegativeZero(): object {
  return new Proxy({}, { get: () => -0 });
}

/**
 * Values that end the Node 20 process itself once they reach node's fs — not an exception the guard could convert:
 * readFileSync(-0, 'utf8'), writeFileSync(-0, text) and appendFileSync(-0, text) fail a C++ assertion (abort), and
 * readFile(-1, 'utf8', cb) throws out of its callback. The property tries them first, for every function and method.
 */
const NODE_CRASHERS: Record<string, () => unknown> = {
  'negative zero': () => -0,
  'minus one': () => -1,
  'object whose every field is -0': everyFieldNegativeZero,
};

/**
 * The crashers in each argument position, the arguments before it `undefined` (so their defaults apply and the call
 * reaches the crasher): a future regression fails every run, not one in a few hundred.
 */
export const KNOWN_CRASHERS: HostileArg[][] = Object.entries(NODE_CRASHERS).flatMap(([describe, make]) =>
  [0, 1, 2, 3].map((position) => [
    ...Array.from({ length: position }, () => ({ describe: 'undefined', make: () => undefined })),
    { describe, make },
  ]),
);
