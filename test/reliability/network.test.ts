/**
 * Network: several kiosks reach the server through a loopback TCP proxy that delays,
 * drops, resets and cuts requests and answers (some after the server acted on them), while
 * people borrow and return at every kiosk. When the network heals, every confirmed
 * transaction is on the server exactly once and the loans follow the log.
 * A short run in `npm test`, a long one in `npm run test:soak` (a number of visits, not a time,
 * and every kind of fault forced once on the first syncs, so the run is the same on a slow
 * machine). Replay with RELIABILITY_SEED.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BORROWERS, type Confirmed, drainOutbox, visit } from '../fixtures/kiosk-driver.ts';
import {
  passAll,
  randomFaults,
  startFaultProxy,
  type Fate,
  type FaultProxy,
  type Policy,
} from '../fixtures/fault-proxy.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { countOutboxInvariants, printInvariants } from '../fixtures/outbox-invariants.ts';
import { expectInvariantsHold } from '../fixtures/invariant-checks.ts';
import { runSeed, seededRandom, type Rng } from '../fixtures/random.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { FAST_TAPS, SOAK } from './soak.ts';

const KIOSKS = SOAK ? 5 : 3;
/** Visits per kiosk: a count, not a time, so a slow machine runs the same test. */
const VISITS = SOAK ? 1_500 : 60;
const FAULT_RATE = 0.35;

/** Network faults only; server errors and timeouts have their own test (faults.test.ts). */
const networkFault = (r: number): Fate =>
  r < 0.3
    ? { kind: 'delay', ms: 5 + Math.round(r * 250) }
    : r < 0.45
      ? { kind: 'reset' }
      : r < 0.6
        ? { kind: 'drop' }
        : r < 0.7
          ? { kind: 'cut-request' }
          : r < 0.85
            ? { kind: 'cut-response' }
            : { kind: 'lose-response' };

/** Each kind of fault once, in turn, on the first requests; then `rest`: every kind happens. */
function everyFaultFirst(rest: Policy): Policy {
  const first: Fate[] = [
    { kind: 'delay', ms: 50 },
    { kind: 'reset' },
    { kind: 'drop' },
    { kind: 'cut-request' },
    { kind: 'cut-response' },
    { kind: 'lose-response' },
  ];
  let n = 0;
  return (line) => (/^POST \/v1\/sync /.test(line) && n < first.length ? first[n++]! : rest(line));
}

let server: TestServer;
let proxy: FaultProxy;
const kiosks: { kiosk: TestKiosk; confirmed: Confirmed[]; skew: { ms: number } }[] = [];

beforeAll(async () => {
  server = await startTestServer({ tapsPerMinute: FAST_TAPS });
  proxy = await startFaultProxy({ target: server.url });
  for (let i = 0; i < KIOSKS; i++) {
    const skew = { ms: 0 };
    const kiosk = await startTestKiosk({
      serverUrl: proxy.url,
      enrollCode: await server.enrollmentCode(`kiosk ${i}`),
      ports: { clock: { now: () => Date.now() + skew.ms } },
    });
    await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
    kiosks.push({ kiosk, confirmed: [], skew });
  }
});

afterAll(async () => {
  for (const k of kiosks) await k.kiosk.dispose();
  await proxy?.close();
  await server?.dispose();
});

async function work(k: (typeof kiosks)[number], rng: Rng) {
  for (let n = 0; n < VISITS; n++) {
    // Each kiosk's people tap in turn; the clock steps past the badge de-duplication window.
    k.skew.ms += 2_000;
    const outcome = await visit(k.kiosk, BORROWERS[n % BORROWERS.length]!, rng);
    if (outcome.kind === 'confirmed') k.confirmed.push(...outcome.rows);
  }
}

it(
  `${KIOSKS} kiosks behind a faulty network lose and double nothing`,
  { timeout: VISITS * 4_000 + 120_000 },
  async () => {
    const seed = runSeed();
    console.log(`network: seed=${seed} kiosks=${KIOSKS} visits=${VISITS}`);
    const rng = seededRandom(seed);
    proxy.setPolicy(everyFaultFirst(randomFaults(rng, FAULT_RATE, networkFault)));
    await Promise.all(kiosks.map((k, i) => work(k, seededRandom(seed + i + 1))));

    // The network heals: every kiosk drains its outbox.
    proxy.setPolicy(passAll);
    for (const { kiosk } of kiosks) {
      await drainOutbox(kiosk);
    }

    const stats = proxy.stats();
    const inv = countOutboxInvariants(
      server.dataDir,
      kiosks.map((k) => ({ dataDir: k.kiosk.dataDir, confirmed: k.confirmed })),
    );
    printInvariants('network', inv);
    console.log(`network: proxy ${JSON.stringify(stats)}`);

    expectInvariantsHold(inv, KIOSKS * 3);
    // The faults did happen.
    for (const kind of ['delay', 'reset', 'drop', 'cut-request', 'cut-response', 'lose-response'] as const)
      expect(stats.fates[kind] ?? 0, kind).toBeGreaterThan(0);
  },
);
