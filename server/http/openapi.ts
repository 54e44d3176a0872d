/**
 * The OpenAPI 3.1 description of the whole API, served at GET /v1/openapi.json. Built from
 * the routes as they register (their TypeBox schemas are JSON Schema already), so it cannot
 * drift from what the server does; each operation's security comes from the guard the route
 * declared (auth-guards.ts), with the permission class named in `x-permission`.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { guardOf } from './auth-guards.ts';

type Schema = Record<string, unknown>;
type RouteSchema = {
  body?: Schema;
  querystring?: Schema;
  params?: Schema;
  response?: Record<string, Schema>;
};

export type RegisteredRoute = { method: string; url: string; route: RouteOptions };

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
};

/** The API surface: /v1, health and JWKS. Static pages (the dashboard) are not API. */
export const isApiPath = (url: string) =>
  url.startsWith('/v1/') ||
  url === '/healthz' ||
  url.startsWith('/healthz/') ||
  url.startsWith('/.well-known/');

/** Record routes as they register; call before any route is added. */
export function recordRoutes(app: FastifyInstance): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD' || route.config?.hidden === true || !isApiPath(route.url)) continue;
      routes.push({ method, url: route.url, route });
    }
  });
  return routes;
}

/** Copy without TypeBox's symbol keys and `$id`-less noise; JSON round trip drops symbols. */
const plain = (schema: unknown): Schema => JSON.parse(JSON.stringify(schema)) as Schema;

function parameters(where: 'path' | 'query', schema: Schema | undefined) {
  if (!schema) return [];
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: plain(s),
  }));
}

function security(route: RouteOptions) {
  const guard = guardOf(route);
  if (!guard) return { security: [] };
  if (guard.scheme === 'kiosk') return { security: [{ kioskAssertion: [] }] };
  return { security: [{ bearerAuth: [] }, { cookieAuth: [] }], 'x-permission': guard.permission };
}

export function openApiDocument(routes: RegisteredRoute[], info: { version: string; issuer: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, url, route } of routes) {
    const schema = (route.schema ?? {}) as RouteSchema;
    const path = url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const responses: Record<string, unknown> = {};
    for (const [status, body] of Object.entries(schema.response ?? { 200: {} })) {
      responses[status] =
        status === '204'
          ? { description: 'No content' }
          : {
              description: status.startsWith('2') ? 'OK' : 'Error: { statusCode, code, message }',
              content: { 'application/json': { schema: plain(body) } },
            };
    }
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      operationId: `${method.toLowerCase()} ${url}`,
      ...security(route),
      parameters: [...parameters('path', schema.params), ...parameters('query', schema.querystring)],
      ...(schema.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: plain(schema.body) } } } }
        : {}),
      responses,
    };
  }
  return {
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
    paths,
  };
}

/** GET /v1/openapi.json; built once, on first request, when every route has registered. */
export function serveOpenApi(
  app: FastifyInstance,
  routes: RegisteredRoute[],
  info: { version: string; issuer: string },
) {
  let doc: ReturnType<typeof openApiDocument> | undefined;
  app.get('/v1/openapi.json', { config: { public: true } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    doc ??= openApiDocument(routes, info);
    return doc;
  });
}
