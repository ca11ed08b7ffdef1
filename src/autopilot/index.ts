export { Autopilot, type AutopilotOptions, type DecisionEvent, type TickReport } from './autopilot.js';
export { readHostView } from './host-view.js';
export { momPolicy, MOM_RULES } from './mom-policy.js';
export * from './policy.js';
export { virtunePolicy, DEFAULT_VIRTUNE_POLICY, type VirtunePolicyOptions } from './virtune-policy.js';
