import { afterAll, afterEach, beforeEach } from 'vitest';
import type { Connection } from '../../../../src/connection/connection.js';
import { assertNoLeftovers, tempEntriesOfThisProcess } from '../../../helpers/leftovers.js';
import { QemuTestEnv } from './env.js';

/** What {@link qemuEnvPerTest} hands each test: read its fields inside tests and hooks, never at collection. */
export interface QemuPerTest {
  env: QemuTestEnv;
  /** Opened on `env` before each test when `openExtra` was given. */
  conn: Connection;
}

/**
 * A fresh {@link QemuTestEnv} for every test of the calling describe block, disposed after it; after the block,
 * nothing of this process is left in the temp directory. With `openExtra`, a connection (URI tail `openExtra`) is
 * opened before each test.
 */
export function qemuEnvPerTest(openExtra?: string): QemuPerTest {
  const current = {} as QemuPerTest;
  beforeEach(async () => {
    current.env = new QemuTestEnv();
    if (openExtra !== undefined) current.conn = await current.env.open(openExtra);
  });
  afterEach(async () => {
    await current.env.dispose();
  });
  afterAll(() => {
    assertNoLeftovers(tempEntriesOfThisProcess(), 'this file');
  });
  return current;
}
