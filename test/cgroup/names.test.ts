import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode, VirError } from '../../src/errors.js';
import { domainCgroupRelPath, escapeCgroupName, parseCgroupParent } from '../../src/cgroup/names.js';

describe('cgroup names', () => {
  it('builds machine/<name>.virtune-<driver> by default', () => {
    expect(domainCgroupRelPath('web', 'lxc')).toBe('machine/web.virtune-lxc');
    expect(domainCgroupRelPath('web', 'qemu', 'tenants/a')).toBe('tenants/a/web.virtune-qemu');
  });

  it("applies libvirt's '_' prefix to names confusable with cgroup files", () => {
    expect(escapeCgroupName('memory.x')).toBe('_memory.x');
    expect(escapeCgroupName('cgroup.procs')).toBe('_cgroup.procs');
    expect(escapeCgroupName('_a')).toBe('__a');
    expect(escapeCgroupName('.hidden')).toBe('_.hidden');
  });

  it('never lets a name become more than one path component', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (name) => {
        const c = escapeCgroupName(name);
        expect(c).not.toContain('/');
        expect(c).not.toContain('\0');
        expect(c === '.' || c === '..').toBe(false);
      }),
    );
    expect(domainCgroupRelPath('../../etc', 'lxc')).toBe('machine/_..\\x2f..\\x2fetc.virtune-lxc');
  });

  it('gives distinct names distinct components', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        fc.pre(a !== b);
        expect(escapeCgroupName(a)).not.toBe(escapeCgroupName(b));
      }),
    );
  });

  it('refuses a parent that climbs out or needs escaping', () => {
    for (const bad of ['..', 'machine/../x', 'a/./b', 'a b', 'x\\y']) {
      expect(() => parseCgroupParent(bad)).toThrow(VirError);
    }
    try {
      parseCgroupParent('..');
    } catch (e) {
      expect((e as VirError).code).toBe(ErrorCode.INVALID_ARG);
    }
    expect(parseCgroupParent('/machine//a/')).toEqual(['machine', 'a']);
  });
});
