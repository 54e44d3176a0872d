/**
 * The web host: the kiosk UI and its KioskApi served to a browser (development, the
 * Chromium end-to-end tests, or a Chromium kiosk instead of Electron). Built, not started:
 * listen() is the caller's.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KioskApi } from '../../protocol/index.ts';
import type { Logger } from '../core/index.ts';
import { SECURITY_HEADERS, serveStatic } from './static-files.ts';
import { createWsBridge } from './ws-bridge.ts';

export type WebHost = {
  server: Server;
  listen(host: string, port: number): Promise<{ url: string }>;
  close(): Promise<void>;
};

export function createWebHost(deps: {
  api: KioskApi;
  rendererDir: string;
  logger: Logger;
  /** Where the core keeps item photo thumbnails (served at /item-photos/<hash>.jpg). */
  photosDir?: string;
}): WebHost {
  const allowedHosts = new Set<string>();
  const bridge = createWsBridge({ api: deps.api, allowedHosts, logger: deps.logger });
  const files = serveStatic(deps.rendererDir, deps.photosDir);
  const server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json', ...SECURITY_HEADERS }).end('{"ok":true}');
      return;
    }
    // Browsers ask for it on their own; the kiosk has none, and a 404 would only be noise.
    if (req.url === '/favicon.ico') {
      res.writeHead(204, SECURITY_HEADERS).end();
      return;
    }
    files(req, res);
  });
  server.on('upgrade', (req, socket, head) => bridge.upgrade(req, socket, head));

  return {
    server,
    listen: (host, port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const actual = (server.address() as AddressInfo).port;
          const h = host.includes(':') ? `[${host}]` : host;
          allowedHosts.add(`${h}:${actual}`);
          if (host === '127.0.0.1' || host === '::1') allowedHosts.add(`localhost:${actual}`);
          resolve({ url: `http://${h}:${actual}/` });
        });
      }),
    async close() {
      await bridge.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
