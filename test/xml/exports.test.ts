import { describe, expect, it } from 'vitest';
import * as virtune from '../../src/index.js';

/** The XML module's public functions are reachable from the package root (src/index.ts → dist/index.js). */
describe('package root exports', () => {
  it.each([
    'parseDomainXML', 'formatDomainXML', 'parseMemtune', 'formatMemtune', 'validateDomainXML', 'parseScaledInteger',
    'unitScale', 'bytesToKiB', 'checkDomainName', 'defaultMemTune', 'cloneDomainDef', 'clearValidationCache',
  ])('%s is a function', (name) => {
    expect(typeof (virtune as Record<string, unknown>)[name]).toBe('function');
  });

  it('exports the limits and UNLIMITED', () => {
    expect(virtune.UNLIMITED).toBe(9007199254740991n);
    expect(virtune.MAX_XML_BYTES).toBe(10 * 1024 * 1024);
    expect(virtune.MAX_XML_DEPTH).toBe(64);
    expect(virtune.MAX_DOMAIN_NAME_BYTES).toBe(200);
  });

  it('works end to end through the root', () => {
    const def = virtune.parseDomainXML(
      "<domain type='test'><name>r</name><memory>1024</memory><os><type>hvm</type></os>" +
        "<memtune><hard_limit unit='M'>1</hard_limit></memtune></domain>",
    );
    expect(virtune.formatMemtune(def.memtune)).toBe("<memtune>\n  <hard_limit unit='KiB'>1024</hard_limit>\n</memtune>\n");
    expect(virtune.parseMemtune(virtune.formatMemtune(def.memtune))).toEqual(def.memtune);
    expect(virtune.formatDomainXML(def)).toContain("<name>r</name>");
    expect(() => virtune.validateDomainXML('<domain/>')).toThrow(virtune.VirError);
    expect(virtune.parseScaledInteger('1', 'KB', 1024n, 1n << 60n)).toBe(1000n);
  });
});
