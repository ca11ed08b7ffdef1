/** One regular file of a cpio archive. */
export interface CpioFile {
  /** The path inside the archive, without a leading slash (`init`). */
  name: string;
  data: Buffer;
  /** Permission bits (0o755 for a program). */
  mode: number;
}

const pad4 = (n: number): Buffer => Buffer.alloc((4 - (n % 4)) % 4);

function entry(name: string, mode: number, data: Buffer, ino: number): Buffer {
  const nameBytes = Buffer.from(`${name}\0`);
  // newc: the magic, then 13 fields of 8 hex digits; header plus name, and the data, each padded to 4 bytes.
  const fields = [ino, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, nameBytes.length, 0];
  const header = Buffer.from(`070701${fields.map((f) => f.toString(16).padStart(8, '0')).join('')}`);
  return Buffer.concat([header, nameBytes, pad4(header.length + nameBytes.length), data, pad4(data.length)]);
}

/**
 * An uncompressed cpio archive in the `newc` format the kernel unpacks an initramfs from: enough to lay a few
 * files over an existing initramfs (the kernel unpacks archives appended to it in order, a later file replacing
 * an earlier one), without a staging directory or the cpio program.
 */
export function newcArchive(files: readonly CpioFile[]): Buffer {
  const parts = files.map((f, i) => entry(f.name, 0o100000 | f.mode, f.data, i + 1));
  parts.push(entry('TRAILER!!!', 0, Buffer.alloc(0), 0));
  return Buffer.concat(parts);
}

/**
 * `initrd` with `archive` appended: the kernel looks for each following archive at a 4-byte boundary, so the
 * first is padded to one with zeros (which it skips).
 */
export function appendToInitrd(initrd: Buffer, archive: Buffer): Buffer {
  return Buffer.concat([initrd, pad4(initrd.length), archive]);
}
