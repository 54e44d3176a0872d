/**
 * Issue 17, the paged catalog pull end to end: a real kiosk core (protocol 5) pulls 10,000
 * items from a real server in pages. Stopped in the middle (the server goes away), it keeps
 * the catalog it had, usable offline, and none of the pages; with the server back (a new
 * process) it goes on from the page it stopped at and completes. A long change list cut
 * off by the network and then a kiosk restart resumes at the page it stopped at.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';

const COUNT = 10_000;

let server: TestServer;
let kiosk: TestKiosk;
const kioskDir = mkdtempSync(join(tmpdir(), 'rental-kiosk-pages-'));
/** Every catalog request the kiosk made, in order (path and query only). */
const requests: string[] = [];
/** Before the n-th catalog request: what to do instead of sending it plainly. */
let interfere: ((n: number) => Promise<void>) | null = null;
/** Rewrites a catalog request's URL (a token the server will not take). */
let rewrite: ((url: string) => string) | null = null;

const countingFetch: typeof fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (url.includes('/v1/catalog')) {
    requests.push(url.slice(url.indexOf('/v1/catalog')));
    await interfere?.(requests.length);
    if (rewrite && typeof input === 'string') return fetch(rewrite(input), init);
  }
  return fetch(input, init);
};

const startKiosk = async (enrollCode?: string) =>
  startTestKiosk({
    serverUrl: server.url,
    dataDir: kioskDir,
    ...(enrollCode ? { enrollCode } : {}),
    // The tests drive every pull and count its requests: no timed pull may come between.
    // (Under arm64 emulation the first test outlasts the default 30 s poll.)
    ports: { fetch: countingFetch, catalogPollMs: 24 * 3_600_000 },
  });

beforeAll(async () => {
  server = await startTestServer();
  kiosk = await startKiosk(await server.enrollmentCode());
  await kiosk.waitForView((v) => v.items.length > 0, 'the demo catalog');
}, 60_000);
afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
  rmSync(kioskDir, { recursive: true, force: true });
});

const pages = () => requests.filter((r) => r.includes('page=')).length;

it('pulls 10,000 items in pages; the server stopped mid-pull leaves the old catalog in use, and the pull completes when it is back', async () => {
  const { store } = server.deps();
  const before = (await kiosk.core.api.getView({})).items.length;
  for (let i = 0; i < COUNT; i++) {
    await store.createItem({
      tag: `BULK-${String(i).padStart(5, '0')}`,
      name: `대여 물품 ${i}`,
      category: 'Bulk',
      loanDays: 7,
      restrictedTo: null,
      lockerSlot: null,
    });
  }
  const total = (await store.itemsSince(null)).items.filter((i) => !i.retired).length;
  expect(total).toBe(before + COUNT);

  // The server goes away before the 8th answer of the pull.
  requests.length = 0;
  interfere = async (n) => {
    if (n === 8) await server.stop();
  };
  await kiosk.core.pullCatalog();
  interfere = null;
  expect(requests[0]).toMatch(/\?cursor=\d+$/);
  expect(pages()).toBe(7);
  // Nothing of the pages shows: the catalog from before, still usable offline.
  const offline = await kiosk.core.api.getView({});
  expect(offline.items.length).toBe(before);
  expect(offline.items.some((i) => i.tag.startsWith('BULK-'))).toBe(false);

  // Back (a new server process): the unfinished pull goes on from the page it stopped at.
  await server.start();
  requests.length = 0;
  await kiosk.core.pullCatalog();
  expect(requests[0]).toMatch(/\?page=/);
  expect(requests[1]).toMatch(/\?page=/);
  const view = await kiosk.waitForView((v) => v.items.length === total, 'every item');
  expect(new Set(view.items.map((i) => i.id)).size).toBe(total);
  // 10,000 new items since the kiosk's cursor are 20 pages of 500: 7 came before the stop
  // (the 8th was cut off), the other 13 now.
  expect(pages()).toBe(13);
}, 240_000);

it('a long change list cut off by the network, then a kiosk restart: the pull resumes at its page and applies at once', async () => {
  const { store } = server.deps();
  const bulk = (await store.itemsSince(null)).items.filter((i) => i.tag.startsWith('BULK-')).slice(0, 1200);
  for (const item of bulk) await store.updateItem(item.id, { name: `${item.name} (새 이름)` });

  requests.length = 0;
  interfere = async (n) => {
    if (n === 2) throw new TypeError('fetch failed');
  };
  await kiosk.core.pullCatalog();
  interfere = null;
  expect(requests.length).toBe(2);
  expect((await kiosk.core.api.getView({})).items.filter((i) => i.name.endsWith('(새 이름)'))).toEqual([]);

  await kiosk.dispose();
  requests.length = 0;
  kiosk = await startKiosk();
  // The restarted kiosk shows its catalog at once, before any pull.
  expect((await kiosk.core.api.getView({})).items.filter((i) => i.tag.startsWith('BULK-')).length).toBe(
    COUNT,
  );
  await kiosk.core.pullCatalog();
  // It went on from the second page, not from the start.
  expect(requests[0]).toMatch(/\?page=/);
  const view = await kiosk.waitForView(
    (v) => v.items.filter((i) => i.name.endsWith('(새 이름)')).length === bulk.length,
    'every renamed item',
  );
  expect(view.items.filter((i) => i.tag.startsWith('BULK-')).length).toBe(COUNT);
}, 240_000);

it('a pull whose page token the server refuses starts again from the catalog the kiosk has, and completes', async () => {
  const { store } = server.deps();
  const bulk = (await store.itemsSince(null)).items.filter((i) => i.tag.startsWith('BULK-')).slice(0, 900);
  for (const item of bulk) await store.updateItem(item.id, { category: 'Refused token' });

  requests.length = 0;
  interfere = async (n) => {
    if (n === 2) throw new TypeError('fetch failed');
  };
  await kiosk.core.pullCatalog();
  interfere = null;
  expect((await kiosk.core.api.getView({})).items.filter((i) => i.category === 'Refused token')).toEqual([]);

  // The next request's token is tampered with on the way: a 400, and the kiosk starts again.
  requests.length = 0;
  let tampered = false;
  rewrite = (url) => {
    if (tampered || !url.includes('page=')) return url;
    tampered = true;
    return url.replace(/page=[^.]+/, 'page=AAAA');
  };
  await kiosk.core.pullCatalog();
  rewrite = null;
  expect(tampered).toBe(true);
  expect(requests[0]).toMatch(/\?page=/);
  expect(requests[1]).toMatch(/\?cursor=\d+$/);
  await kiosk.waitForView(
    (v) => v.items.filter((i) => i.category === 'Refused token').length === bulk.length,
    'every changed item after the pull started again',
  );
}, 240_000);
