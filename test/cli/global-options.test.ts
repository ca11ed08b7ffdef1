import { describe, expect, it } from 'vitest';
import { GlobalOptionError, parseGlobalOptions } from '../../src/cli/global-options.js';

describe('parseGlobalOptions (virsh getopt rules)', () => {
  it('reads bundled, attached and long forms', () => {
    expect(parseGlobalOptions(['-qc', 'test:///default', 'uri'])).toMatchObject({ uri: 'test:///default', quiet: true, rest: ['uri'] });
    expect(parseGlobalOptions(['-ctest:///x', '-r', 'uri'])).toMatchObject({ uri: 'test:///x', readOnly: true });
    expect(parseGlobalOptions(['--connect=test:///y', '--quiet', 'uri'])).toMatchObject({ uri: 'test:///y', quiet: true });
    expect(parseGlobalOptions(['--conn', 'test:///z', 'uri'])).toMatchObject({ uri: 'test:///z' });
  });

  it('stops at the first word that is not an option, and after --', () => {
    expect(parseGlobalOptions(['memtune', '-q']).rest).toEqual(['memtune', '-q']);
    expect(parseGlobalOptions(['--', '-q']).rest).toEqual(['-q']);
  });

  it('knows the version forms', () => {
    expect(parseGlobalOptions(['-v']).version).toBe('short');
    expect(parseGlobalOptions(['-V']).version).toBe('long');
    expect(parseGlobalOptions(['--version']).version).toBe('short');
    expect(parseGlobalOptions(['--version=long']).version).toBe('long');
  });

  // virsh prints help or the version as soon as getopt meets the option, so later words are never checked.
  it('stops at -h and the version options, ignoring what follows', () => {
    expect(parseGlobalOptions(['--version', '--shell', '-x'])).toMatchObject({ version: 'short', help: false, rest: [] });
    expect(parseGlobalOptions(['-q', '-V', '-d'])).toMatchObject({ version: 'long', quiet: true, rest: [] });
    expect(parseGlobalOptions(['-vx'])).toMatchObject({ version: 'short' });
    expect(parseGlobalOptions(['-h', '--bogus', 'uri'])).toMatchObject({ help: true, rest: [] });
    expect(parseGlobalOptions(['--help', '-V']).version).toBeUndefined();
    expect(() => parseGlobalOptions(['--bogus', '-h'])).toThrow(new GlobalOptionError("unsupported option '--bogus'. See --help."));
  });

  it("fails as virsh's getopt does", () => {
    expect(() => parseGlobalOptions(['-x'])).toThrow(new GlobalOptionError("unsupported option '-x'. See --help."));
    expect(() => parseGlobalOptions(['--bogus'])).toThrow(new GlobalOptionError("unsupported option '--bogus'. See --help."));
    expect(() => parseGlobalOptions(['--help=x'])).toThrow(new GlobalOptionError("unsupported option '-h'. See --help."));
    expect(() => parseGlobalOptions(['--ke', '1'])).toThrow(new GlobalOptionError("unsupported option '--ke'. See --help."));
    expect(() => parseGlobalOptions(['-c'])).toThrow(new GlobalOptionError("option '-c'/'--connect' requires an argument"));
    expect(() => parseGlobalOptions(['--connect'])).toThrow(new GlobalOptionError("option '-c'/'--connect' requires an argument"));
  });
});
