/**
 * /metrics (issue 21.4): refused without the admin-made bearer token, which every server
 * reads from the database (a renewed one replaces the old within the refresh time, and the
 * one read last keeps working while the database is away); the figures are the server's own:
 * requests by route group and status class, open event streams, the SQLite file, the kiosk
 * fleet from heartbeats.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../server/cli/commands.ts';
import { METRICS_TOKEN_REFRESH_MS } from '../../../server/metrics/metrics-token.ts';
import { addPerson, bearer, enrolledKiosk, testServer, type TestServer } from '../fixtures.ts';

let s: TestServer;
beforeEach(async () => {
  s = await testServer();
});
afterEach(async () => {
  await s.close();
});

async function newToken(...flags: string[]): Promise<string> {
  const out: string[] = [];
  const io: CliIo = { out: (l) => void out.push(l), err: () => {}, readStdin: async () => '' };
  expect(await runCli(['metrics', 'token', ...flags], s.deps, io)).toBe(0);
  return out[0]!;
}

const scrape = (token?: string) =>
  s.app.inject({
    method: 'GET',
    url: '/metrics',
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

/** The value of one sample, by its name and labels in any order (`name{a="1",b="2"}`). */
function sample(text: string, series: string): number | undefined {
  const key = (name: string, labels: string) =>
    `${name}{${labels.split(',').filter(Boolean).sort().join(',')}}`;
  const [, wantName, wantLabels] = /^([^{]+)\{(.*)\}$/.exec(series)!;
  const want = key(wantName!, wantLabels!);
  for (const line of text.split('\n')) {
    const m = /^([^{\s]+)\{(.*)\} (\S+)$/.exec(line);
    if (m && key(m[1]!, m[2]!) === want) return Number(m[3]);
  }
  return undefined;
}

it('is refused without the token an admin created, and served with it', async () => {
  const none = await scrape();
  expect(none.statusCode).toBe(401);
  expect(none.json()).toMatchObject({
    code: 'UNAUTHENTICATED',
    message: expect.stringMatching(/metrics token/),
  });
  expect(none.headers['www-authenticate']).toBe('Bearer realm="metrics"');

  const token = await newToken();
  expect(token).toMatch(/^rmt_[A-Za-z0-9_-]{43}$/);
  // Kept hashed: the token itself is nowhere in the database's secrets.
  expect(await s.deps.store.getSecret('metrics-token-sha256')).not.toContain(token.slice(4));
  s.clock.advance(METRICS_TOKEN_REFRESH_MS + 1); // the "no token" answer above was cached
  expect((await scrape('rmt_wrong')).statusCode).toBe(401);
  const ok = await scrape(token);
  expect(ok.statusCode).toBe(200);
  expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  expect(ok.body).toContain('# TYPE rental_http_request_duration_seconds histogram');

  // Renewed: the old token stops once the servers re-read the hash.
  const renewed = await newToken();
  expect((await scrape(token)).statusCode).toBe(200);
  s.clock.advance(METRICS_TOKEN_REFRESH_MS + 1);
  expect((await scrape(token)).statusCode).toBe(401);
  expect((await scrape(renewed)).statusCode).toBe(200);

  // The database away: the hash read last keeps working.
  s.deps.store.getSecret = () => Promise.reject(new Error('database away'));
  s.clock.advance(METRICS_TOKEN_REFRESH_MS + 1);
  expect((await scrape(renewed)).statusCode).toBe(200);
});

it('counts requests by route group, method and status class', async () => {
  const token = await newToken();
  for (let i = 0; i < 3; i++) await s.app.inject({ method: 'GET', url: '/v1/catalog' }); // no assertion: 401
  const kiosk = await enrolledKiosk(s);
  for (let i = 0; i < 2; i++)
    expect(
      (await s.app.inject({ method: 'GET', url: '/v1/catalog', headers: await kiosk.auth() })).statusCode,
    ).toBe(200);
  await s.app.inject({ method: 'GET', url: '/healthz/ready' });
  const body = (await scrape(token)).body;
  const v = 'version="0.1.0"';
  expect(
    sample(
      body,
      `rental_http_request_duration_seconds_count{${v},group="catalog",method="GET",status="4xx"}`,
    ),
  ).toBe(3);
  expect(
    sample(
      body,
      `rental_http_request_duration_seconds_count{${v},group="catalog",method="GET",status="2xx"}`,
    ),
  ).toBe(2);
  expect(
    sample(body, `rental_http_request_duration_seconds_count{${v},group="ops",method="GET",status="2xx"}`),
  ).toBe(1);
  expect(body).not.toMatch(/group="tap"/); // no badge tap was made
  expect(sample(body, `rental_sqlite_bytes{${v},file="db"}`)).toBeUndefined(); // not given to build()
});

it('shows the kiosk fleet from heartbeats: online, queue depth, oldest unsynced age now', async () => {
  const token = await newToken();
  const kiosk = await enrolledKiosk(s, 'Lab 2');
  await enrolledKiosk(s, 'Silent');
  const beat = await s.app.inject({
    method: 'POST',
    url: '/v1/kiosk/heartbeat',
    headers: await kiosk.auth(),
    payload: { appVersion: '0.1.0', queueDepth: 4, oldestUnsyncedAgeS: 100, readers: [], clockOffsetMs: 0 },
  });
  expect(beat.statusCode, beat.body).toBe(200);
  s.clock.advance(20_000);
  const body = (await scrape(token)).body;
  const v = 'version="0.1.0"';
  const lab = `${v},kiosk="${kiosk.id}",name="Lab 2"`;
  expect(sample(body, `rental_kiosk_online{${lab}}`)).toBe(1);
  expect(sample(body, `rental_kiosk_queue_depth{${lab}}`)).toBe(4);
  expect(sample(body, `rental_kiosk_oldest_unsynced_seconds{${lab}}`)).toBe(120);
  expect(sample(body, `rental_kiosks{${v},state="online"}`)).toBe(1);
  expect(sample(body, `rental_kiosks{${v},state="offline"}`)).toBe(1); // enrolled, never heard from
  s.clock.advance(10 * 60_000);
  const later = (await scrape(token)).body;
  expect(sample(later, `rental_kiosk_online{${lab}}`)).toBe(0);
  expect(sample(later, `rental_kiosks{${v},state="offline"}`)).toBe(2);
});

it('counts open dashboard event streams', async () => {
  const token = await newToken();
  const admin = await addPerson(s, { role: 'admin' });
  const { accessToken } = await bearer(s, admin);
  await s.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(s.app.server.address() as { port: number }).port}`;
  const streams = async () =>
    sample((await scrape(token)).body, 'rental_event_streams_open{version="0.1.0"}');
  expect(await streams()).toBe(0);
  const refused = await fetch(`${url}/v1/admin/events`);
  expect(refused.status).toBe(401);
  expect(await streams()).toBe(0);
  const stop = new AbortController();
  const res = await fetch(`${url}/v1/admin/events`, {
    headers: { authorization: `Bearer ${accessToken}` },
    signal: stop.signal,
  });
  expect(res.status).toBe(200);
  await res.body!.getReader().read(); // connected
  expect(await streams()).toBe(1);
  stop.abort();
  for (let i = 0; i < 50 && (await streams()) !== 0; i++) await new Promise((r) => setTimeout(r, 20));
  expect(await streams()).toBe(0);
});

it('shows the SQLite file and its WAL when built with them', async () => {
  const { build } = await import('../../../server/app.ts');
  const app = build(s.deps, { metrics: { sqliteFile: join(s.dir, 'server.db') } });
  try {
    const token = await newToken();
    const body = (
      await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } })
    ).body;
    const db = sample(body, 'rental_sqlite_bytes{version="0.1.0",file="db"}')!;
    const wal = sample(body, 'rental_sqlite_bytes{version="0.1.0",file="wal"}')!;
    expect(db).toBeGreaterThanOrEqual(4096);
    expect(db + wal).toBeGreaterThan(100_000); // the seeded people, items and their pages
  } finally {
    await app.close();
  }
});
