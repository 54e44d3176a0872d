/**
 * build(deps) returns the HTTP app, not listening: tests call app.inject(), main.ts listens.
 * Validation: unknown fields are rejected (not stripped), types are not coerced.
 *
 * What applies to every request (cookies, errors, draining, the server clock, request
 * timing, default-deny auth) is set on the root instance here; each feature is a plugin
 * registered with its own encapsulated context, loaded in order when the app is readied.
 */
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServerDeps } from './deps.ts';
import { RequestLog } from './http/request-log.ts';
import { installErrorHandler } from './http/error-handler.ts';
import { closeConnectionsWhenDraining } from './http/drain.ts';
import { stampServerClock } from './http/server-clock.ts';
import { dashboardRoutes } from './dashboard/serve.ts';
import { adminRoutes, type AdminRouteOptions } from './routes/admin/index.ts';
import { healthRoutes } from './routes/health.ts';
import { kioskHeartbeatRoutes } from './routes/kiosk-heartbeat.ts';
import { kioskRoutes } from './routes/kiosk.ts';
import { peopleRoutes } from './routes/people.ts';
import { reservationRoutes } from './routes/reservations.ts';
import { authRoutes } from './routes/auth.ts';
import { oidcRoutes } from './routes/oidc.ts';
import { enforceDeclaredAuth } from './http/auth-guards.ts';
import { describeApi, openApiRoute } from './http/openapi.ts';
import { syncRoutes } from './routes/sync.ts';
import { measureRequests, metricsRoutes, serverMetricsOf } from './metrics/metrics-routes.ts';
import type { App } from './http/app-type.ts';
import { SCIM_PREFIX, scimPlugin } from './scim/routes.ts';
import type { ServerMetrics, ServerMetricsOptions } from './metrics/server-metrics.ts';

export type { App } from './http/app-type.ts';

export type BuildOptions = {
  logger?: FastifyBaseLogger | boolean;
  admin?: AdminRouteOptions;
  /**
   * Addresses of the load balancers in front (comma-separated IPs or CIDRs): requests from
   * them are taken to come from the X-Forwarded-For client, so throttles see people, not
   * the proxy. Unset: the socket's address.
   */
  trustProxy?: string;
  /** Folder of the built dashboard (vite build); served at /dashboard when it exists. */
  dashboardDir?: string;
  /** What /metrics shows beyond requests and kiosks, or the figures themselves (server/metrics). */
  metrics?: ServerMetricsOptions | ServerMetrics;
};

/** Header values that must never reach a log line. */
export const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];

export function build(deps: ServerDeps, opts: BuildOptions = {}): App {
  const requestLog = new RequestLog(deps.clock);
  const app = Fastify({
    ...(typeof opts.logger === 'object' ? { loggerInstance: opts.logger } : { logger: opts.logger ?? false }),
    logController: requestLog,
    bodyLimit: 64 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    // The querystring is the one place values arrive as strings; schemas there use strings.
    routerOptions: { ignoreTrailingSlash: true },
    ...(opts.trustProxy ? { trustProxy: opts.trustProxy } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onClose', async () => requestLog.flush(app.log));
  // Cookies parsed once per request (request.cookies) and written with reply.setCookie.
  void app.register(fastifyCookie);
  installErrorHandler(app);
  closeConnectionsWhenDraining(app);
  stampServerClock(app, deps.clock);
  enforceDeclaredAuth(app);
  const metrics = serverMetricsOf(deps, opts.metrics);
  measureRequests(app, metrics);
  // Before the first feature: the document's route hook must be in place when they load.
  describeApi(app, { version: deps.version, issuer: deps.issuer });
  void app.register(metricsRoutes, { deps, metrics });
  void app.register(healthRoutes, { deps });
  void app.register(kioskRoutes, { deps });
  void app.register(syncRoutes, { deps });
  void app.register(peopleRoutes, { deps });
  void app.register(authRoutes, { deps });
  void app.register(oidcRoutes, { deps });
  void app.register(kioskHeartbeatRoutes, { deps });
  void app.register(reservationRoutes, { deps });
  void app.register(adminRoutes, { deps, ...opts.admin });
  // A directory's provisioning client (SCIM 2.0): its own context, token, body types and errors.
  void app.register(scimPlugin(deps), { prefix: SCIM_PREFIX });
  void app.register(dashboardRoutes, { dir: opts.dashboardDir });
  void app.register(openApiRoute);
  return app;
}
