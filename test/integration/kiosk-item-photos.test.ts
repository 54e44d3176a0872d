/**
 * Issue 17, item photos end to end: a photo staff put on an item reaches a real kiosk core
 * (protocol 5) as a hash with the catalog; the core fetches the thumbnail from the real
 * server, keeps it under its data directory and gives the item its URL in the view; the web
 * host serves that file on the renderer's origin (and nothing else under that path). A
 * removed photo leaves the view and the disk at the next pull.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { preparePhoto } from '../../server/photos/item-photo.ts';
import { silentLogger } from '../../src-main/core/ports.ts';
import { createWebHost, type WebHost } from '../../src-main/web-host/web-host.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { equipmentPhoto } from '../support/item-photos.ts';

let server: TestServer;
let kiosk: TestKiosk;
let host: WebHost;
let hostUrl: string;
const rendererDir = mkdtempSync(join(tmpdir(), 'rental-renderer-'));

beforeAll(async () => {
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
  server = await startTestServer();
  kiosk = await startTestKiosk({ serverUrl: server.url, enrollCode: await server.enrollmentCode() });
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
  host = createWebHost({
    api: kiosk.core.api,
    rendererDir,
    logger: silentLogger,
    photosDir: kiosk.photos.dir,
  });
  hostUrl = (await host.listen('127.0.0.1', 0)).url;
});
afterAll(async () => {
  await host?.close();
  await kiosk?.dispose();
  await server?.dispose();
  rmSync(rendererDir, { recursive: true, force: true });
});

it('a photo put on an item shows at the kiosk as a thumbnail served on its own origin, and goes when removed', async () => {
  const { store } = server.deps();
  const camera = (await store.findItemByTag('CM-001'))!;
  const photo = await preparePhoto(camera.id, await equipmentPhoto('camera', 1600, 1200), Date.now());
  await store.setItemPhoto(camera.id, photo);

  await kiosk.core.pullCatalog();
  const url = `item-photos/${photo.hash}.jpg`;
  const view = await kiosk.waitForView(
    (v) => v.items.find((i) => i.id === camera.id)?.photo === url,
    'the thumbnail in the view',
  );
  // Only the item with a photo has one.
  expect(view.items.filter((i) => i.photo).map((i) => i.id)).toEqual([camera.id]);
  const file = join(kiosk.dataDir, 'item-photos', `${photo.hash}.jpg`);
  expect(readFileSync(file)).toEqual(photo.thumb);

  const res = await fetch(`${hostUrl}${url}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/jpeg');
  expect(res.headers.get('content-security-policy')).toContain("img-src 'self' data:");
  const served = Buffer.from(await res.arrayBuffer());
  expect(served).toEqual(photo.thumb);
  expect((await sharp(served).metadata()).width).toBe(160);
  // Other names under that path are not files of the kiosk.
  expect((await fetch(`${hostUrl}item-photos/${'0'.repeat(64)}.jpg`)).status).toBe(404);
  expect((await fetch(`${hostUrl}item-photos/..%2Fkiosk.db`)).status).toBe(404);

  await store.setItemPhoto(camera.id, null);
  await kiosk.core.pullCatalog();
  await kiosk.waitForView((v) => v.items.every((i) => i.photo === undefined), 'no thumbnail');
  expect(existsSync(file)).toBe(false);
});
