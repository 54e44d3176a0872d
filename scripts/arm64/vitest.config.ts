/**
 * The suites `npm run test:arm64` runs on arm64 Node: the repository's vitest setup
 * (vitest.config.ts: fork pool, its limits) with the kiosk side's suites picked.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

export const ARM64_SUITES = [
  // the kiosk core: outbox (real SQLite), sync loop, session machine
  'test/core/**/*.test.ts',
  // Wiegand decoder, GPIO and gpiomon backends on fakes, keyboard wedge, simulator, and the
  // NFC reader over the real pcscd + vpcd with the arm64 pcsclite binding
  'test/hardware/**/*.test.ts',
  // kiosk <-> real server on loopback (the server runs in the same arm64 Node)
  'test/integration/**/*.test.ts',
  // test/arm64/crash.arm64.ts: SIGKILL from start-up to mid-sync, crash.test.ts's short run
  // (50 kills, same verdict) with kill windows that follow the measured start-up time;
  // test/arm64/pi.arm64.ts: deploy/pi's units (web host + Chromium kiosk), run as they run
  'test/arm64/**/*.arm64.ts',
];

/**
 * Not the kiosk side: the server's PostgreSQL + HAProxy replica infrastructure, which runs
 * on the server machine (and starts the host's postgres and haproxy binaries anyway); and
 * the core's public-surface rule, which lints source files with eslint.config.js (not in the
 * arm64 work dir): what it checks does not depend on the machine.
 */
export const ARM64_EXCLUDED = [
  'test/integration/postgres-cluster.test.ts',
  'test/core/public-surface.test.ts',
];

export default defineConfig({
  ...base,
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    ...base.test,
    include: ARM64_SUITES,
    exclude: [...(base.test?.exclude ?? []), ...ARM64_EXCLUDED],
  },
});
