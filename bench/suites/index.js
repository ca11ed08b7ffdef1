// The suites in the order they run: cheap in-process work first, then real cgroups, processes and QEMU.
export const SUITES = [
  { name: 'memparams', title: '1. set+get memory parameters (test driver)', load: () => import('./memparams.js') },
  { name: 'define', title: '2. define + getXMLDesc of a realistic domain', load: () => import('./define.js') },
  { name: 'xml', title: '3. memtune parse / format / validate', load: () => import('./memtune-xml.js') },
  { name: 'hostile', title: '3b. hostile domain documents under the size cap: parse and validate within a second', load: () => import('./hostile.js') },
  { name: 'cgroup', title: '4. live setMemoryParameters on a cgroup v1 domain', load: () => import('./cgroup-live.js') },
  { name: 'tunables', title: '4b. scheduler and blkio: set+get (test driver), live set on a real cgroup', load: () => import('./tunables.js') },
  { name: 'domains', title: '5. 10,000 domains: define, list, look up', load: () => import('./many-domains.js') },
  { name: 'cli', title: '6. command-line cold start', load: () => import('./cli-cold.js') },
  { name: 'qemu', title: '7. QEMU start to QMP-ready', load: () => import('./qemu-start.js') },
  { name: 'qemu-cli', title: '7b. QEMU start from the command line: virtune vs virsh on a private libvirtd', load: () => import('./qemu-cli.js') },
  { name: 'remote', title: '8. remote driver: a private libvirtd, virtune vs the Python binding', load: () => import('./remote.js') },
  { name: 'autopilot', title: '9. autopilot policies on simulated guests: virtune vs MoM rules', load: () => import('./autopilot.js') },
  { name: 'memory', title: 'memory: peak RSS and per-domain cost', load: () => import('./memory.js') },
];
