import type { DriverFactory } from '../../driver.js';
import { openUnsupportedDriver, UnsupportedReason } from './unsupported-driver.js';

export { openUnsupportedDriver, withoutMemoryTuning, UnsupportedReason } from './unsupported-driver.js';

/** `unsupported:///`: selects the stub driver explicitly, e.g. to test how an application copes with it. */
export const unsupportedDriverFactory: DriverFactory = {
  schemes: ['unsupported'],
  async open(uri, options) {
    return openUnsupportedDriver(uri, UnsupportedReason.EXPLICIT, options.emit);
  },
};
