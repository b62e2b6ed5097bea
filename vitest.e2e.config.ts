import { defineConfig } from 'vitest/config';

/** Browser tests: a real server as a child process and Debian's Chromium via playwright-core. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
