import { ErrorBody, HealthResponse, JwksResponse, toIso } from '../../protocol/index.ts';
import type { App } from '../app.ts';
import type { ServerDeps } from '../deps.ts';

export function healthRoutes(app: App, deps: ServerDeps) {
  // A load balancer takes a replica out of rotation when this fails: it answers 503
  // SERVICE_UNAVAILABLE when the database cannot be reached, not only when the process is gone.
  app.get('/healthz', { schema: { response: { 200: HealthResponse, 503: ErrorBody } } }, async () => {
    await deps.store.isEmpty();
    return { status: 'ok' as const, time: toIso(deps.clock.now()), version: deps.version };
  });

  app.get('/.well-known/jwks.json', { schema: { response: { 200: JwksResponse } } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return deps.keys.jwks() as JwksResponse;
  });
}
