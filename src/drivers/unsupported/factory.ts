import type { DriverFactory } from '../../driver.js';

// Placeholder until the driver lands: an empty table, so every entry answers NO_SUPPORT.
export const unsupportedDriverFactory: DriverFactory = {
  schemes: ['unsupported'],
  async open() {
    return { type: 'UNSUPPORTED' };
  },
};
