import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // The load suite holds a request rate for a time and watches memory: a machine's speed,
    // not behaviour. It runs in `npm run test:soak`; `npm run bench` measures throughput.
    exclude: ['test/bench/**', 'node_modules/**', 'test/reliability/load.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start real servers and SQLite files; keep them in separate
    // processes so a crash in one cannot take the others' state with it.
    pool: 'forks',
  },
});
