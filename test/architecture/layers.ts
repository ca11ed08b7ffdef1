/**
 * virtune's layers as data: which unit each file of src/ belongs to and how high it sits. docs/architecture.md
 * describes the same table in words; change both together.
 *
 * A unit may import any unit of a strictly lower rank, and itself. Ranks are spaced so a new unit can go between.
 */
export interface Unit {
  /** What docs/architecture.md calls it. */
  name: string;
  /** Higher imports lower, never the reverse. Equal ranks do not import each other. */
  rank: number;
  /** Whether a root-relative path (`src/cgroup/memory-v1.ts`) belongs to it. The first unit that matches wins. */
  owns: (path: string) => boolean;
}

const under = (dir: string) => (p: string) => p.startsWith(`${dir}/`);
const oneOf = (...files: string[]) => (p: string) => files.includes(p);

/** Top to bottom, in import order. Order of the list matters only where matchers overlap (memory/params.ts). */
export const UNITS: readonly Unit[] = [
  // Entry points: nothing in src/ imports them (bin/virtune.js runs the CLI; package.json exports index.ts).
  { name: 'cli', rank: 90, owns: under('src/cli') },
  { name: 'public face', rank: 90, owns: oneOf('src/index.ts', 'src/public-entries.ts') },
  // virtune/testing, a second public face: the mock driver is the test driver behind a recorder, so it stands on
  // the test driver's code and the connection directly.
  { name: 'testing', rank: 90, owns: under('src/testing') },

  // Many connections at once (one change across hosts): stands on the connection like an application would.
  { name: 'fleet', rank: 85, owns: under('src/fleet') },

  // The CIM server: a client of the library's public API, like the CLI (which starts it), but used by both.
  { name: 'cim', rank: 85, owns: under('src/cim') },
  // The autopilot drives a connection's guests through the public API, as any program would.
  { name: 'autopilot', rank: 85, owns: under('src/autopilot') },

  { name: 'connection', rank: 80, owns: under('src/connection') },

  // Drivers, highest first: qemu and lxc fall back to the stub, the stub keeps definitions with the test
  // driver's code, and all of them share common/.
  { name: 'drivers/qemu', rank: 74, owns: under('src/drivers/qemu') },
  { name: 'drivers/lxc', rank: 74, owns: under('src/drivers/lxc') },
  { name: 'drivers/remote', rank: 74, owns: under('src/drivers/remote') },
  { name: 'drivers/unsupported', rank: 73, owns: under('src/drivers/unsupported') },
  { name: 'drivers/test', rank: 72, owns: under('src/drivers/test') },
  { name: 'drivers/common', rank: 71, owns: under('src/drivers/common') },

  // What the drivers stand on, side by side: the table they implement, the cgroup layer, shared validation.
  { name: 'driver table', rank: 60, owns: oneOf('src/driver.ts', 'src/events.ts') },
  { name: 'cgroup', rank: 60, owns: under('src/cgroup') },
  // memory/params.ts (names, UNLIMITED, the empty memtune) is vocabulary, listed below with the model.
  { name: 'memory validation', rank: 60, owns: (p) => under('src/memory')(p) && p !== 'src/memory/params.ts' },
  // The scheduler family (names, ranges, validation, the named-field convenience): the memory family's twin.
  { name: 'scheduler', rank: 60, owns: (p) => under('src/scheduler')(p) && p !== 'src/scheduler/params.ts' },

  // The scheduler's names, types and libvirt's ranges over the XML model's CpuTune: vocabulary the cgroup layer's
  // cpu files check against too.
  { name: 'scheduler parameters', rank: 26, owns: oneOf('src/scheduler/params.ts') },
  // blkio's names, its `path,value,...` lists and its validation: pure, shared by every driver and the CLI.
  { name: 'blkio validation', rank: 60, owns: under('src/blkio') },

  // libvirt's RPC protocol (XDR, framing, client, transports): knows messages, not domains or drivers.
  { name: 'rpc', rank: 25, owns: under('src/rpc') },

  // The model: plain data and pure functions; imports nothing of ours but each other.
  { name: 'xml', rank: 24, owns: under('src/xml') },
  { name: 'memory parameters', rank: 23, owns: oneOf('src/memory/params.ts') },
  { name: 'typed-params', rank: 22, owns: under('src/typed-params') },
  { name: 'errors', rank: 21, owns: oneOf('src/errors.ts', 'src/error-codes.ts', 'src/error-messages.ts', 'src/error-guard.ts', 'src/error-flags-range.ts') },
  { name: 'flags', rank: 21, owns: oneOf('src/flags.ts') },
  { name: 'entry points', rank: 21, owns: oneOf('src/entry-points.ts') },
];

/** The unit of a file, or undefined when no unit claims it (a new directory nobody placed yet). */
export function unitOf(path: string): Unit | undefined {
  return UNITS.find((u) => u.owns(path));
}

/**
 * The directory a file counts under for the cycle rule: src/<dir> (src/drivers/<name> for a driver), or the file
 * itself for a file directly in src/.
 */
export function directoryOf(path: string): string {
  const parts = path.split('/');
  if (parts.length === 2) return path;
  return parts.slice(0, parts[1] === 'drivers' ? 3 : 2).join('/');
}
