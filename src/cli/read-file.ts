import { open } from 'node:fs/promises';
import { ErrorCode, ErrorDomain, VirError } from '../errors.js';

/** virsh's VSH_MAX_XML_FILE: the largest XML file it reads. */
const MAX_XML_FILE = 10 * 1024 * 1024;

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** glibc's strerror texts for the errors reading a file can meet. */
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EMFILE: 'Too many open files',
  EIO: 'Input/output error',
  ENXIO: 'No such device or address',
};

function systemError(what: string, path: string, e: unknown): VirError {
  const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
  return new VirError(ErrorCode.SYSTEM_ERROR, ErrorDomain.NONE, `${what} '${path}': ${STRERROR[code] ?? code}`, {
    errno: code,
    path,
    cause: e,
  });
}

/**
 * libvirt's virFileReadAll as virsh uses it: the whole file as text, with libvirt's messages
 * (`Failed to open file 'X': No such file or directory`, `Failed to read file 'X': Is a directory`). A file that
 * is not UTF-8 is an XML_ERROR, as libvirt's parser refuses it.
 */
export async function readXMLFile(path: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw systemError('Failed to open file', path, e);
  }
  try {
    const data = await handle.readFile();
    if (data.length > MAX_XML_FILE) {
      throw new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.NONE, `File '${path}' is too large`);
    }
    try {
      return STRICT_UTF8.decode(data);
    } catch {
      // Decoding leniently would define a domain from text that is not in the file (U+FFFD for each bad byte);
      // this is the library's own refusal of such bytes.
      throw new VirError(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, 'document is not valid UTF-8');
    }
  } catch (e) {
    if (e instanceof VirError) throw e;
    throw systemError('Failed to read file', path, e);
  } finally {
    await handle.close();
  }
}
