import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/bench/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start real servers and SQLite files; keep them in separate
    // processes so a crash in one cannot take the others' state with it.
    pool: 'forks',
  },
});
