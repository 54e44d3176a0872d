/**
 * Issue 17: the kiosk's borrow list shows each item's photo as a small thumbnail beside its
 * name (protocol 5; the core serves them at item-photos/<hash>.jpg on the renderer's own
 * origin). The real renderer in Chromium on the real kiosk core and server: staff's photos
 * are put on the server, the core fetches their thumbnails with the catalog, and the web
 * host's file server serves them from the core's photo store. At 800x480, 1280x800 and
 * 1080x1920, Korean and English; screenshots to test/artifacts/ui/*-18-item-photos-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparePhoto } from '../../server/photos/item-photo.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import type { TestKiosk } from '../fixtures/kiosk.ts';
import {
  chromiumSkipReason,
  VIEWPORTS,
  type LaunchedBrowser,
  type ViewportName,
} from '../support/chromium.ts';
import { equipmentPhoto, type PhotoSubject } from '../support/item-photos.ts';
import { overflows, shot, smallTargets } from '../support/ui-page.ts';
import { openIdle, startRealCoreHarness, type RealCoreHarness } from './fixture/real-core-harness.ts';

const skip = chromiumSkipReason();

/** Which demo items have a photo, and of what. The rest have none and show none. */
const PHOTOS: Record<string, PhotoSubject> = {
  'LT-001': 'laptop',
  'LT-002': 'laptop',
  'CM-001': 'camera',
  'CM-002': 'camera',
};
const MINJUN = DEMO_PEOPLE[0];

describe.skipIf(skip !== null)('kiosk UI: item photos in the borrow list (Chromium)', () => {
  let harness: RealCoreHarness;
  let chrome: LaunchedBrowser;
  let base: string;
  let kiosk: TestKiosk;
  /** The photos' hashes, as the server names them. */
  const hashes = new Set<string>();

  beforeAll(async () => {
    harness = await startRealCoreHarness();
    ({ base, chrome } = harness);
    // Staff put the photos on the server; the kiosk brings their thumbnails with the catalog.
    const { store } = harness.server.deps();
    for (const [tag, subject] of Object.entries(PHOTOS)) {
      const item = (await store.findItemByTag(tag))!;
      const photo = await preparePhoto(item.id, await equipmentPhoto(subject), Date.now());
      await store.setItemPhoto(item.id, photo);
      hashes.add(photo.hash);
    }
    kiosk = await harness.startKiosk();
    await kiosk.waitForView(
      (v) => v.items.filter((i) => i.photo).length === hashes.size,
      'every thumbnail fetched',
    );
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  for (const size of Object.keys(VIEWPORTS) as ViewportName[]) {
    it(`shows a thumbnail beside each item that has a photo, at ${size} in Korean and English`, async () => {
      const context = await chrome.browser.newContext({ viewport: VIEWPORTS[size], hasTouch: true });
      const page = await context.newPage();
      // The thumbnails the page got, as served (200, a JPEG) by the web host's file server.
      const served: string[] = [];
      page.on('response', (res) => {
        const hash = /item-photos\/([0-9a-f]{64})\.jpg$/.exec(res.url())?.[1];
        if (hash && res.status() === 200 && res.headers()['content-type'] === 'image/jpeg') served.push(hash);
      });
      await openIdle(page, base);

      for (const lang of ['ko', 'en'] as const) {
        if (lang === 'en') await page.tap('button.lang-switch');
        kiosk.core.badge(MINJUN.badge);
        await page.tap('[data-testid="go-borrow"]');
        const camera = page.locator('[data-item-tag="CM-001"] img.item-thumb');
        await camera.waitFor();
        await expect
          .poll(() => camera.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth))
          .toBe(160);
        // Decorative: the button already says the item's name.
        expect(await camera.getAttribute('alt')).toBe('');
        const box = (await camera.boundingBox())!;
        expect(box.width).toBeGreaterThan(30);
        expect(box.width).toBeLessThan(90);
        // Only items with a photo have a thumbnail.
        expect(await page.locator('[data-item-tag="TB-001"] img').count()).toBe(0);
        const withThumb = await page.locator('[data-item-tag] img.item-thumb').count();
        const listed = await page
          .locator('[data-item-tag]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-item-tag')));
        expect(withThumb).toBe(listed.filter((t) => t && t in PHOTOS).length);
        // The thumbnail sits left of the name, not above it.
        const name = (await page.locator('[data-item-tag="CM-001"] .item-name').boundingBox())!;
        expect(name.x).toBeGreaterThan(box.x + box.width - 1);
        expect(await overflows(page)).toEqual({ x: false, y: false });
        expect(await smallTargets(page)).toEqual([]);
        await shot(page, 'ui', `${size}-18-item-photos-${lang}`);
        await kiosk.core.api.endSession({});
        await page.locator('[data-screen="idle"]').waitFor();
        if (lang === 'en') await page.tap('button.lang-switch');
      }
      expect(served.length).toBeGreaterThan(0);
      expect(served.every((h) => hashes.has(h))).toBe(true);
      await context.close();
    });
  }
});
