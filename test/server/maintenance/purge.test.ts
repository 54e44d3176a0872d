/**
 * What expires is purged on a schedule, by one server of the fleet per round: sessions and
 * refresh tokens past their end, denylisted ids, seen-once claims and throttle windows,
 * enrollment codes past their time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { hashEnrollmentCode } from '../../../server/auth/enrollment.ts';
import { PURGE_EVERY_MS, startPurge, type PurgeRound } from '../../../server/maintenance/purge.ts';
import { memorySharedState } from '../../../server/shared/memory-state.ts';
import { storeSharedState } from '../../../server/shared/store-state.ts';
import { openSqliteStore } from '../../../server/store/sqlite/open-sqlite-store.ts';
import type { Store } from '../../../server/store/store.ts';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rental-purge-'));
  store = openSqliteStore({ file: join(dir, 'server.db') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A timer the test fires by hand. */
function manualTimer() {
  let pending: (() => void) | null = null;
  return {
    setTimer: (fn: () => void) => {
      pending = fn;
      return () => void (pending = null);
    },
    fire: () => {
      const fn = pending;
      pending = null;
      fn?.();
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

it('drops expired rows each round and keeps what is still live', async () => {
  let now = 1_000_000;
  const clock = { now: () => now };
  const shared = storeSharedState(store);
  await store.createKiosk('old code', hashEnrollmentCode('AAAA-BBBB-CCCC'), now + 1_000);
  await store.createKiosk('fresh code', hashEnrollmentCode('DDDD-EEEE-FFFF'), now + 10 * PURGE_EVERY_MS);
  await store.denyJti('gone', now + 1_000);
  await store.denyJti('kept', now + 10 * PURGE_EVERY_MS);
  expect(await shared.claimOnce('jti:a', now + 1_000, now)).toBe(true);
  expect(await shared.claimOnce('jti:b', now + 10 * PURGE_EVERY_MS, now)).toBe(true);

  const timer = manualTimer();
  const rounds: (PurgeRound | null)[] = [];
  const purge = startPurge({
    store,
    shared,
    clock,
    setTimer: timer.setTimer,
    onRound: (r) => rounds.push(r),
  });
  now += PURGE_EVERY_MS;
  timer.fire();
  await settle();
  purge.stop();

  // The round's own claim is a live entry too; the two expired ones went.
  expect(rounds).toEqual([{ sharedEntries: 1, enrollmentCodes: 1 }]);
  expect(await store.isJtiDenied('kept', now)).toBe(true);
  expect(await store.enrollKiosk(hashEnrollmentCode('AAAA-BBBB-CCCC'), '{}', now)).toBeNull();
  expect(await store.enrollKiosk(hashEnrollmentCode('DDDD-EEEE-FFFF'), '{}', now)).not.toBeNull();
  expect(await shared.claimOnce('jti:b', now + 1, now)).toBe(false);
});

it('runs each round on one server only', async () => {
  const now = 5 * PURGE_EVERY_MS + 10;
  const clock = { now: () => now };
  const shared = memorySharedState(); // what every replica would share, in one place here
  const rounds: (PurgeRound | null)[] = [];
  const timers = [manualTimer(), manualTimer(), manualTimer()];
  const purges = timers.map((t) =>
    startPurge({ store, shared, clock, setTimer: t.setTimer, onRound: (r) => rounds.push(r) }),
  );
  for (const t of timers) t.fire();
  await settle();
  for (const p of purges) p.stop();
  expect(rounds.filter((r) => r !== null)).toHaveLength(1);
  expect(rounds.filter((r) => r === null)).toHaveLength(2);
});
