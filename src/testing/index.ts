// virtune/testing: what the tests of code that uses virtune need (docs/testing.md). Functions go out through
// publicEntry: given anything, they return or throw a VirError.
import { publicEntry } from '../error-guard.js';
import * as mock from './mock-driver.js';

export { MockDriver, type MockDriverOptions, type MockDomains } from './mock-driver.js';
export type { MockCall } from './recorder.js';
export type { FaultWhen } from './faults.js';

/** {@inheritDoc mock.createMockDriver} */
export const createMockDriver = publicEntry(mock.createMockDriver);
