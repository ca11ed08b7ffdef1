import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import libxmljs from 'libxmljs2';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { DomainState } from '../../flags.js';
import type { DomainObjectList } from '../common/domain-objects.js';
import { TEST_ERROR_DOMAIN as E } from './context.js';
import { applyTestDefaults } from './defaults.js';
import { populate, type FileDomain } from './load.js';
import { parseDomain } from './xml-bridge.js';

/** libvirt's test-driver XML namespace: `<test:runstate>` and `<test:transient/>` inside a `<domain>`. */
export const TEST_NAMESPACE = 'http://libvirt.org/schemas/domain/test/1.0';

/** Reads the test namespace out of a `<domain>` element and removes it, as libvirt consumes it. */
function takeTestMetadata(el: libxmljs.Element): { state: DomainState; transient: boolean } {
  let state = DomainState.RUNNING;
  let transient = false;
  for (const child of el.childNodes()) {
    if (child.type() !== 'element') continue;
    const c = child as libxmljs.Element;
    if (c.namespace()?.href() !== TEST_NAMESPACE) continue;
    if (c.name() === 'runstate') {
      const n = Number(c.text().trim());
      if (!Number.isInteger(n) || n < DomainState.NOSTATE || n > DomainState.PMSUSPENDED) {
        throw new VirError(ErrorCode.XML_ERROR, E, `invalid runstate '${c.text().trim()}'`);
      }
      state = n;
    } else if (c.name() === 'transient') {
      transient = true;
    }
    c.remove();
  }
  if (transient && state === DomainState.SHUTOFF) {
    throw new VirError(ErrorCode.XML_ERROR, E, 'transient domain cannot have runstate \'shutoff\'');
  }
  return { state, transient };
}

async function readDocument(path: string): Promise<libxmljs.Document> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
    return libxmljs.parseXml(text);
  } catch (cause) {
    throw new VirError(ErrorCode.XML_ERROR, E, `failed to parse xml document '${path}'`, { cause, path });
  }
}

/** One `<domain>`, inline or in the file its `file` attribute names (relative to the node file). */
async function fileDomain(el: libxmljs.Element, baseDir: string): Promise<FileDomain> {
  const ref = el.attr('file')?.value();
  if (ref !== undefined) {
    const path = isAbsolute(ref) ? ref : resolve(baseDir, ref);
    const doc = await readDocument(path);
    return fileDomain(doc.root()!, dirname(path));
  }
  const meta = takeTestMetadata(el);
  return { def: applyTestDefaults(await parseDomain(el.toString())), ...meta };
}

/** The `<domain>`s of a parsed test-driver document (a `<node>`, or one `<domain>`), `file` references read from `baseDir`. */
async function documentDomains(doc: libxmljs.Document, baseDir: string): Promise<FileDomain[]> {
  const root = doc.root();
  const rootName = root?.name() ?? '';
  if (!root || (rootName !== 'node' && rootName !== 'domain')) {
    throw new VirError(ErrorCode.XML_ERROR, ErrorDomain.XML, `expecting root element of 'node', not '${rootName}'`);
  }
  const elements =
    rootName === 'domain'
      ? [root]
      : root.childNodes().filter((n): n is libxmljs.Element => n.type() === 'element' && (n as libxmljs.Element).name() === 'domain');
  const domains: FileDomain[] = [];
  for (const el of elements) domains.push(await fileDomain(el, baseDir));
  return domains;
}

/**
 * `test:///ABSOLUTE/PATH.xml`: libvirt's custom test driver. The file is a `<node>` holding `<domain>` elements
 * (inline or `<domain file='other.xml'/>`); virtune also accepts a file whose root is a single `<domain>`.
 * Domains start running (ids 1, 2, ... in file order) unless `<test:runstate>` says otherwise;
 * `<test:transient/>` makes one transient.
 */
export async function loadDomainsFromFile(path: string): Promise<DomainObjectList> {
  return populate(await documentDomains(await readDocument(path), dirname(path)));
}

/**
 * The same document given as text (the mock driver's domains): no file is read unless a `<domain file=...>`
 * names one, relative to the working directory.
 */
export async function readDomainsFromText(text: string): Promise<FileDomain[]> {
  let doc: libxmljs.Document;
  try {
    doc = libxmljs.parseXml(text);
  } catch (cause) {
    throw new VirError(ErrorCode.XML_ERROR, E, 'failed to parse xml document', { cause });
  }
  return documentDomains(doc, process.cwd());
}
