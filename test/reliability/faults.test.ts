/**
 * The kiosk core's fault tests (issue 4): each plays one way the world goes wrong and ends
 * with every confirmed transaction on the server exactly once and the loans consistent,
 * counted from the kiosk's outbox file and the server's database.
 * - the server down for a whole session, then back;
 * - the server answering 500s (before and after applying) and not answering at all;
 * - the connection reset after the server applied a batch, before the kiosk read the
 *   answer: the retry comes back `duplicate`, not a second loan;
 * - the disk full under the kiosk's database: the person is told nothing was recorded,
 *   and nothing that was confirmed is lost.
 * The SIGKILL and faulty-network cases are crash.test.ts and network.test.ts.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { BORROWERS, type Confirmed, drainOutbox, receiptRows, visit } from '../fixtures/kiosk-driver.ts';
import {
  passAll,
  startFaultProxy,
  type Fate,
  type FaultProxy,
  type Policy,
} from '../fixtures/fault-proxy.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { limitFileSize, spawnKiosk } from '../fixtures/kiosk-process.ts';
import { countOutboxInvariants, printInvariants, type KioskRecord } from '../fixtures/outbox-invariants.ts';
import { expectInvariantsHold } from '../fixtures/invariant-checks.ts';
import { runSeed, seededRandom } from '../fixtures/random.ts';
import { FAST_TAPS } from './soak.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: { proxy?: boolean } = {}) {
  const server = await startTestServer({ tapsPerMinute: FAST_TAPS });
  cleanups.push(() => server.dispose());
  let proxy: FaultProxy | null = null;
  if (opts.proxy) {
    proxy = await startFaultProxy({ target: server.url });
    cleanups.push(() => proxy!.close());
  }
  const skew = { ms: 0 };
  const kiosk = await startTestKiosk({
    serverUrl: proxy?.url ?? server.url,
    enrollCode: await server.enrollmentCode(),
    ports: { clock: { now: () => Date.now() + skew.ms } },
  });
  cleanups.push(() => kiosk.dispose());
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
  return { server, proxy, kiosk, skew };
}

function verdict(name: string, server: TestServer, kiosks: KioskRecord[]) {
  const inv = countOutboxInvariants(server.dataDir, kiosks);
  printInvariants(name, inv);
  expectInvariantsHold(inv);
  return inv;
}

/** `visits` people in turn at the kiosk; returns what it confirmed. */
async function visits(kiosk: TestKiosk, skew: { ms: number }, count: number, seed: number) {
  const rng = seededRandom(seed);
  const confirmed: Confirmed[] = [];
  for (let n = 0; n < count; n++) {
    skew.ms += 2_000;
    const outcome = await visit(kiosk, BORROWERS[n % BORROWERS.length]!, rng);
    if (outcome.kind === 'confirmed') confirmed.push(...outcome.rows);
  }
  return confirmed;
}

it('server down for the whole session, then back', async () => {
  const { server, kiosk } = await setup();
  const { api } = kiosk.core;
  await api.simulateTap({ credential: BORROWERS[0]! });
  const session = await kiosk.waitForView((v) => v.screen === 'session', 'the session');
  const free = session.items.filter((i) => i.available && !i.blockedFor).map((i) => i.id);

  await server.stop();
  const confirmed: Confirmed[] = [];
  const record = () => confirmed.push(...receiptRows(kiosk));
  // Borrow three, return one, all while the server is away; each says "done" on commit.
  expect(await api.borrow({ itemIds: free.slice(0, 3) })).toEqual({ ok: true });
  record();
  await kiosk.sync.flush();
  expect((await api.getView({})).status).toMatchObject({ online: false, pending: 3 });
  await api.simulateTap({ credential: BORROWERS[0]! }); // de-duplicated: still the receipt
  kiosk.core.badge(BORROWERS[1]!); // a tap the hub lets through: the signed roster admits them offline
  await kiosk.waitForView((v) => v.screen === 'session' && v.session?.offline === true, 'an offline session');

  await server.start();
  await drainOutbox(kiosk);
  verdict('server-down', server, [{ dataDir: kiosk.dataDir, confirmed }]);
});

