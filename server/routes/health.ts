import { HealthResponse, JwksResponse, toIso } from '../../protocol/index.ts';
import type { App } from '../app.ts';
import type { ServerDeps } from '../deps.ts';

export function healthRoutes(app: App, deps: ServerDeps) {
  app.get('/healthz', { schema: { response: { 200: HealthResponse } } }, async () => ({
    status: 'ok' as const,
    time: toIso(deps.clock.now()),
    version: deps.version,
  }));

  app.get('/.well-known/jwks.json', { schema: { response: { 200: JwksResponse } } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return deps.keys.jwks() as JwksResponse;
  });
}
