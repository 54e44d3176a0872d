/**
 * Issue 14.5: a start must never throw evidence away. With the outbox file deleted or
 * truncated under a running kiosk, the screen went on saying "done", and the restart opened a
 * fresh database and let SQLite delete the WAL that held the unsynced rows.
 *
 * Now the running kiosk notices at the next commit (or heartbeat), refuses it, goes out of
 * service and copies what it still holds; a start refuses to build a fresh database over
 * that evidence and says how to recover; a start with RENTAL_RECOVER_OUTBOX=1 keeps the old
 * files, rebuilds the outbox from them, and the next sync lands each confirmed row exactly once.
 */
import { existsSync, readdirSync, rmSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { KIOSK_DEFAULTS } from '../../protocol/config/kiosk-config.ts';
import { createKiosk } from '../../src-main/core/create-kiosk.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { expectInvariantsHold } from '../fixtures/invariant-checks.ts';
import { type Confirmed, drainOutbox, receiptRows } from '../fixtures/kiosk-driver.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { countOutboxInvariants, printInvariants } from '../fixtures/outbox-invariants.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

/** Confirms borrows and a return with the server away, so every row waits in the outbox. */
async function confirmOffline(
  kiosk: TestKiosk,
  server: TestServer,
  skew: { ms: number },
): Promise<Confirmed[]> {
  const { api } = kiosk.core;
  await api.simulateTap({ credential: DEMO_PEOPLE[0].badge });
  const session = await kiosk.waitForView((v) => v.screen === 'session', 'the session');
  const free = session.items.filter((i) => i.available && !i.blockedFor).map((i) => i.id);
  await server.stop();
  const confirmed: Confirmed[] = [];
  const record = () => confirmed.push(...receiptRows(kiosk));
  expect(await api.borrow({ itemIds: free.slice(0, 4) })).toEqual({ ok: true });
  record();
  skew.ms += 10_000; // past the reader's repeat window
  await api.simulateTap({ credential: DEMO_PEOPLE[0].badge });
  await kiosk.waitForView((v) => v.screen === 'session', 'the session again');
  expect(await api.returnItems({ itemIds: free.slice(0, 1) })).toEqual({ ok: true });
  record();
  skew.ms += 10_000;
  await api.simulateTap({ credential: DEMO_PEOPLE[0].badge });
  await kiosk.waitForView((v) => v.screen === 'session', 'a third session');
  expect(kiosk.outbox.stats().pending).toBe(5);
  return confirmed;
}

async function setup() {
  const server = await startTestServer();
  cleanups.push(() => server.dispose());
  const skew = { ms: 0 };
  const kiosk = await startTestKiosk({
    serverUrl: server.url,
    enrollCode: await server.enrollmentCode(),
    ports: { clock: { now: () => Date.now() + skew.ms } },
  });
  cleanups.push(() => kiosk.dispose());
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
  await kiosk.roster.refresh(true); // later taps, with the server away, are offline sessions
  return { server, kiosk, skew };
}

const restart = (kiosk: TestKiosk, server: TestServer, recoverOutbox: boolean) =>
  createKiosk(
    { ...KIOSK_DEFAULTS, dataDir: kiosk.dataDir, serverUrl: server.url, simulator: true },
    {},
    {
      recoverOutbox,
    },
  );

for (const [how, lose] of [
  ['deleted', (file: string) => rmSync(file)],
  ['truncated to 0 bytes', (file: string) => truncateSync(file, 0)],
] as const) {
  it(`outbox file ${how} under a running kiosk: refused, kept, recovered, sent exactly once`, async () => {
    const { server, kiosk, skew } = await setup();
    const confirmed = await confirmOffline(kiosk, server, skew);
    const file = join(kiosk.dataDir, 'kiosk.db');

    lose(file);
    // The next commit is refused, not confirmed into a file that is gone.
    const free = (await kiosk.core.api.getView({})).items.find((i) => i.available && !i.blockedFor)!;
    const refused = await kiosk.core.api.borrow({ itemIds: [free.id] });
    expect(refused).toMatchObject({ ok: false });
    const out = await kiosk.waitForView((v) => v.screen === 'outOfService', 'out of service');
    expect(out.status.storageFault).toMatch(new RegExp(how.split(' ')[0]!));
    expect(kiosk.core.state().screen).not.toBe('receipt');
    // Close as a person stopping the kiosk would (SQLite deletes the WAL on close).
    cleanups.pop();
    await kiosk.close();

    // A plain start refuses to build a fresh database over what is left, and says what to do.
    await expect(restart(kiosk, server, false)).rejects.toThrow(/RENTAL_RECOVER_OUTBOX=1/);
    expect(existsSync(file) && readdirSync(kiosk.dataDir).includes('kiosk.db-wal')).toBe(false);

    // The recovery start keeps the old files and puts the five waiting rows back.
    await server.start();
    const recovered = await restart(kiosk, server, true);
    cleanups.push(async () => {
      await recovered.close();
      rmSync(kiosk.dataDir, { recursive: true, force: true });
    });
    const kept = readdirSync(kiosk.dataDir).filter((n) => n.startsWith('salvaged-outbox-'));
    expect(kept).toHaveLength(1);
    expect(readdirSync(join(kiosk.dataDir, kept[0]!)).length).toBeGreaterThan(0);
    expect(recovered.outbox.stats().pending).toBe(5);
    await recovered.start();
    await drainOutbox(recovered);

    const inv = countOutboxInvariants(server.dataDir, [{ dataDir: kiosk.dataDir, confirmed }]);
    printInvariants(`lost-outbox (${how})`, inv);
    expectInvariantsHold(inv);
    expect(inv.outcomes).toEqual({ applied: 5 });
  });
}
