import { defineConfig } from 'vitest/config';

/** Browser tests: the built web app served by the real server, driven in Chromium. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.spec.ts'],
    globalSetup: ['e2e/support/global-setup.ts'],
    // A spec walks a whole workflow in a real browser; on a loaded 2-core machine one can take over a minute.
    testTimeout: 150_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    environment: 'node',
  },
});