it('server answering 500s and timeouts', { timeout: 90_000 }, async () => {
  const { server, proxy, kiosk, skew } = await setup({ proxy: true });
  const seed = runSeed();
  const rng = seededRandom(seed);
  let syncs = 0;
  // The first syncs meet each failure once: no answer at all (the client's 5 s timeout),
  // a 500 before the server saw the batch, a 500 after it applied it. Then half of the
  // syncs fail one way or the other. Taps and catalog pulls pass.
  const first: Fate[] = [{ kind: 'stall' }, { kind: 'error-500' }, { kind: 'applied-500' }];
  const policy: Policy = (line) => {
    if (!line.startsWith('POST /v1/sync')) return { kind: 'pass' };
    const scripted = first[syncs++];
    if (scripted) return scripted;
    const r = rng();
    return r < 0.5 ? { kind: 'pass' } : r < 0.75 ? { kind: 'error-500' } : { kind: 'applied-500' };
  };
  proxy!.setPolicy(policy);
  const confirmed = await visits(kiosk, skew, 16, seed);
  await drainOutbox(kiosk);
  proxy!.setPolicy(passAll);
  await drainOutbox(kiosk);
  const stats = proxy!.stats();
  console.log(`server-errors: seed=${seed} proxy ${JSON.stringify(stats)}`);
  expect(stats.fates.stall).toBe(1);
  expect(stats.fates['error-500']).toBeGreaterThan(0);
  expect(stats.fates['applied-500']).toBeGreaterThan(0);
  verdict('server-errors', server, [{ dataDir: kiosk.dataDir, confirmed }]);
});

it('connection reset after the server applied a batch: the retry is a duplicate', async () => {
  const { server, proxy, kiosk, skew } = await setup({ proxy: true });
  let lost = 0;
  proxy!.setPolicy((line) =>
    line.startsWith('POST /v1/sync') && lost++ === 0 ? { kind: 'lose-response' } : { kind: 'pass' },
  );
  const confirmed = await visits(kiosk, skew, 1, 7);
  expect(confirmed.length).toBeGreaterThan(0);
  await drainOutbox(kiosk);
  expect(lost).toBeGreaterThan(1); // the lost answer, then the retry
  expect(proxy!.stats().duplicateAnswers).toBe(confirmed.length);
  const inv = verdict('reset-after-apply', server, [{ dataDir: kiosk.dataDir, confirmed }]);
  expect(inv.outcomes).toEqual({ applied: confirmed.length });
});

it(
  'disk full under the kiosk database: told clearly, nothing confirmed lost',
  { timeout: 90_000 },
  async () => {
    const server = await startTestServer({ tapsPerMinute: FAST_TAPS });
    cleanups.push(() => server.dispose());
    const dataDir = mkdtempSync(join(tmpdir(), 'rental-diskfull-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const seed = runSeed();

    // A normal first start: enrolled, catalog cached, a few confirmed borrows and returns.
    const first = await spawnKiosk({
      dataDir,
      serverUrl: server.url,
      seed,
      enrollCode: await server.enrollmentCode(),
    });
    await first.until((e) => e.ev === 'confirmed');
    first.kill();
    await first.exited;

    // Then the disk fills while the kiosk runs: no file may grow past its current size, so
    // the next outbox commit that needs a new page fails.
    const full = await spawnKiosk({ dataDir, serverUrl: server.url, seed: seed + 1 });
    await full.until((e) => e.ev === 'confirmed');
    const sizes = ['kiosk.db', 'kiosk.db-wal'].map((f) =>
      existsSync(join(dataDir, f)) ? statSync(join(dataDir, f)).size : 0,
    );
    limitFileSize(full.pid, Math.max(...sizes));
    const refusal = await full.until((e) => e.ev === 'refused' && e.code === 'OUTBOX_WRITE_FAILED', 30_000);
    expect(refusal).toMatchObject({ code: 'OUTBOX_WRITE_FAILED' });
    full.kill();
    await full.exited;

    // Space again: the kiosk starts cleanly and delivers everything it had confirmed.
    const after = await spawnKiosk({ dataDir, serverUrl: server.url, seed: seed + 2, mode: 'drain' });
    const ready = await after.until((e) => e.ev === 'ready');
    expect(ready).toMatchObject({ check: 'ok' });
    expect(await after.until((e) => e.ev === 'drained')).toMatchObject({ pending: 0 });
    await after.exited;

    const confirmed = [...first.events, ...full.events].flatMap((e) =>
      e.ev === 'confirmed' ? [{ id: e.id, kind: e.kind, itemId: e.itemId, userId: e.userId }] : [],
    );
    verdict('disk-full', server, [{ dataDir, confirmed }]);
  },
);
