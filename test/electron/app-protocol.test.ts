/** app://kiosk/: the renderer's origin, its files and its Content-Security-Policy. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  APP_ENTRY_URL,
  RENDERER_CSP,
  isAppUrl,
  registerAppScheme,
  rendererHandler,
} from '../../src-main/electron/app-protocol.ts';
import * as electron from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts'));

const base = mkdtempSync(join(tmpdir(), 'app-protocol-'));
const root = join(base, 'renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(
  join(root, 'index.html'),
  '<!doctype html><script type="module" src="/assets/app.js"></script>',
);
writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(base, 'secret-next-to-renderer.txt'), 'secret');
afterAll(() => rmSync(base, { recursive: true, force: true }));

const handler = rendererHandler(root);
const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

beforeEach(() => electron.resetElectron());

describe('app:// scheme', () => {
  it('is registered as a privileged standard, secure scheme (before ready)', () => {
    registerAppScheme();
    expect(electron.protocol.privileged).toEqual([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
      },
    ]);
  });

  it('recognizes only app://kiosk URLs as the app', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://kiosk/assets/x.js')).toBe(true);
    for (const url of [
      'app://evil/',
      'https://kiosk/',
      'file:///index.html',
      'not a url',
      'app://kiosk.evil/',
    ])
      expect(isAppUrl(url)).toBe(false);
  });
});

describe('renderer files over app://', () => {
  it('serves index.html and assets with the strict CSP header', async () => {
    const index = await get('app://kiosk/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<script type="module"');
    const js = await get('app://kiosk/assets/app.js');
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toBe('console.log(1)');
    expect((await get('app://kiosk/')).status).toBe(200);
  });

  it('has a CSP without inline or eval script, no network, no frames, no plugins', () => {
    const directives = Object.fromEntries(
      RENDERER_CSP.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives).toMatchObject({
      'default-src': "'none'",
      'script-src': "'self'",
      'connect-src': "'none'",
      'object-src': "'none'",
      'frame-src': "'none'",
      'base-uri': "'none'",
    });
    expect(RENDERER_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it.each([
    ['a missing file', 'app://kiosk/nope.js'],
    ['an encoded path traversal', 'app://kiosk/%2e%2e/secret-next-to-renderer.txt'],
    ['an encoded backslash traversal', 'app://kiosk/..%5csecret-next-to-renderer.txt'],
    ['a directory', 'app://kiosk/assets'],
    ['another host', 'app://other/index.html'],
  ])('answers 404 for %s', async (_what, url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toBe(RENDERER_CSP);
  });

  it('answers 405 to anything but GET and HEAD', async () => {
    expect((await get('app://kiosk/index.html', 'POST')).status).toBe(405);
    const head = await get('app://kiosk/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('item photo thumbnails over app://', () => {
  const photos = join(base, 'item-photos');
  mkdirSync(photos, { recursive: true });
  const hash = 'a'.repeat(64);
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
  writeFileSync(join(photos, `${hash}.jpg`), jpeg);
  const withPhotos = rendererHandler(root, photos);

  it('serves a kept thumbnail as a JPEG with the CSP, and 404s any other name under that path', async () => {
    const res = await withPhotos(new Request(`app://kiosk/item-photos/${hash}.jpg`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(jpeg);
    for (const url of [
      `app://kiosk/item-photos/${'b'.repeat(64)}.jpg`,
      'app://kiosk/item-photos/..%2F..%2Fsecret-next-to-renderer.txt',
      `app://kiosk/item-photos/${hash.toUpperCase()}.jpg`,
    ])
      expect((await withPhotos(new Request(url))).status, url).toBe(404);
    // Without a photo folder (an older shell), the path is just a missing renderer file.
    expect((await handler(new Request(`app://kiosk/item-photos/${hash}.jpg`))).status).toBe(404);
  });
});
