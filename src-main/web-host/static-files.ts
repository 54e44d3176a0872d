/**
 * Serves the built renderer (dist/renderer) with the same strict Content-Security-Policy
 * the Electron window uses. Paths are resolved inside the root only; anything else is 404.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** Shared with the Electron app:// handler (src-main/electron/app-protocol.ts). */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=()',
};

/**
 * The thumbnail file a renderer path names (/item-photos/<hash>.jpg, kept by the core's
 * photo store in `photosDir`), or null for any other path. Shared with the app:// handler.
 */
export function photoFile(photosDir: string | undefined, pathname: string): string | null {
  const m = /^\/item-photos\/([0-9a-f]{64})\.jpg$/.exec(pathname);
  return photosDir && m ? join(photosDir, `${m[1]}.jpg`) : null;
}

export function serveStatic(root: string, photosDir?: string) {
  const base = resolve(root);
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', ...SECURITY_HEADERS }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400, SECURITY_HEADERS).end();
      return;
    }
    const photo = photoFile(photosDir, pathname);
    if (photo) {
      if (!existsSync(photo)) {
        res.writeHead(404, SECURITY_HEADERS).end();
        return;
      }
      // Named by its content: it never changes.
      res.writeHead(200, {
        'content-type': 'image/jpeg',
        'cache-control': 'public, max-age=31536000, immutable',
        ...SECURITY_HEADERS,
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(photo).pipe(res);
      return;
    }
    const rel = pathname === '/' ? 'index.html' : normalize(pathname).replace(/^([/\\])+/, '');
    const file = join(base, rel);
    if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
      if (!existsSync(join(base, 'index.html'))) {
        res
          .writeHead(503, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS })
          .end('The kiosk UI is not built yet: run `npm run build:renderer` (npm start does it for you).\n');
        return;
      }
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS })
        .end('not found\n');
      return;
    }
    const hashed = rel.startsWith('assets/');
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...SECURITY_HEADERS,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };
}
