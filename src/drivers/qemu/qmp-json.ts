/**
 * JSON as QMP speaks it, with integers kept exact. QEMU prints uint64 values such as 18446744073709551615 (the
 * balloon's "no figure yet" stat); `JSON.parse` would turn them into the nearest double. Here an integer outside
 * ±(2^53-1) becomes a `bigint`; every other number stays a `number`.
 */

/** A value from QMP: JSON, with big integers as `bigint`. */
export type QmpValue = null | boolean | number | bigint | string | QmpValue[] | { [key: string]: QmpValue };

/** A JSON object from QMP. */
export type QmpObject = { [key: string]: QmpValue };

// Only integers of 16 digits or more can be unsafe; most QMP lines have none and take JSON.parse's fast path.
const LONG_DIGIT_RUN = /\d{16}/;

/**
 * Parses one JSON text exactly: integers beyond Number.MAX_SAFE_INTEGER come back as bigint.
 * @throws SyntaxError on malformed input, like JSON.parse.
 */
export function parseQmpJson(text: string): QmpValue {
  if (!LONG_DIGIT_RUN.test(text)) return JSON.parse(text) as QmpValue;
  return new ExactParser(text).parseDocument();
}

/** Serializes a value for QMP; a bigint is written as its digits, a double beyond 2^53 in exponent form. */
export function stringifyQmpJson(value: QmpValue | undefined): string {
  if (value === undefined) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`QMP cannot carry the number ${value}`);
    }
    // A double too big to be an exact integer keeps its exponent, so it reads back as a double, not a bigint.
    if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) return value.toExponential();
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => stringifyQmpJson(v)).join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${stringifyQmpJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** A number read from QMP as a bigint, whichever form it came in; undefined when it is not an integer. */
export function qmpBigInt(value: QmpValue | undefined): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return undefined;
}

class ExactParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseDocument(): QmpValue {
    this.skipSpace();
    const v = this.value();
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail('unexpected data after the JSON value');
    return v;
  }

  private value(): QmpValue {
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        return this.fail(c === undefined ? 'unexpected end of JSON input' : `unexpected token ${c}`);
    }
  }

  private object(): QmpObject {
    this.pos++;
    const out: QmpObject = {};
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('expected a property name');
      const key = this.string();
      this.skipSpace();
      this.expect(':');
      this.skipSpace();
      // defineProperty: a key named __proto__ must be data, as JSON.parse makes it.
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail('expected , or }');
    }
  }

  private array(): QmpValue[] {
    this.pos++;
    const out: QmpValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      out.push(this.value());
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail('expected , or ]');
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c === 0x22) break;
      if (c === 0x5c) this.pos++;
      else if (c < 0x20) this.fail('control character in string');
      this.pos++;
    }
    this.pos++;
    // The escapes are JSON's; let JSON.parse decode the one token.
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private number(): number | bigint {
    const m = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = this.pos;
    const r = m.exec(this.text);
    if (!r) return this.fail('malformed number');
    this.pos = m.lastIndex;
    const token = r[0];
    if (r[1] !== undefined || r[2] !== undefined) return Number(token);
    const n = Number(token);
    return Number.isSafeInteger(n) ? n : BigInt(token);
  }

  private literal<T extends QmpValue>(word: string, v: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`unexpected token ${this.text[this.pos]}`);
    this.pos += word.length;
    return v;
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) this.fail(`expected ${c}`);
    this.pos++;
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else return;
    }
  }

  private fail(why: string): never {
    throw new SyntaxError(`${why} in JSON at position ${this.pos}`);
  }
}
