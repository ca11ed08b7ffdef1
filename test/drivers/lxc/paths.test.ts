import { describe, expect, it } from 'vitest';
import { parseURI } from '../../../src/connection/uri.js';
import { lxcPathsFromURI } from '../../../src/drivers/lxc/paths.js';
import { ErrorCode, VirError } from '../../../src/errors.js';

const paths = (uri: string) => lxcPathsFromURI(parseURI(uri));

describe('lxc URIs', () => {
  it('lxc:/// and lxc:///system use the system root', () => {
    for (const uri of ['lxc:///', 'lxc:///system', 'lxc://']) {
      expect(paths(uri)).toMatchObject({ configDir: '/var/lib/virtune/lxc', stateDir: '/run/virtune/lxc', cgroupDriverName: 'lxc' });
    }
  });

  it('lxc:///embed?root=DIR keeps everything under DIR and names cgroups per root', () => {
    const a = paths('lxc:///embed?root=/srv/a');
    expect(a).toMatchObject({ configDir: '/srv/a/etc/lxc', stateDir: '/srv/a/run/lxc' });
    expect(a.cgroupDriverName).toMatch(/^lxc-[0-9a-f]{8}$/);
    expect(paths('lxc:///embed?root=/srv/b').cgroupDriverName).not.toBe(a.cgroupDriverName);
  });

  it('takes the cgroup extensions', () => {
    expect(paths('lxc:///embed?root=/r&cgroup_parent=t/a&cgroup_root=/tmp/cg&cgroup_version=v2').cgroup).toEqual({
      parent: 't/a',
      root: '/tmp/cg',
      version: 'v2',
    });
  });

  it('refuses what it cannot serve, with INVALID_ARG', () => {
    for (const uri of [
      'lxc:///embed',
      'lxc:///embed?root=relative/dir',
      'lxc:///session',
      'lxc://host/',
      'lxc:///?cgroup_version=v3',
      'lxc:///?cgroup_root=rel',
    ]) {
      let err: unknown;
      try {
        paths(uri);
      } catch (e) {
        err = e;
      }
      expect(err, uri).toBeInstanceOf(VirError);
      expect((err as VirError).code).toBe(ErrorCode.INVALID_ARG);
    }
  });
});
