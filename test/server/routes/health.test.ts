/** /healthz/live and /healthz/ready (issue 21): what each checks, and what a failure says. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { build } from '../../../server/app.ts';
import { StoreUnavailableError } from '../../../server/store/store-errors.ts';
import { testServer, type TestServer } from '../fixtures.ts';

let s: TestServer;
beforeEach(async () => {
  s = await testServer();
});
afterEach(async () => {
  await s.close();
});

const get = (url: string) => s.app.inject({ method: 'GET', url });

it('live and ready answer 200 on a healthy server', async () => {
  for (const url of ['/healthz/live', '/healthz/ready', '/healthz']) {
    const res = await get(url);
    expect(res.statusCode, url).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', version: s.deps.version });
  }
});

it('ready is 503 naming the database when it is away; live stays 200', async () => {
  s.deps.store.isEmpty = () =>
    Promise.reject(new StoreUnavailableError('connect ECONNREFUSED 127.0.0.1:5432'));
  const ready = await get('/healthz/ready');
  expect(ready.statusCode).toBe(503);
  expect(ready.headers['retry-after']).toBe('2');
  expect(ready.json()).toEqual({
    statusCode: 503,
    code: 'SERVICE_UNAVAILABLE',
    message: 'not ready: database: connect ECONNREFUSED 127.0.0.1:5432',
  });
  expect((await get('/healthz/live')).statusCode).toBe(200);
});

it('ready is 503 when the database does not answer in time', async () => {
  s.deps.store.isEmpty = () => new Promise(() => {});
  const ready = await get('/healthz/ready');
  expect(ready.statusCode).toBe(503);
  expect(ready.json().message).toMatch(/^not ready: database: no answer within 2000 ms$/);
}, 10_000);

it('ready is 503 when no signing key is loaded or it is not published', async () => {
  const keys = s.deps.keys;
  const current = keys.current.bind(keys);
  keys.current = () => {
    throw new Error('no signing key');
  };
  expect((await get('/healthz/ready')).json().message).toBe('not ready: keys: no signing key');
  keys.current = current;
  const jwks = keys.jwks.bind(keys);
  keys.jwks = () => ({ keys: [] });
  const res = await get('/healthz/ready');
  expect(res.statusCode).toBe(503);
  expect(res.json().message).toMatch(/^not ready: keys: the signing key .+ is not published$/);
  keys.jwks = jwks;
  expect((await get('/healthz/ready')).statusCode).toBe(200);
});

it('ready is 503 once the server has begun to close', async () => {
  // An app of its own, not yet started, so a hook can be added: asked while closing has
  // begun, before connections go (Fastify's return503OnClosing).
  const app = build(s.deps);
  let port = 0;
  let seen: Response | null = null;
  app.addHook('preClose', async () => {
    seen = await fetch(`http://127.0.0.1:${port}/healthz/ready`).catch(() => null);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
  expect((await fetch(`http://127.0.0.1:${port}/healthz/ready`)).status).toBe(200);
  await app.close();
  expect(seen).not.toBeNull();
  expect(seen!.status).toBe(503);
});
