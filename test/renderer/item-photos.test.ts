/**
 * Issue 17: the kiosk's borrow list shows each item's photo as a small thumbnail beside its
 * name (protocol 5; the core serves them at item-photos/<hash>.jpg on the renderer's own
 * origin). The real renderer in Chromium against the FakeKiosk; the thumbnails are served by
 * intercepting those URLs. At 800x480, 1280x800 and 1080x1920, Korean and English;
 * screenshots to test/artifacts/ui/*-18-item-photos-*.png.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumSkipReason,
  VIEWPORTS,
  type LaunchedBrowser,
  type ViewportName,
} from '../support/chromium.ts';
import { equipmentPhoto, type PhotoSubject } from '../support/item-photos.ts';
import { overflows, shot, smallTargets } from '../support/ui-page.ts';
import { fake, startRendererHarness, type RendererHarness } from './fixture/harness-server.ts';

const skip = chromiumSkipReason();

/** Which demo items have a photo, and of what. The rest have none and show none. */
const PHOTOS: Record<string, PhotoSubject> = {
  'LT-001': 'laptop',
  'LT-002': 'laptop',
  'CM-001': 'camera',
  'CM-002': 'camera',
};
const hashOf = (tag: string) => createHash('sha256').update(tag).digest('hex');

describe.skipIf(skip !== null)('kiosk UI: item photos in the borrow list (Chromium)', () => {
  let harness: RendererHarness;
  let chrome: LaunchedBrowser;
  let base: string;
  const thumbs = new Map<string, Buffer>();

  beforeAll(async () => {
    harness = await startRendererHarness();
    ({ base, chrome } = harness);
    for (const [tag, subject] of Object.entries(PHOTOS))
      thumbs.set(
        hashOf(tag),
        await sharp(await equipmentPhoto(subject))
          .resize(160, 160, { fit: 'cover' })
          .jpeg()
          .toBuffer(),
      );
  });

  afterAll(async () => {
    await harness?.close();
  });

  for (const size of Object.keys(VIEWPORTS) as ViewportName[]) {
    it(`shows a thumbnail beside each item that has a photo, at ${size} in Korean and English`, async () => {
      const context = await chrome.browser.newContext({ viewport: VIEWPORTS[size], hasTouch: true });
      const page = await context.newPage();
      const served: string[] = [];
      await page.route('**/item-photos/*.jpg', async (route) => {
        const hash = /([0-9a-f]{64})\.jpg$/.exec(route.request().url())?.[1] ?? '';
        served.push(hash);
        const body = thumbs.get(hash);
        await (body
          ? route.fulfill({ status: 200, contentType: 'image/jpeg', body })
          : route.fulfill({ status: 404 }));
      });
      await page.goto(base);
      await page.locator('[data-screen="idle"]').waitFor();
      const photos = JSON.stringify(Object.fromEntries(Object.keys(PHOTOS).map((t) => [t, hashOf(t)])));
      await fake(
        page,
        `const p = ${photos}; f.view.items = f.view.items.map((i) => p[i.tag] ? { ...i, photo: 'item-photos/' + p[i.tag] + '.jpg' } : i);`,
      );

      for (const lang of ['ko', 'en'] as const) {
        if (lang === 'en') await page.tap('button.lang-switch');
        await fake(page, `f.tap('nfc:04a1b2c3d4e5f6')`);
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
        await fake(page, `await f.api.endSession({})`);
        if (lang === 'en') await page.tap('button.lang-switch');
      }
      expect(served.length).toBeGreaterThan(0);
      await context.close();
    });
  }
});
