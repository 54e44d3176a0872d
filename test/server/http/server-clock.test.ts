/** Every answer, refusals and unknown routes included, carries the server's clock in ms. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseServerClock, SERVER_CLOCK_HEADER } from '../../../protocol/index.ts';
import { testServer, type TestServer } from '../fixtures.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => {
  await s.close();
});

it.each([
  ['GET', '/healthz', 200],
  ['GET', '/v1/catalog', 401],
  ['POST', '/v1/badge-tap', 401],
  ['GET', '/no/such/route', 404],
] as const)(
  '%s %s (%i) says when the request arrived and when the answer left',
  async (method, url, status) => {
    const at = s.clock.now();
    const res = await s.app.inject({ method, url });
    expect(res.statusCode).toBe(status);
    const stamp = parseServerClock(res.headers[SERVER_CLOCK_HEADER] as string);
    expect(stamp).toEqual({ receivedAt: at, sentAt: at });
  },
);

it('refuses a malformed stamp rather than guessing', () => {
  expect(parseServerClock('1700000000000')).toBeNull();
  expect(parseServerClock('1700000000001 1700000000000')).toBeNull();
  expect(parseServerClock('12.5 13')).toBeNull();
  expect(parseServerClock(null)).toBeNull();
  expect(parseServerClock('1700000000000 1700000000002')).toEqual({
    receivedAt: 1700000000000,
    sentAt: 1700000000002,
  });
});
