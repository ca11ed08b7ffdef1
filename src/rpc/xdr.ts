/**
 * XDR (RFC 4506), the encoding of every libvirt RPC message: big-endian 4-byte units, 8-byte hypers, strings and
 * opaque data padded to a multiple of 4. Only the parts libvirt's protocol uses are here.
 *
 * A reader never trusts a length it reads: every variable-length item is checked against the caller's limit and
 * against the bytes left before anything is allocated, so a hostile peer cannot make it allocate or loop.
 */

/** Thrown by {@link XdrReader} when the bytes do not hold what the protocol says they must. */
export class XdrError extends Error {
  override readonly name = 'XdrError';
}

const pad = (n: number): number => (4 - (n % 4)) % 4;
const INT32_MIN = -0x8000_0000;
const UINT32_MAX = 0xffff_ffff;
const HYPER_MIN = -(1n << 63n);
const HYPER_MAX = (1n << 63n) - 1n;
const UHYPER_MAX = (1n << 64n) - 1n;

/** Appends XDR items to a growing buffer. */
export class XdrWriter {
  #buf: Buffer;
  #pos = 0;

  constructor(initialSize = 256) {
    this.#buf = Buffer.allocUnsafe(initialSize);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#pos;
  }

  /** A copy-free view of what was written. */
  finish(): Buffer {
    return this.#buf.subarray(0, this.#pos);
  }

  #room(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }

  int(v: number): this {
    if (!Number.isInteger(v) || v < INT32_MIN || v > 0x7fff_ffff) throw new RangeError(`XDR int out of range: ${v}`);
    this.#room(4);
    this.#buf.writeInt32BE(v, this.#pos);
    this.#pos += 4;
    return this;
  }

  uint(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > UINT32_MAX) throw new RangeError(`XDR unsigned int out of range: ${v}`);
    this.#room(4);
    this.#buf.writeUInt32BE(v, this.#pos);
    this.#pos += 4;
    return this;
  }

  /** Overwrites a 4-byte unsigned value written earlier (the frame's length word). */
  patchUint(offset: number, v: number): this {
    this.#buf.writeUInt32BE(v, offset);
    return this;
  }

  hyper(v: bigint): this {
    if (v < HYPER_MIN || v > HYPER_MAX) throw new RangeError(`XDR hyper out of range: ${v}`);
    this.#room(8);
    this.#buf.writeBigInt64BE(v, this.#pos);
    this.#pos += 8;
    return this;
  }

  uhyper(v: bigint): this {
    if (v < 0n || v > UHYPER_MAX) throw new RangeError(`XDR unsigned hyper out of range: ${v}`);
    this.#room(8);
    this.#buf.writeBigUInt64BE(v, this.#pos);
    this.#pos += 8;
    return this;
  }

  double(v: number): this {
    this.#room(8);
    this.#buf.writeDoubleBE(v, this.#pos);
    this.#pos += 8;
    return this;
  }

  bool(v: boolean): this {
    return this.int(v ? 1 : 0);
  }

  /** Fixed-length opaque data: exactly `length` bytes, padded. */
  fixedOpaque(data: Uint8Array, length: number): this {
    if (data.length !== length) throw new RangeError(`XDR opaque[${length}] given ${data.length} bytes`);
    this.#room(length + pad(length));
    this.#buf.set(data, this.#pos);
    this.#pos += length;
    this.#zeros(pad(length));
    return this;
  }

  /** Variable-length opaque data: a length, the bytes, padding. */
  opaque(data: Uint8Array, max: number): this {
    if (data.length > max) throw new RangeError(`XDR opaque of ${data.length} bytes exceeds its limit of ${max}`);
    this.uint(data.length);
    this.#room(data.length + pad(data.length));
    this.#buf.set(data, this.#pos);
    this.#pos += data.length;
    this.#zeros(pad(data.length));
    return this;
  }

  /** A string as UTF-8 bytes, at most `max` bytes. */
  string(s: string, max: number): this {
    const bytes = Buffer.byteLength(s, 'utf8');
    if (bytes > max) throw new RangeError(`XDR string of ${bytes} bytes exceeds its limit of ${max}`);
    this.uint(bytes);
    this.#room(bytes + pad(bytes));
    this.#buf.write(s, this.#pos, 'utf8');
    this.#pos += bytes;
    this.#zeros(pad(bytes));
    return this;
  }

  /** XDR's optional data (`T *x`): a boolean, then the item when present. */
  optional<T>(v: T | undefined | null, write: (w: XdrWriter, v: T) => void): this {
    if (v === undefined || v === null) return this.bool(false);
    this.bool(true);
    write(this, v);
    return this;
  }

  /** A variable-length array `T x<max>`. */
  array<T>(items: readonly T[], max: number, write: (w: XdrWriter, v: T) => void): this {
    if (items.length > max) throw new RangeError(`XDR array of ${items.length} items exceeds its limit of ${max}`);
    this.uint(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  #zeros(n: number): void {
    for (let i = 0; i < n; i++) this.#buf[this.#pos++] = 0;
  }
}

