/**
 * GET /metrics for Prometheus, behind the admin-made bearer token (metrics-token.ts), and the
 * hooks that time every request. The hooks go on the root instance in build() before any
 * feature is registered, so every feature's context inherits them; the route is a plugin.
 *
 * Why a bearer token and not a separate loopback port: with several replicas Prometheus
 * scrapes each replica's own address from another machine, which a loopback port cannot
 * serve without an extra proxy on every host; a token an admin can renew at once for every
 * replica (it lives in the database) works through the same firewall rule as the API.
 */
import type { App, FeatureOptions } from '../http/app-type.ts';
import type { ServerDeps } from '../deps.ts';
import { metricsTokenChecker } from './metrics-token.ts';
import { routeGroup } from './route-groups.ts';
import { createServerMetrics, type ServerMetrics, type ServerMetricsOptions } from './server-metrics.ts';

const EVENTS_ROUTE = '/v1/admin/events';

/** `given`: the figures' options, or figures made already (main.ts shares them with the replica heartbeat). */
export const serverMetricsOf = (
  deps: ServerDeps,
  given: ServerMetricsOptions | ServerMetrics = {},
): ServerMetrics => ('registry' in given ? given : createServerMetrics(deps, given));

/** The request timing hooks, on the root instance: they must see every feature's routes. */
export function measureRequests(app: App, metrics: ServerMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const pattern = request.routeOptions.url;
    if (pattern === EVENTS_ROUTE) return; // a stream lasts minutes: not a request time
    metrics.observe(routeGroup(pattern), request.method, reply.statusCode, reply.elapsedTime / 1000);
  });
  // After the route's own guard let it through: a refused stream is never counted open.
  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.url !== EVENTS_ROUTE) return;
    metrics.streamOpened();
    reply.raw.once('close', () => metrics.streamClosed());
  });
}

export async function metricsRoutes(
  app: App,
  { deps, metrics }: FeatureOptions & { metrics: ServerMetrics },
) {
  const check = metricsTokenChecker(deps.store, deps.clock);
  app.get('/metrics', { config: { hidden: true } }, async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice(7).trim() : null;
    const verdict = await check(presented);
    if (verdict !== 'ok') {
      if (verdict === 'unavailable') {
        reply.header('retry-after', '2');
        return reply.code(503).send({
          statusCode: 503,
          code: 'SERVICE_UNAVAILABLE',
          message: 'the database is not reachable to check the metrics token; try again shortly',
        });
      }
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      return reply.code(401).send({
        statusCode: 401,
        code: 'UNAUTHENTICATED',
        message:
          verdict === 'none'
            ? 'no metrics token yet: an admin creates one with `npm run admin -- metrics token`'
            : 'a valid metrics bearer token is required',
      });
    }
    reply.header('content-type', metrics.registry.contentType);
    reply.header('cache-control', 'no-store');
    return metrics.render();
  });
}
