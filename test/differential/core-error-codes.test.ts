// Cross-cutting suite (test/differential/): virtune beside libvirt itself, the oracle; not the tests of one src/ file.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain, ErrorLevel } from '../../src/errors.js';
import { skipUnless } from '../helpers/prereq.js';

/** Every name of virtune's error enums, with the number python3-libvirt gives libvirt's constant of that name. */
function libvirtNumbers(names: string[]): Record<string, number | null> {
  const script = `import json, sys, libvirt
print(json.dumps({n: getattr(libvirt, n, None) for n in json.load(sys.stdin)}))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(names), encoding: 'utf8' }));
}

/** `{ VIR_ERR_NO_SUPPORT: 3, ... }` from a numeric TypeScript enum. */
function constants(prefix: string, e: object): Record<string, number> {
  return Object.fromEntries(
    Object.entries(e)
      .filter(([, v]) => typeof v === 'number')
      .map(([k, v]) => [`${prefix}${k}`, v as number]),
  );
}

describe.skipIf(skipUnless('python-libvirt'))("error enums against libvirt's", () => {
  it('VIR_ERR_*, VIR_FROM_* and the error levels have libvirt numbers', () => {
    const ours = {
      ...constants('VIR_ERR_', ErrorCode),
      ...constants('VIR_FROM_', ErrorDomain),
      // virErrorLevel: VIR_ERR_NONE (0) is also the "no error" code, VIR_ERR_WARNING and VIR_ERR_ERROR are levels.
      ...constants('VIR_ERR_', { WARNING: ErrorLevel.WARNING, ERROR: ErrorLevel.ERROR }),
    };
    expect(Object.keys(ours).length).toBeGreaterThan(150);
    expect(libvirtNumbers(Object.keys(ours))).toEqual(ours);
  });
});
