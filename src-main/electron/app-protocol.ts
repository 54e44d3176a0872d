/**
 * The renderer's origin in Electron: `app://kiosk/`, a privileged standard scheme served
 * from the built renderer directory (dist/renderer, or resources/app.asar/renderer when
 * packaged) with the strict Content-Security-Policy as a real response header.
 *
 * Why not file://: a file page's origin is the whole disk, CSP 'self' would mean every
 * file, and the sender check in ipc-main.ts could not tell our page from any other file.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { protocol, type CustomScheme } from 'electron';
import { CONTENT_TYPES, photoFile } from '../web-host/static-files.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Standard + secure gives the page a real origin, web storage and relative URLs; Vite's
 * `<script type="module" crossorigin>` needs fetch and CORS support on the scheme. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
};

/** The renderer needs no network: everything goes through the KioskApi over IPC. */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS: Record<string, string> = {
  'content-security-policy': RENDERER_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    // A non-special scheme's URL.origin is "null" in WHATWG URL; compare the parts instead.
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Must run before `app` is ready (Electron's rule): privileges are fixed at startup. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

/** The protocol.handle handler: files under `rendererDir` only, everything else 404. */
export function rendererHandler(
  rendererDir: string,
  photosDir?: string,
): (request: Request) => Promise<Response> {
  const root = resolve(rendererDir);
  return async (request) => {
    const plain = (status: number) =>
      new Response(null, { status, headers: { ...HEADERS, 'content-type': 'text/plain' } });
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405);
    let pathname: string;
    try {
      const url = new URL(request.url);
      if (url.host !== APP_HOST) return plain(404);
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return plain(400);
    }
    const photo = photoFile(photosDir, pathname);
    const rel = pathname === '/' ? 'index.html' : normalize(pathname).replace(/^[/\\]+/, '');
    const file = photo ?? join(root, rel);
    if (!photo && !file.startsWith(root + sep)) return plain(404);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return plain(404);
    }
    const headers = {
      ...HEADERS,
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

/** Must run after `app` is ready. */
export function serveRenderer(rendererDir: string, photosDir?: string): void {
  protocol.handle(APP_SCHEME, rendererHandler(rendererDir, photosDir));
}
