/**
 * The kiosk core sends the UI one view per change it makes, not one per flag it touches on
 * the way: a tap's answer also sets the sync loop's online flag and wakes the loop, a borrow
 * commits and wakes the loop; each is one view, built once. Real core, real SQLite outbox,
 * real server on loopback; the network is cut by the kiosk's fetch port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KIOSK_DEFAULTS } from '../../../protocol/config/kiosk-config.ts';
import type { KioskView } from '../../../protocol/index.ts';
import { DEMO_PEOPLE } from '../../../server/seed/demo.ts';
import { createKiosk, type Kiosk } from '../../../src-main/core/index.ts';
import { startTestServer, type TestServer } from '../../fixtures/server.ts';

let server: TestServer;
let kiosk: Kiosk;
let dataDir: string;
let down = false;
const views: KioskView[] = [];

beforeAll(async () => {
  server = await startTestServer();
  dataDir = mkdtempSync(join(tmpdir(), 'rental-kiosk-'));
  const fetchPort: typeof fetch = (input, init) =>
    down ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
  kiosk = await createKiosk(
    { ...KIOSK_DEFAULTS, dataDir, serverUrl: server.url, simulator: true },
    { fetch: fetchPort },
    { enrollCode: await server.enrollmentCode() },
  );
  kiosk.core.api.on('view', (v) => views.push(v));
});
afterAll(async () => {
  // The borrow's sync and the catalog pull it sets off finish before the database closes.
  await kiosk?.sync.flush();
  await kiosk?.core.pullCatalog();
  await kiosk?.close();
  await server?.dispose();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The views sent from now until `pred` holds, that one included. */
async function viewsUntil(pred: (v: KioskView) => boolean, what: string): Promise<KioskView[]> {
  const from = views.length;
  for (let i = 0; i < 500; i++) {
    const at = views.findIndex((v, j) => j >= from && pred(v));
    if (at >= 0) return views.slice(from, at + 1);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no view with ${what}`);
}

it('a tap that finds the server back sends two views: identifying, then the session, online', async () => {
  // Started with the server out of reach: the kiosk knows itself offline.
  down = true;
  await kiosk.start();
  expect((await kiosk.core.api.getView({})).status.online).toBe(false);
  down = false;

  kiosk.core.badge(DEMO_PEOPLE[0].badge);
  const sent = await viewsUntil((v) => v.screen === 'session', 'the session');
  expect(sent.map((v) => [v.screen, v.status.online])).toEqual([
    ['identifying', false],
    ['session', true],
  ]);
});

it('a borrow sends one view: the receipt', async () => {
  // The catalog the kiosk could not pull while the server was out of reach.
  await kiosk.core.pullCatalog();
  const view = await kiosk.core.api.getView({});
  const item = view.items.find((i) => i.available && !i.blockedFor)!;
  const from = views.length;
  expect(await kiosk.core.api.borrow({ itemIds: [item.id] })).toEqual({ ok: true });
  // The command answered after its commit: everything it changed is in the views sent so far.
  expect(views.slice(from).map((v) => v.screen)).toEqual(['receipt']);
});
