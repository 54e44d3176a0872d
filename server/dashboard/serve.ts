/**
 * Serves the built dashboard (npm run build:dashboard -> dist/dashboard) at /dashboard/.
 * A strict Content-Security-Policy goes with every page: scripts, styles and connections
 * only from this origin, no framing. If the build is missing, /dashboard/ says how to make it
 * instead of a bare 404.
 */
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../http/app-type.ts';

export const DEFAULT_DASHBOARD_DIR = join(import.meta.dirname, '..', '..', 'dist', 'dashboard');

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

export async function dashboardRoutes(
  app: App,
  { dir = DEFAULT_DASHBOARD_DIR }: { dir?: string | undefined },
) {
  app.get('/', (_request, reply) => reply.redirect('/dashboard/'));
  if (!existsSync(join(dir, 'index.html'))) {
    app.get('/dashboard/*', (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The dashboard is not built. Run: npm run build:dashboard'),
    );
    return;
  }
  void app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: dir,
      prefix: '/dashboard/',
      index: false,
      // Hashed asset names can be cached for long; index.html must not be, to pick up new builds.
      setHeaders(res, path) {
        res.setHeader('content-security-policy', CSP);
        res.setHeader('x-content-type-options', 'nosniff');
        res.setHeader('referrer-policy', 'no-referrer');
        res.setHeader(
          'cache-control',
          path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
        );
      },
    });
    // The app itself (its routes live after the #, so one page serves them all).
    scope.get('/dashboard/', (_request, reply) => reply.sendFile('index.html'));
  });
}
