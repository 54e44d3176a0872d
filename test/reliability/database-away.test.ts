/**
 * The server's PostgreSQL goes away while kiosks work, and comes back. Every route answers
 * 503 SERVICE_UNAVAILABLE meanwhile (never a 500, never a stack trace), kiosks go on
 * offline and keep their rows pending, and when the database returns the same server
 * process recovers by itself and the rows land exactly once. A server started against an
 * unreachable database says so in one line, naming the URL without its password.
 */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BORROWERS, visit, type Confirmed } from '../fixtures/kiosk-driver.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { seededRandom } from '../fixtures/random.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { freePort, postgresSkipReason, startPostgres, type PgCluster } from '../support/postgres.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const skip = postgresSkipReason();
const MASTER_KEY = Buffer.from('database-away test master key, 32+ chars');

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(skip !== null)(`PostgreSQL going away${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let cluster: PgCluster;
  let url: string;
  let server: TestServer;
  let kiosk: TestKiosk;
  // Each visit steps the kiosk's clock past the badge de-duplication window.
  const skew = { ms: 0 };

  beforeAll(async () => {
    cluster = await startPostgres();
    url = await cluster.createDatabase('away');
    server = await startTestServer({ tapsPerMinute: 600, database: { url, masterKey: MASTER_KEY } });
    kiosk = await startTestKiosk({
      serverUrl: server.url,
      enrollCode: await server.enrollmentCode(),
      ports: { clock: { now: () => Date.now() + skew.ms } },
    });
    await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
    await kiosk.roster.refresh(true);
  });
  afterAll(async () => {
    await kiosk?.dispose();
    await server?.dispose();
    await cluster?.stop();
  });

  it('answers 503 while the database is away, keeps kiosk rows pending, and recovers by itself', async () => {
    const rng = seededRandom(7);
    const confirmed: Confirmed[] = [];
    const record = async (i: number) => {
      skew.ms += 2_000;
      const out = await visit(kiosk, BORROWERS[i % BORROWERS.length]!, rng);
      if (out.kind === 'confirmed') confirmed.push(...out.rows);
    };
    await record(0);
    await kiosk.sync.flush();
    expect(kiosk.outbox.stats().pending).toBe(0);

    await cluster.stopImmediate();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toBe('2');
    expect(await health.json()).toEqual({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'the database is not reachable; try again shortly',
    });
    const login = await fetch(`${server.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: 'wrong password here', mode: 'bearer' }),
    });
    expect(login.status).toBe(503);
    const text = await login.text();
    expect(JSON.parse(text)).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(text).not.toMatch(/at |ECONNREFUSED|stack/);

    // People keep borrowing and returning: the kiosk works offline and keeps the rows.
    for (let i = 1; i <= 4; i++) await record(i);
    const waiting = kiosk.outbox.stats().pending;
    expect(waiting).toBeGreaterThan(0);
    await kiosk.sync.flush();
    expect(kiosk.outbox.stats().pending).toBe(waiting);

    await cluster.start();
    await until('the server to answer healthy again', async () => (await fetch(`${server.url}/healthz`)).ok);
    await until('the kiosk to drain', async () => {
      await kiosk.sync.flush();
      return kiosk.outbox.stats().pending === 0;
    });

    // Counted in the database: every confirmed row exactly once.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; n: string }>(
        'SELECT id, COUNT(*) AS n FROM transactions WHERE id = ANY($1) GROUP BY id',
        [confirmed.map((c) => c.id)],
      );
      expect(rows.length).toBe(confirmed.length);
      expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
    } finally {
      await client.end();
    }
    console.log(`database-away: confirmed=${confirmed.length} pending-while-away=${waiting} lost=0`);
  }, 120_000);

  it('refuses to start against an unreachable database in one line, without the password', async () => {
    const port = await freePort();
    const secret = 's3cret-pa55word';
    const run = promisify(execFile);
    const failed = await run(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        RENTAL_DATABASE_URL: `postgres://rental:${secret}@127.0.0.1:${port}/rental`,
        RENTAL_MASTER_KEY: MASTER_KEY.toString(),
        RENTAL_SERVER_PORT: String(await freePort()),
        RENTAL_LOG_LEVEL: 'silent',
      },
      timeout: 30_000,
    }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed).not.toBeNull();
    expect(failed!.code).toBe(1);
    const lines = failed!.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`cannot reach the database at postgres://rental:***@127.0.0.1:${port}/rental`);
    expect(failed!.stderr).not.toContain(secret);
  }, 60_000);
});
