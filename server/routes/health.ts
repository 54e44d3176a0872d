/**
 * Health, the way load balancers and Kubernetes probe it:
 * - `/healthz/live`: the process answers HTTP. Nothing else is checked, so a database outage
 *   never has an orchestrator restart every replica at once (that would not bring it back).
 * - `/healthz/ready`: this replica can serve: the database answers (within READY_DB_MS) and
 *   a signing key is loaded and published. HAProxy's check uses this one. Once the server
 *   has begun to close, Fastify answers every request 503 itself (return503OnClosing), this
 *   one too, so a load balancer takes the replica out before its connections go.
 * - `/healthz`: kept as it was (the database answers) for the kiosks and scripts that call it.
 * A failed check answers 503 SERVICE_UNAVAILABLE with a message naming what failed.
 */
import { ErrorBody, HealthResponse, JwksResponse, toIso } from '../../protocol/index.ts';
import type { App, FeatureOptions } from '../http/app-type.ts';
import type { ServerDeps } from '../deps.ts';

/** How long the readiness check waits for the database before calling the replica not ready. */
export const READY_DB_MS = 2_000;

const notReady = (message: string) => ({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' as const, message });

/** Null when ready, else what is not. */
async function readiness(deps: ServerDeps): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      deps.store.isEmpty(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${READY_DB_MS} ms`)), READY_DB_MS);
      }),
    ]);
  } catch (err) {
    return `database: ${(err as { detail?: string }).detail ?? (err as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
  try {
    const { kid } = deps.keys.current();
    if (!deps.keys.jwks().keys.some((k) => k.kid === kid))
      return `keys: the signing key ${kid} is not published`;
  } catch (err) {
    return `keys: ${(err as Error).message}`;
  }
  return null;
}

export async function healthRoutes(app: App, { deps }: FeatureOptions) {
  const ok = () => ({ status: 'ok' as const, time: toIso(deps.clock.now()), version: deps.version });
  const schema = { response: { 200: HealthResponse, 503: ErrorBody } };

  // A load balancer takes a replica out of rotation when this fails: it answers 503
  // SERVICE_UNAVAILABLE when the database cannot be reached, not only when the process is gone.
  app.get('/healthz', { schema }, async () => {
    await deps.store.isEmpty();
    return ok();
  });

  app.get('/healthz/live', { schema: { response: { 200: HealthResponse } } }, async () => ok());

  app.get('/healthz/ready', { schema }, async (_req, reply) => {
    const why = await readiness(deps);
    if (why === null) return ok();
    reply.header('retry-after', '2');
    return reply.code(503).send(notReady(`not ready: ${why}`));
  });

  app.get('/.well-known/jwks.json', { schema: { response: { 200: JwksResponse } } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return deps.keys.jwks() as JwksResponse;
  });
}
