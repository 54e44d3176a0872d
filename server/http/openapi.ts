/**
 * The OpenAPI 3.1 description of the whole API, served at GET /v1/openapi.json, made by
 * @fastify/swagger from the routes as they register (their TypeBox schemas are JSON Schema
 * already), so it cannot drift from what the server does. What the library cannot know is
 * added per route in `transform`: each operation's security comes from the guard the route
 * declared (auth-guards.ts), with the permission class named in `x-permission`; routes that
 * are not API (the dashboard's files, SCIM with its own discovery, /metrics) or are marked
 * `hidden` are left out.
 */
import fastifySwagger from '@fastify/swagger';
import type { FastifySchema, RouteOptions } from 'fastify';
import type { App } from './app-type.ts';
import { guardOf } from './auth-guards.ts';

const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT (typ at+jwt)',
    description: 'Access token from POST /v1/auth/login (mode bearer); 15 minutes.',
  },
  cookieAuth: {
    type: 'apiKey',
    in: 'cookie',
    name: 'rental_at',
    description:
      'Dashboard session (login mode cookie): HttpOnly SameSite=Strict cookie (__Host-rental_at when served over https); writes also need the x-csrf-token header.',
  },
  kioskAssertion: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      '`Kiosk <jwt>`: a device assertion (typ kiosk+jwt, at most 60 s, jti used once) signed by the kiosk key.',
  },
} as const;

export const OPENAPI_PATH = '/v1/openapi.json';

/** The API surface: /v1, health and JWKS. Static pages (the dashboard) are not API. */
export const isApiPath = (url: string) =>
  url.startsWith('/v1/') ||
  url === '/healthz' ||
  url.startsWith('/healthz/') ||
  url.startsWith('/.well-known/');

type Security = { security: Record<string, string[]>[]; 'x-permission'?: string };

function security(route: RouteOptions): Security {
  const guard = guardOf(route);
  if (!guard) return { security: [] };
  if (guard.scheme === 'kiosk') return { security: [{ kioskAssertion: [] }] };
  return { security: [{ bearerAuth: [] }, { cookieAuth: [] }], 'x-permission': guard.permission };
}

/** What the document adds to, or hides of, one route. */
function describeRoute({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }) {
  if (route.config?.hidden === true || !isApiPath(url)) return { schema: { ...schema, hide: true }, url };
  const method = [route.method].flat()[0]!.toLowerCase();
  return { schema: { ...schema, operationId: `${method} ${url}`, ...security(route) }, url };
}

/**
 * On the root instance (the plugin escapes encapsulation), before any feature is registered:
 * plugins load in the order they are registered, so its onRoute hook is in place before the
 * first feature adds a route. The document is made once, on the first request.
 */
export function describeApi(app: App, info: { version: string; issuer: string }): void {
  void app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Badge rental server',
        version: info.version,
        description:
          'Kiosk, sync and dashboard API. Errors are { statusCode, code, message } with a typed code. ' +
          'SCIM 2.0 provisioning (RFC 7643/7644) is served at /scim/v2 with its own discovery ' +
          '(/scim/v2/ServiceProviderConfig, /ResourceTypes, /Schemas) and is not described here.',
      },
      servers: [{ url: info.issuer }],
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    // The issuer may carry a path; route URLs are kept whole.
    stripBasePath: false,
    // OpenAPI 3.1 is JSON Schema 2020-12: `const` stays as the route declared it.
    convertConstToEnum: false,
    transform: describeRoute,
  });
}

/** GET /v1/openapi.json, public and cacheable. */
export async function openApiRoute(app: App) {
  app.get(OPENAPI_PATH, { config: { public: true } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return app.swagger();
  });
}
