/**
 * Cuts a byte stream into libvirt RPC messages: each begins with a 4-byte big-endian length that counts itself,
 * the 24-byte header and the payload. A length below the header's size or above {@link MESSAGE_MAX} means the peer
 * is broken or hostile; libvirt drops such a connection, and so does the client that uses this — after the
 * messages that came whole before it, which are as good as any (replies to calls in flight among them).
 */
import { HEADER_SIZE, LENGTH_WORD, MESSAGE_MAX } from './protocol.js';
import { XdrError } from './xdr.js';

export class FrameDecoder {
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** The length of the message being assembled, once its length word is in. */
  #want = 0;
  #failure: XdrError | undefined;

  constructor(private readonly maxMessage = MESSAGE_MAX) {}

  /** Bytes received and not yet part of a complete message. */
  get pending(): number {
    return this.#buffered;
  }

  /** Set once a length word was impossible: the stream cannot be resynchronised after that. */
  get failure(): XdrError | undefined {
    return this.#failure;
  }

  /**
   * Adds received bytes; returns the complete messages (each without its length word) in order, up to the first
   * impossible length word, which sets {@link failure} (and nothing is returned after it).
   */
  push(chunk: Buffer): Buffer[] {
    if (this.#failure) return [];
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const out: Buffer[] = [];
    for (;;) {
      if (this.#want === 0) {
        if (this.#buffered < LENGTH_WORD) break;
        const len = this.#peekLength();
        if (len < LENGTH_WORD + HEADER_SIZE) {
          this.#failure = new XdrError(`packet ${len} bytes received from server too small, want ${LENGTH_WORD + HEADER_SIZE}`);
        } else if (len > LENGTH_WORD + this.maxMessage) {
          this.#failure = new XdrError(`packet ${len} bytes received from server too large, want ${LENGTH_WORD + this.maxMessage}`);
        }
        if (this.#failure) {
          this.#chunks = [];
          this.#buffered = 0;
          break;
        }
        this.#want = len;
      }
      if (this.#buffered < this.#want) break;
      const whole = this.#take(this.#want);
      this.#want = 0;
      out.push(whole.subarray(LENGTH_WORD));
    }
    return out;
  }

  #peekLength(): number {
    const first = this.#chunks[0]!;
    if (first.length >= LENGTH_WORD) return first.readUInt32BE(0);
    const joined = Buffer.concat(this.#chunks);
    this.#chunks = [joined];
    return joined.readUInt32BE(0);
  }

  #take(n: number): Buffer {
    const first = this.#chunks[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
    } else {
      const joined = Buffer.concat(this.#chunks);
      out = joined.subarray(0, n);
      this.#chunks = joined.length > n ? [joined.subarray(n)] : [];
    }
    this.#buffered -= n;
    return out;
  }
}
