import { hostUnderPressure, type Decision, type GuestMemo, type Policy, type PolicyInput, type PolicyOutput } from './policy.js';

/** MoM's published balloon rules (oVirt's balloon.rules), as constants. */
export const MOM_RULES = {
  /** The host is under pressure below this share of free memory. */
  pressureThreshold: 0.2,
  /** A guest keeps at least this share of its balloon free. */
  minGuestFreeShare: 0.2,
  /** At most this share of the balloon changes in one run. */
  maxChangeShare: 0.05,
  /** Changes smaller than this share of the balloon are skipped. */
  minChangeShare: 0.0025,
} as const;

/**
 * The baseline: oVirt MoM's balloon policy as published. Under host pressure every guest with more than 20% of
 * its balloon free is shrunk by at most 5% per run, never below its guarantee; without pressure every guest is
 * grown by 5% per run up to its maximum. Changes under 0.25% are skipped. It does not look at over-ballooning
 * signs and has no answer for guests that do not co-operate (its own policy file says so).
 */
export function momPolicy(options: { assumePressure?: boolean } = {}): Policy {
  const r = MOM_RULES;
  return {
    name: options.assumePressure ? 'mom (pressure assumed)' : 'mom',
    decide(input: PolicyInput): PolicyOutput {
      const pressure = options.assumePressure === true || hostUnderPressure(input.host, Infinity);
      const memo = new Map<string, GuestMemo>();
      const decisions: Decision[] = input.guests.map((g) => {
        memo.set(g.uuid, {});
        const say = (action: Decision['action'], reason: string): Decision => ({ uuid: g.uuid, name: g.name, action, reason });
        const cur = g.actualKiB;
        let target: number;
        if (pressure) {
          const free = g.unusedKiB;
          if (free === undefined) return say({ kind: 'hold' }, 'no statistics');
          const freeTarget = r.minGuestFreeShare * cur;
          if (free <= freeTarget) return say({ kind: 'hold' }, 'host under pressure, guest at its free margin');
          target = Math.max(g.minGuaranteeKiB, Math.round(cur - Math.min(free - freeTarget, r.maxChangeShare * cur)));
        } else {
          target = Math.min(g.memoryKiB, Math.round(cur + r.maxChangeShare * cur));
        }
        if (Math.abs(target - cur) <= r.minChangeShare * cur) return say({ kind: 'hold' }, 'change too small');
        return say({ kind: 'balloon', targetKiB: target }, pressure ? 'host under pressure: shrink 5%' : 'no pressure: grow 5%');
      });
      return { decisions, memo };
    },
  };
}
