import { open } from 'node:fs/promises';
import { ErrorCode, ErrorDomain, VirError } from '../errors.js';

/** virsh's VSH_MAX_XML_FILE: the largest XML file it reads. */
const MAX_XML_FILE = 10 * 1024 * 1024;

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
 * (`Failed to open file 'X': No such file or directory`, `Failed to read file 'X': Is a directory`).
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
    return data.toString('utf8');
  } catch (e) {
    if (e instanceof VirError) throw e;
    throw systemError('Failed to read file', path, e);
  } finally {
    await handle.close();
  }
}
