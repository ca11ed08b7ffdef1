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

  it("fails as virsh's getopt does", () => {
    expect(() => parseGlobalOptions(['-x'])).toThrow(new GlobalOptionError("unsupported option '-x'. See --help."));
    expect(() => parseGlobalOptions(['--bogus'])).toThrow(new GlobalOptionError("unsupported option '--bogus'. See --help."));
    expect(() => parseGlobalOptions(['--help=x'])).toThrow(new GlobalOptionError("unsupported option '-h'. See --help."));
    expect(() => parseGlobalOptions(['--ke', '1'])).toThrow(new GlobalOptionError("unsupported option '--ke'. See --help."));
    expect(() => parseGlobalOptions(['-c'])).toThrow(new GlobalOptionError("option '-c'/'--connect' requires an argument"));
    expect(() => parseGlobalOptions(['--connect'])).toThrow(new GlobalOptionError("option '-c'/'--connect' requires an argument"));
  });
});