/** Reads XDR items from a buffer, checking every length against a limit and against what is left. */
export class XdrReader {
  #pos: number;

  constructor(
    private readonly buf: Buffer,
    offset = 0,
  ) {
    this.#pos = offset;
  }

  get offset(): number {
    return this.#pos;
  }

  get remaining(): number {
    return this.buf.length - this.#pos;
  }

  #need(n: number, what: string): void {
    if (this.#pos + n > this.buf.length) {
      throw new XdrError(`truncated data: ${what} needs ${n} bytes, ${this.remaining} left`);
    }
  }

  /** Reads one fixed-size item at the current position and moves past it. */
  #fixed<T>(size: number, what: string, read: (buf: Buffer, at: number) => T): T {
    this.#need(size, what);
    const v = read(this.buf, this.#pos);
    this.#pos += size;
    return v;
  }

  int(): number {
    return this.#fixed(4, 'int', (b, at) => b.readInt32BE(at));
  }

  uint(): number {
    return this.#fixed(4, 'unsigned int', (b, at) => b.readUInt32BE(at));
  }

  hyper(): bigint {
    return this.#fixed(8, 'hyper', (b, at) => b.readBigInt64BE(at));
  }

  uhyper(): bigint {
    return this.#fixed(8, 'unsigned hyper', (b, at) => b.readBigUInt64BE(at));
  }

  double(): number {
    return this.#fixed(8, 'double', (b, at) => b.readDoubleBE(at));
  }

  /** XDR booleans are 0 or 1; anything else is a broken message. */
  bool(): boolean {
    const v = this.int();
    if (v !== 0 && v !== 1) throw new XdrError(`invalid boolean ${v}`);
    return v === 1;
  }

  fixedOpaque(length: number): Buffer {
    this.#need(length + pad(length), `opaque[${length}]`);
    const v = Buffer.from(this.buf.subarray(this.#pos, this.#pos + length));
    this.#pos += length + pad(length);
    return v;
  }

  #length(max: number, what: string): number {
    const n = this.uint();
    if (n > max) throw new XdrError(`${what} of ${n} bytes exceeds its limit of ${max}`);
    this.#need(n + pad(n), what);
    return n;
  }

  opaque(max: number): Buffer {
    const n = this.#length(max, 'opaque');
    const v = Buffer.from(this.buf.subarray(this.#pos, this.#pos + n));
    this.#pos += n + pad(n);
    return v;
  }

  string(max: number): string {
    const n = this.#length(max, 'string');
    const v = this.buf.toString('utf8', this.#pos, this.#pos + n);
    this.#pos += n + pad(n);
    return v;
  }

  optional<T>(read: (r: XdrReader) => T): T | undefined {
    return this.bool() ? read(this) : undefined;
  }

  array<T>(max: number, read: (r: XdrReader) => T): T[] {
    const n = this.uint();
    if (n > max) throw new XdrError(`array of ${n} items exceeds its limit of ${max}`);
    // Every item takes at least 4 bytes: a count larger than what is left cannot be real.
    if (n * 4 > this.remaining) throw new XdrError(`truncated data: array of ${n} items, ${this.remaining} bytes left`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(read(this));
    return out;
  }

  /** Fails unless every byte was consumed: trailing bytes mean the two sides disagree on the layout. */
  end(): void {
    if (this.remaining !== 0) throw new XdrError(`${this.remaining} unexpected trailing bytes`);
  }
}
