// `npm run test:soak`: the long versions of the reliability suites (500 kills, minutes of
// faulty network and load). Not part of `npm test` or CI; the same files run short there.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    env: { RELIABILITY_SOAK: '1' },
    testTimeout: 60 * 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One suite at a time: the figures they print should not fight over two cores.
    fileParallelism: false,
  },
});
