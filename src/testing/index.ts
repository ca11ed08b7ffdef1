// virtune/testing: what the tests of code that uses virtune need (docs/testing.md). Re-exports only.
export { createMockDriver, MockDriver, type MockDriverOptions, type MockDomains } from './mock-driver.js';
export type { MockCall } from './recorder.js';
export type { FaultWhen } from './faults.js';
