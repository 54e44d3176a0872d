/**
 * The crash suite on arm64 Node, timed for emulation: the kiosk core runs as a child process
 * and is killed with SIGKILL while people borrow and return and the outbox syncs, started
 * again on the same data dir each time, and at the end every transaction it confirmed is on
 * the server exactly once, with the loans consistent (the verdict of crash.test.ts).
 *
 * Why not test/reliability/crash.test.ts as it is: it kills 150-850 ms after spawn, which on
 * an x86-64 machine lands anywhere from start-up to mid-sync. Under qemu an arm64 Node needs
 * two to five seconds just to start, so there every kill after the first lands before the
 * kiosk runs a line of its own code (seen: 49 of 50; once no transaction was confirmed at
 * all and its `confirmed > 0` failed). Here the windows follow the restart time measured as
 * the suite goes: every other kill comes at a random point of the start-up (Node, the
 * database check, the kiosk's own start and catch-up sync), the others at a random point
 * after `ready`, between a commit and its sync or in the middle of a sync.
 *
 * Only `npm run test:arm64` runs this file (scripts/arm64/vitest.config.ts includes
 * test/arm64/*.arm64.ts; `npm test` includes *.test.ts only). Replay with RELIABILITY_SEED.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Confirmed } from '../fixtures/kiosk-driver.ts';
import { spawnKiosk, type KioskProcess, type RunnerEvent } from '../fixtures/kiosk-process.ts';
import { countOutboxInvariants, printInvariants } from '../fixtures/outbox-invariants.ts';
import { expectInvariantsHold } from '../fixtures/invariant-checks.ts';
import { runSeed, seededRandom } from '../fixtures/random.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { FAST_TAPS } from '../reliability/soak.ts';

/** As many as crash.test.ts's short run. */
const KILLS = 50;
/** At work, the kill comes within this long after the awaited commits. */
const WORK_WINDOW_MS = 1_500;
/** Generous: an emulated start on a busy machine. */
const READY_WITHIN_MS = 60_000;

let server: TestServer;
let dataDir: string;

beforeAll(async () => {
  server = await startTestServer({ tapsPerMinute: FAST_TAPS });
  dataDir = mkdtempSync(join(tmpdir(), 'rental-crash-arm64-'));
});

afterAll(async () => {
  await server?.dispose();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it(
  `survives ${KILLS} SIGKILLs from start-up to mid-sync on ${process.arch} Node`,
  { timeout: KILLS * 15_000 + 120_000 },
  async () => {
    const seed = runSeed();
    console.log(`crash-arm64: arch=${process.arch} seed=${seed} kills=${KILLS}`);
    const rng = seededRandom(seed);
    const confirmed: Confirmed[] = [];
    const checks: string[] = [];
    let restartsWithPending = 0;
    let killedInStartup = 0;
    let killedAtWork = 0;
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
    const killed = async (p: KioskProcess) => {
      const end = await p.exited;
      collect(p.events);
      if (end.signal !== 'SIGKILL')
        throw new Error(`kiosk process ended by itself (${end.code}): ${p.stderr()}`);
    };

    // The first start enrolls; it works until at least one borrow or return is confirmed.
    const first = await spawnKiosk({
      dataDir,
      serverUrl: server.url,
      seed,
      enrollCode: await server.enrollmentCode('arm64 crash kiosk'),
    });
    await first.until((e) => e.ev === 'ready', READY_WITHIN_MS);
    await first.until((e) => e.ev === 'confirmed', READY_WITHIN_MS);
    await new Promise((r) => setTimeout(r, WORK_WINDOW_MS * rng()));
    first.kill();
    await killed(first);

    // How long a restart takes here (spawn to `ready`), measured on the restarts that are
    // let reach `ready`; the start-up kills are spread over that span (and a little past it).
    const readyTimes: number[] = [];
    const startupMs = () => [...readyTimes].sort((a, b) => a - b)[Math.floor(readyTimes.length / 2)]!;
    for (let i = 1; i < KILLS; i++) {
      const spawned = Date.now();
      const p = await spawnKiosk({ dataDir, serverUrl: server.url, seed: seed + i });
      if (i % 2 === 0) {
        // During start-up: anywhere from Node's own start to just after `ready`.
        const timer = setTimeout(() => p.kill(), startupMs() * 1.1 * rng());
        await killed(p);
        clearTimeout(timer);
        if (p.events.some((e) => e.ev === 'ready')) killedAtWork += 1;
        else killedInStartup += 1;
      } else {
        // At work: after `ready` and 0-2 confirmed transactions, at a random point of the
        // next visit or sync (a slow emulated visit must not leave every kill before a commit).
        await p.until((e) => e.ev === 'ready', READY_WITHIN_MS);
        readyTimes.push(Date.now() - spawned);
        const commits = Math.floor(rng() * 3);
        if (commits > 0) {
          const seen = p.events.filter((e) => e.ev === 'confirmed').length;
          await p.until(
            (e) =>
              e.ev === 'confirmed' && p.events.filter((x) => x.ev === 'confirmed').length >= seen + commits,
            READY_WITHIN_MS,
          );
        }
        await new Promise((r) => setTimeout(r, WORK_WINDOW_MS * rng()));
        p.kill();
        await killed(p);
        killedAtWork += 1;
      }
    }

    // Power back for good: one clean start drains the outbox.
    const last = await spawnKiosk({ dataDir, serverUrl: server.url, seed, mode: 'drain' });
    const drained = await last.until((e) => e.ev === 'drained', READY_WITHIN_MS * 2);
    await last.exited;
    collect(last.events);

    const inv = countOutboxInvariants(server.dataDir, [{ dataDir, confirmed }]);
    printInvariants('crash-arm64', inv);
    console.log(
      `crash-arm64: kills=${KILLS} restartMs(median)=${startupMs()} killedInStartup=${killedInStartup} ` +
        `killedAtWork=${killedAtWork} restartsWithPending=${restartsWithPending} opens=${checks.length}`,
    );

    expect(killedInStartup).toBeGreaterThan(0);
    expect(killedAtWork).toBeGreaterThan(0);
    expect(checks.every((c) => c === 'ok' || c === 'new')).toBe(true);
    expect(drained).toMatchObject({ pending: 0 });
    expectInvariantsHold(inv);
  },
);
