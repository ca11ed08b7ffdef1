/**
 * Every program outside Node that the tests, the benchmarks' smoke test, the doc examples and the code they drive
 * run, directly or through another program. test/ci/external-programs.test.ts keeps this table true: each program
 * must resolve on this machine to a file whose Debian package is in .ci/run's `need_pkgs`, and every program named
 * as a literal in a spawn/exec call under src/, test/, bench/ or scripts/ must stand here. A new tool therefore
 * cannot reach the tests without its package reaching .ci/run.
 */
export interface ExternalProgram {
  /** The name as spawned (looked up on PATH) or an absolute path. */
  readonly program: string;
  /** Who runs it, and why it is needed. */
  readonly why: string;
}

export const EXTERNAL_PROGRAMS: readonly ExternalProgram[] = [
  { program: 'virsh', why: 'differential tests: libvirt itself as the oracle' },
  { program: 'virt-xml-validate', why: "differential tests: our XML against libvirt's schemas" },
  { program: 'xmllint', why: 'run by virt-xml-validate (libvirt-clients only recommends libxml2-utils)' },
  { program: '/usr/bin/python3', why: "libvirt's Python binding as the oracle; cgroup helpers in tests" },
  { program: 'qemu-system-x86_64', why: 'the QEMU driver starts real TCG guests' },
  { program: 'unshare', why: 'the LXC driver starts containers' },
  { program: 'prlimit', why: "the QEMU driver sets a guest's RLIMIT_MEMLOCK" },
  { program: 'script', why: 'the shell test runs the CLI on a pseudo-terminal' },
  { program: '/bin/sh', why: 'drivers enter the cgroup before exec; doc transcripts run through it' },
  { program: 'bash', why: 'runs test/fixtures/guest/build.sh' },
  { program: 'apt-get', why: 'build.sh downloads the guest kernel and busybox packages' },
  { program: 'apt-cache', why: "build.sh resolves the guest kernel's package and version" },
  { program: 'dpkg-deb', why: 'build.sh unpacks the downloaded packages' },
  { program: 'flock', why: 'build.sh holds its cache lock while it builds' },
  { program: 'busybox', why: "the guest's userland in build.sh's initramfs" },
  { program: 'cpio', why: "build.sh packs the guest's initramfs" },
  { program: 'gzip', why: "build.sh compresses the guest's initramfs" },
  { program: 'xz', why: "build.sh unpacks the guest kernel's xz-compressed modules" },
  { program: 'zstd', why: "build.sh unpacks the guest kernel's zstd-compressed modules" },
  { program: '/usr/sbin/libvirtd', why: 'the remote driver\'s tests start a private libvirtd (test and QEMU drivers)' },
  { program: 'wbemcli', why: 'the CIM server is tested with the real CIM client (test/cim/)' },
  { program: 'npm', why: 'test/package packs the package as a user gets it (npm pack)' },
  { program: 'tar', why: 'test/package unpacks the packed tarball into a new project' },
  { program: '/usr/sbin/sshd', why: "the remote driver's ssh transport test runs a private sshd on 127.0.0.1" },
  { program: 'ssh-keygen', why: "the private sshd's host key and the test's client key" },
  { program: 'ssh', why: "the remote driver's ssh transport spawns it, as libvirt does" },
  {
    program: 'mount',
    why: "the QEMU libvirtd of the remote driver's tests gets private libvirt paths in its own mount namespace; clean-roots tests mount small and read-only tmpfs roots",
  },
  { program: 'umount', why: 'the clean-roots tests unmount the tmpfs roots they mounted' },
  { program: 'nc', why: "the far side of the ssh channel joins the daemon's unix socket (libvirt's proxy=netcat)" },
  { program: 'taskset', why: 'the CPU-shares enforcement test pins two busy loops to one CPU (util-linux)' },
  { program: 'losetup', why: 'the blkio tests attach a loop device over a temp file (Debian package mount)' },
  { program: 'lsblk', why: "the blkio tests read the loop device's MAJ:MIN (util-linux)" },
  { program: 'dd', why: 'the blkio throttle test writes to the loop device with O_DIRECT and reports its own rate (coreutils)' },
  { program: 'dpkg', why: 'test/ci/external-programs.test.ts asks which package owns each program (dpkg -S)' },
];
