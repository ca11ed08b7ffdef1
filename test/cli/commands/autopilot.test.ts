import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runVirtune } from '../../helpers/spawn-cli.js';

// The command line only: the autopilot's behaviour on guests is tested in test/autopilot/.
describe('virtune autopilot', () => {
  beforeAll(() => assertBuilt());

  it('prints one interval as a table and stops after --count', async () => {
    const r = await runVirtune(['-c', 'test:///default', 'autopilot --dry-run --count 1 --interval 1']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^autopilot virtune, interval 0: host \d+ of \d+ MiB available, memory pressure \d+\.\d\d%\n Name +Verdict +Balloon +Used +RSS +Soft +Hard +Action +Reason\n-+\n/);
  });

  it.each([
    ['autopilot --policy nope', "error: unknown policy 'nope': expected virtune or mom"],
    ['autopilot --interval 0', "error: Numeric value '0' for <interval> option is malformed or out of range"],
    ['autopilot --count x', "error: Numeric value 'x' for <count> option is malformed or out of range"],
  ])('%s fails with a clear error', async (cmd, message) => {
    const r = await runVirtune(['-c', 'test:///default', cmd]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(message);
  });
});
