/**
 * Issue 15: what a guard sets on the request (user and session, kiosk, scimToken) is declared
 * with decorateRequest on the context of the feature plugin whose routes use it. Every request
 * of that context is built with the property (undefined until the guard runs), so no guard
 * adds a property to a live request, and a request of any other context does not have it.
 * Observed on real requests through the real app: a hook on each route records which of
 * these properties its request carries. The requests carry no credentials, so a guard refuses
 * before it could assign: a property present was declared, not set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyRequest, onResponseHookHandler } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type App } from '../../../server/app.ts';
import { createServerDeps } from '../../../server/create-server.ts';
import type { ServerDeps } from '../../../server/deps.ts';
import { ISSUER, fakeClock } from '../fixtures.ts';

const NAMES = ['user', 'session', 'kiosk', 'scimToken'] as const;

let dir: string;
let deps: ServerDeps;
let app: App;
/** The decorated properties each request carried, by "METHOD url" of its route. */
const carried = new Map<string, string[]>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rental-decorations-'));
  deps = await createServerDeps({ dataDir: dir, issuer: ISSUER, clock: fakeClock() });
  app = build(deps);
  // Added before the features load, so it sees every route of every context.
  app.addHook('onRoute', (route) => {
    const probe: onResponseHookHandler = async (request: FastifyRequest) => {
      carried.set(
        `${request.method} ${route.url}`,
        NAMES.filter((name) => Object.hasOwn(request, name)),
      );
    };
    route.onResponse = [route.onResponse ?? []].flat().concat(probe);
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await deps?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function carriedBy(method: 'GET' | 'POST', url: string, route = url): Promise<string[]> {
  const res = await app.inject({ method, url, ...(method === 'POST' ? { payload: {} } : {}) });
  expect(res.statusCode, `${method} ${url}`).toBeGreaterThanOrEqual(200);
  const names = carried.get(`${method} ${route}`);
  expect(names, `${method} ${route} was probed`).toBeDefined();
  return names!;
}

describe('request decorations belong to the plugin that sets them', () => {
  it("a person's route: user and session, nothing of a kiosk or a directory", async () => {
    expect(await carriedBy('GET', '/v1/me')).toEqual(['user', 'session']);
    expect(await carriedBy('GET', '/v1/admin/items')).toEqual(['user', 'session']);
  });

  it("a kiosk's route: kiosk, nothing of a person", async () => {
    expect(await carriedBy('POST', '/v1/sync')).toEqual(['kiosk']);
    expect(await carriedBy('GET', '/v1/roster')).toEqual(['kiosk']);
  });

  it('the SCIM service: its token only', async () => {
    expect(await carriedBy('GET', '/scim/v2/Users')).toEqual(['scimToken']);
  });

  it('a route with no guard: none of them', async () => {
    expect(await carriedBy('GET', '/healthz/live')).toEqual([]);
  });
});
