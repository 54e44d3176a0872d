/** The OpenAPI document lists every route with its security, checked against the router itself. */
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../../server/app.ts';
import { isApiPath } from '../../../server/http/openapi.ts';
import { testServer, type TestServer } from '../fixtures.ts';

let s: TestServer;
type Op = {
  security: Record<string, string[]>[];
  'x-permission'?: string;
  responses: Record<string, unknown>;
};
let doc: {
  openapi: string;
  paths: Record<string, Record<string, Op>>;
  components: { securitySchemes: object };
};

beforeAll(async () => {
  s = await testServer();
  const res = await s.app.inject({ method: 'GET', url: '/v1/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
});
afterAll(async () => {
  await s.close();
});

/** Every (method, path) the router knows, read from Fastify's own route tree. */
function routerRoutes(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]+)\))?/.exec(line.replace(/\u00a0/g, ' '));
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD')) {
      out.push(`${method} ${stack.join('')}`);
    }
  }
  return out.sort();
}

const documented = () =>
  Object.entries(doc.paths)
    .flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    )
    .sort();

/** The permission rule of each route, as the issue and the dashboard expect them. */
const EXPECTED: Record<string, string> = {
  'GET /healthz': 'public',
  'GET /healthz/live': 'public',
  'GET /healthz/ready': 'public',
  'GET /.well-known/jwks.json': 'public',
  'GET /v1/openapi.json': 'public',
  'POST /v1/auth/login': 'public',
  'POST /v1/auth/refresh': 'public',
  'POST /v1/kiosks/enroll': 'public',
  'POST /v1/auth/logout': 'user:authenticated',
  'GET /v1/me': 'user:authenticated',
  'POST /v1/me/password': 'user:authenticated',
  'GET /v1/loans': 'user:authenticated',
  'GET /v1/people/:id/loans': 'user:authenticated',
  'GET /v1/people': 'user:admin',
  'POST /v1/admin/kiosks': 'user:admin',
  'POST /v1/admin/kiosks/:id/revoke': 'user:admin',
  'GET /v1/admin/system': 'user:staff',
  'POST /v1/badge-tap': 'kiosk',
  'GET /v1/catalog': 'kiosk',
  'POST /v1/sync': 'kiosk',
  'POST /v1/kiosk/people': 'kiosk',
  'POST /v1/kiosk/badges': 'kiosk',
};

const ruleOf = (op: Op) =>
  op.security.length === 0
    ? 'public'
    : op.security.some((s) => 'kioskAssertion' in s)
      ? 'kiosk'
      : `user:${op['x-permission']}`;

describe('GET /v1/openapi.json', () => {
  it('is OpenAPI 3.1 with the three security schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
      'bearerAuth',
      'cookieAuth',
      'kioskAssertion',
    ]);
  });

  it('lists exactly the API routes the router has', () => {
    const api = routerRoutes(s.app.printRoutes({ commonPrefix: false })).filter((r) =>
      isApiPath(r.split(' ')[1]!),
    );
    expect(api.length).toBeGreaterThan(20);
    expect(documented()).toEqual(api);
  });

  it('gives every route its security requirement, matching the permission rules', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const key = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
        expect(Array.isArray(op.security), key).toBe(true);
        if (key in EXPECTED) expect(ruleOf(op), key).toBe(EXPECTED[key]);
        expect(Object.keys(op.responses).length, key).toBeGreaterThan(0);
      }
    }
    for (const key of Object.keys(EXPECTED)) expect(documented(), key).toContain(key);
  });

  it('carries the request schemas (unknown fields refused)', () => {
    const login = doc.paths['/v1/auth/login']!.post as unknown as {
      requestBody: { content: { 'application/json': { schema: { additionalProperties: boolean } } } };
    };
    expect(login.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
  });
});

describe('what the document leaves out', () => {
  it('an API route marked hidden, the dashboard, SCIM and /metrics', async () => {
    const app = build(s.deps);
    // A feature registered like the real ones, after the document's hook is in place.
    void app.register(async (feature) => {
      feature.get('/v1/hidden-probe', { config: { public: true, hidden: true } }, async () => ({}));
      feature.get('/v1/shown-probe', { config: { public: true } }, async () => ({}));
    });
    const paths = Object.keys(
      (await app.inject({ method: 'GET', url: '/v1/openapi.json' })).json<{ paths: object }>().paths,
    );
    await app.close();
    expect(paths).toContain('/v1/shown-probe');
    expect(paths).not.toContain('/v1/hidden-probe');
    expect(paths.filter((p) => !isApiPath(p))).toEqual([]);
    expect(paths.some((p) => p.startsWith('/scim') || p.startsWith('/dashboard') || p === '/metrics')).toBe(
      false,
    );
  });
});

describe('default deny', () => {
  it('building an app with a /v1 route that declares no guard fails loudly', async () => {
    const app = build(s.deps);
    expect(() =>
      app.get('/v1/forgotten', { schema: { querystring: Type.Object({}) } }, async () => ({})),
    ).toThrow(/declares no guard/);
    await app.close();
  });
});
