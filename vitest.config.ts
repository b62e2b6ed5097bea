import { defineConfig } from 'vitest/config';

// Timeouts are guards against hangs, never performance assertions: a loaded two-core CI
// machine can take a minute to open an embedded database, so they are generous.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['web/**', 'node_modules/**', 'test/e2e/**'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: true,
  },
});
