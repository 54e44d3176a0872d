/**
 * Crash: the kiosk core runs as a child process and is killed with SIGKILL at random
 * points while people borrow and return and the outbox syncs (during start, between a
 * commit and its sync, in the middle of a sync). After each kill it starts again on the
 * same data dir; its database must open cleanly every time, and at the end every
 * transaction it confirmed is on the server exactly once, with the loans consistent.
 * 50 kills in `npm test`, 500 in `npm run test:soak`. Replay a run with RELIABILITY_SEED.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Confirmed } from '../fixtures/kiosk-driver.ts';
import { spawnKiosk, type RunnerEvent } from '../fixtures/kiosk-process.ts';
import { countOutboxInvariants, printInvariants } from '../fixtures/outbox-invariants.ts';
import { expectInvariantsHold } from '../fixtures/invariant-checks.ts';
import { runSeed, seededRandom } from '../fixtures/random.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { FAST_TAPS, SOAK } from './soak.ts';

const KILLS = SOAK ? 500 : 50;
/** Kill between this long after spawn and this plus the window: from start-up to mid-work. */
const KILL_FROM_MS = 150;
const KILL_WINDOW_MS = 700;

let server: TestServer;
let dataDir: string;

beforeAll(async () => {
  server = await startTestServer({ tapsPerMinute: FAST_TAPS });
  dataDir = mkdtempSync(join(tmpdir(), 'rental-crash-'));
});

afterAll(async () => {
  await server?.dispose();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it(
  `survives ${KILLS} SIGKILLs while borrowing and syncing`,
  { timeout: KILLS * 4_000 + 60_000 },
  async () => {
    const seed = runSeed();
    console.log(`crash: seed=${seed} kills=${KILLS}`);
    const rng = seededRandom(seed);
    const confirmed: Confirmed[] = [];
    const checks: string[] = [];
    let restartsWithPending = 0;
    let killedAfterReady = 0;
    const collect = (events: RunnerEvent[]) => {
      for (const e of events) {
        if (e.ev === 'confirmed')
          confirmed.push({ id: e.id, kind: e.kind, itemId: e.itemId, userId: e.userId });
        if (e.ev === 'ready') {
          checks.push(e.check);
          if (e.pending > 0) restartsWithPending += 1;
        }
        if (e.ev === 'fatal') throw new Error(`kiosk process failed: ${e.message}`);
      }
    };

    // The first start enrolls; it must not die before the enrollment is saved.
    const first = await spawnKiosk({
      dataDir,
      serverUrl: server.url,
      seed,
      enrollCode: await server.enrollmentCode('crash kiosk'),
    });
    await first.until((e) => e.ev === 'ready');
    await new Promise((r) => setTimeout(r, KILL_WINDOW_MS * rng()));
    first.kill();
    expect((await first.exited).signal).toBe('SIGKILL');
    collect(first.events);

    for (let i = 1; i < KILLS; i++) {
      const p = await spawnKiosk({ dataDir, serverUrl: server.url, seed: seed + i });
      const delay = KILL_FROM_MS + KILL_WINDOW_MS * rng();
      const timer = setTimeout(() => p.kill(), delay);
      const end = await p.exited;
      clearTimeout(timer);
      collect(p.events);
      if (end.signal !== 'SIGKILL')
        throw new Error(`kiosk process ended by itself (${end.code}): ${p.stderr()}`);
      if (p.events.some((e) => e.ev === 'ready')) killedAfterReady += 1;
    }

    // Power back for good: one clean start drains the outbox.
    const last = await spawnKiosk({ dataDir, serverUrl: server.url, seed, mode: 'drain' });
    const drained = await last.until((e) => e.ev === 'drained', 60_000);
    await last.exited;
    collect(last.events);

    const inv = countOutboxInvariants(server.dataDir, [{ dataDir, confirmed }]);
    printInvariants('crash', inv);
    console.log(
      `crash: kills=${KILLS} killedAfterReady=${killedAfterReady} restartsWithPending=${restartsWithPending} opens=${checks.length}`,
    );

    expect(checks.every((c) => c === 'ok' || c === 'new')).toBe(true);
    expect(drained).toMatchObject({ pending: 0 });
    expectInvariantsHold(inv);
  },
);
