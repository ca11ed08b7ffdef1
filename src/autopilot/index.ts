// What the package exports of the autopilot. Functions go out through publicEntry (given anything, they return or
// throw a VirError); the explicit exports below take precedence over the star exports of the same names.
import { publicEntry } from '../error-guard.js';
import * as hostView from './host-view.js';
import * as mom from './mom-policy.js';
import * as policy from './policy.js';
import * as virtune from './virtune-policy.js';

export { Autopilot, type AutopilotOptions, type DecisionEvent, type TickReport } from './autopilot.js';
export { MOM_RULES } from './mom-policy.js';
export * from './policy.js';
export { DEFAULT_VIRTUNE_POLICY, type VirtunePolicyOptions } from './virtune-policy.js';

/** {@inheritDoc hostView.readHostView} */
export const readHostView = publicEntry(hostView.readHostView);
/** {@inheritDoc mom.momPolicy} */
export const momPolicy = publicEntry(mom.momPolicy);
/** {@inheritDoc virtune.virtunePolicy} */
export const virtunePolicy = publicEntry(virtune.virtunePolicy);
/** {@inheritDoc policy.hostUnderPressure} */
export const hostUnderPressure = publicEntry(policy.hostUnderPressure);
/** {@inheritDoc policy.guestUsedKiB} */
export const guestUsedKiB = publicEntry(policy.guestUsedKiB);
