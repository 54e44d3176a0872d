/**
 * Replicas: three server processes (server/main.ts) on one throwaway PostgreSQL behind
 * HAProxy with the shipped config. Real kiosk cores (child processes) borrow, return and sync
 * through the load balancer while replicas are killed with SIGKILL and restarted at random;
 * afterwards every transaction a kiosk confirmed is in the database exactly once and the
 * loans follow the log (the `outbox-invariants:` line, counted from the kiosks' files and
 * PostgreSQL), and no replica answered a 500.
 *
 * Around that, on the same cluster, talking to replicas directly where the point is crossing
 * them: a key rotated with the admin CLI is published by every replica within one refresh
 * (first, so that it starts to sign during the chaos) and then signs everywhere; a device
 * assertion is used once across replicas; logout on one refuses the token on another at
 * once; the login throttle does not multiply by the number of replicas; a dashboard stream on
 * one replica sees a sync applied on another; the daily reminders are sent once by the fleet.
 *
 * 10 kills in `npm test`, 100 in `npm run test:soak`. Replay a run with RELIABILITY_SEED.
 * Skipped with a one-line reason when PostgreSQL or HAProxy is missing; under RENTAL_CI=1
 * their absence fails instead.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIOSK_AUTH_SCHEME, TOKEN_TYP, kioskSubject } from '../../protocol/index.ts';
import { createKioskWithCode } from '../../server/auth/enrollment.ts';
import { PAIR_POLICY } from '../../server/auth/login-throttle.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { createServerDeps } from '../../server/create-server.ts';
import type { ServerDeps } from '../../server/deps.ts';
import { KEY_REFRESH_MS } from '../../server/keys/key-ring.ts';
import type { Notifier, OverdueReminder } from '../../server/notify/notifier.ts';
import { runScheduledReminders } from '../../server/notify/from-config.ts';
import { DEMO_ADMIN, DEMO_PEOPLE, seedDemo } from '../../server/seed/demo.ts';
import type { Confirmed } from '../fixtures/kiosk-driver.ts';
import { spawnKiosk, type KioskProcess, type RunnerEvent } from '../fixtures/kiosk-process.ts';
import { countInvariants, printInvariants, readPostgresServerRows } from '../fixtures/outbox-invariants.ts';
import { expectInvariantsHold } from '../fixtures/invariant-checks.ts';
import { runSeed, seededRandom } from '../fixtures/random.ts';
import { startReplicas, type Replica, type ReplicaSet } from '../fixtures/replicas.ts';
import { haproxySkipReason } from '../support/haproxy.ts';
import { postgresSkipReason, startPostgres, type PgCluster } from '../support/postgres.ts';
import { SOAK } from './soak.ts';

const pgSkip = postgresSkipReason();
const haproxySkip = pgSkip === null ? haproxySkipReason() : null;
const skip = pgSkip ?? haproxySkip;

const REPLICAS = 3;
const KIOSKS = SOAK ? 6 : 4;
const KILLS = SOAK ? 100 : 10;
/** A replica runs this long (plus up to the window) between kills, and stays down up to DOWN_MS. */
const UP_MS = 300;
const UP_WINDOW_MS = 1_200;
const DOWN_MS = 1_500;

const root = resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MASTER_KEY = randomBytes(32).toString('base64');
const THROTTLED = { email: 'throttle@example.com', password: 'right password 1234' };

let cluster: PgCluster | undefined;
let databaseUrl = '';
let set: ReplicaSet | undefined;
/** An in-process server on the same database: seeds, makes enrollment codes, reads. */
let deps: ServerDeps | undefined;
let workDir = '';
const kioskProcesses: KioskProcess[] = [];

type Json = Record<string, unknown>;

async function call(
  base: string,
  method: string,
  path: string,
  opts: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...opts.headers,
    },
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let body: Json = {};
  try {
    body = text ? (JSON.parse(text) as Json) : {};
  } catch {
    body = { text };
  }
  return { status: res.status, body, headers: res.headers };
}

async function login(
  base: string,
  who: { email: string; password: string },
  headers: Record<string, string> = {},
) {
  return call(base, 'POST', '/v1/auth/login', { body: { ...who, mode: 'bearer' }, headers });
}

async function accessToken(base: string, who: { email: string; password: string }): Promise<string> {
  const res = await login(base, who);
  if (res.status !== 200) throw new Error(`login on ${base}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A kiosk made by hand (like test/server/fixtures.ts enrolledKiosk): its own key, assertions on demand. */
type HandKiosk = {
  id: string;
  assertion(): Promise<string>;
  auth(): Promise<Record<string, string>>;
  nextSeq(): number;
};

async function enrollByHand(base: string, name: string): Promise<HandKiosk> {
  const { code } = await createKioskWithCode(deps!.store, name, Date.now());
  const { privateKey, publicKey } = (await generateKeyPair('EdDSA', {
    crv: 'Ed25519',
    extractable: true,
  })) as {
    privateKey: CryptoKey;
    publicKey: CryptoKey;
  };
  const jwk = await exportJWK(publicKey);
  const res = await call(base, 'POST', '/v1/kiosks/enroll', {
    body: { code, publicJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } },
  });
  if (res.status !== 200) throw new Error(`enroll: ${res.status} ${JSON.stringify(res.body)}`);
  const id = res.body.kioskId as string;
  expect(res.body.issuer).toBe(set!.url);
  let seq = 0;
  const assertion = async () => {
    const iat = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: kioskSubject(id),
      sub: kioskSubject(id),
      aud: set!.url,
      iat,
      exp: iat + 30,
      jti: randomUUID(),
    })
      .setProtectedHeader({ alg: 'EdDSA', typ: TOKEN_TYP.kioskAssertion, kid: id })
      .sign(privateKey);
  };
  return {
    id,
    assertion,
    auth: async () => ({ authorization: `${KIOSK_AUTH_SCHEME} ${await assertion()}` }),
    nextSeq: () => ++seq,
  };
}

/** A badge tap and a borrow synced, each on the given replica, as a kiosk core does it. */
async function borrowOn(base: string, kiosk: HandKiosk, credential: string, itemId: string) {
  const tap = await call(base, 'POST', '/v1/badge-tap', {
    body: { credential },
    headers: await kiosk.auth(),
  });
  if (tap.status !== 200) throw new Error(`tap: ${tap.status} ${JSON.stringify(tap.body)}`);
  const tx = {
    id: randomUUID(),
    seq: kiosk.nextSeq(),
    kind: 'borrow',
    itemId,
    userId: (tap.body.user as { id: string }).id,
    occurredAt: new Date().toISOString(),
    clockTrusted: true,
    auth: { kind: 'rental', token: tap.body.token as string },
  };
  const res = await call(base, 'POST', '/v1/sync', {
    body: { transactions: [tx] },
    headers: await kiosk.auth(),
  });
  if (res.status !== 200) throw new Error(`sync: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body.results as { id: string; status: string; code?: string; loanId?: string }[])[0]!;
}

/**
 * A member of their own for one test: the chaos test's kiosks borrow as the demo people at
 * random, so a demo person may be at their loan limit by the time a later test borrows.
 */
async function freshMember(name: string): Promise<string> {
  const badge = `nfc:${randomBytes(7).toString('hex')}`;
  const user = await deps!.store.createUser({
    email: `${randomUUID().slice(0, 8)}@replicas.test`,
    displayName: name,
    role: 'member',
    active: true,
    passwordHash: null,
  });
  await deps!.store.addBadge(user.id, deps!.hashBadge(badge));
  return badge;
}

async function newItem(tag: string, loanDays: number): Promise<string> {
  const item = await deps!.store.createItem({
    tag,
    name: `Replica test ${tag}`,
    category: 'test',
    loanDays,
    restrictedTo: null,
    lockerSlot: null,
  });
  return item.id;
}

/** The dashboard's live stream (GET /v1/admin/events), read until a pattern shows up. */
async function openEvents(base: string, token: string) {
  const abort = new AbortController();
  const res = await fetch(`${base}/v1/admin/events`, {
    headers: { ...bearer(token), accept: 'text/event-stream' },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    /** The text so far once `pattern` matches it; null when the stream ended or time ran out first. */
    async until(pattern: RegExp, timeoutMs: number): Promise<string | null> {
      const end = Date.now() + timeoutMs;
      while (!pattern.test(text)) {
        const left = end - Date.now();
        if (left <= 0) return null;
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), left)));
        const chunk = await Promise.race([reader.read(), late]);
        clearTimeout(timer);
        if (chunk === 'late' || chunk.done) return null;
        text += decoder.decode(chunk.value, { stream: true });
      }
      return text;
    },
    close: () => abort.abort(),
  };
}

/** The admin CLI as an operator runs it, with a replica's environment (database, master key). */
async function adminCli(args: string[]): Promise<string> {
  const dataDir = join(workDir, `cli-${randomUUID().slice(0, 8)}`);
  mkdirSync(dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('RENTAL_')) delete env[name];
  const { stdout } = await run(
    join(root, 'node_modules', '.bin', 'tsx'),
    [join(root, 'server', 'cli.ts'), ...args],
    {
      cwd: dataDir,
      env: {
        ...env,
        RENTAL_DATABASE_URL: databaseUrl,
        RENTAL_MASTER_KEY: MASTER_KEY,
        RENTAL_SERVER_ISSUER: set!.url,
        RENTAL_SERVER_DATA: dataDir,
        RENTAL_LOG_LEVEL: 'warn',
      },
      timeout: 60_000,
    },
  );
  return stdout;
}

async function jwksKids(r: Replica): Promise<string[]> {
  const res = await call(r.url, 'GET', '/.well-known/jwks.json');
  expect(res.status).toBe(200);
  return (res.body.keys as { kid: string }[]).map((k) => k.kid);
}

async function pgQuery<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

describe.skipIf(skip !== null)(
  `${REPLICAS} server replicas on PostgreSQL behind HAProxy${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    beforeAll(async () => {
      workDir = mkdtempSync(join(tmpdir(), 'rental-replicas-test-'));
      cluster = await startPostgres();
      databaseUrl = await cluster.createDatabase('rental_replicas');
      // The replicas migrate the empty database and agree on keys, pepper and roster key.
      set = await startReplicas({ count: REPLICAS, databaseUrl, masterKey: MASTER_KEY });
      deps = await createServerDeps({
        dataDir: join(workDir, 'seeder'),
        issuer: set.url,
        databaseUrl,
        masterKey: Buffer.from(MASTER_KEY),
      });
      expect(await seedDemo(deps)).toBe(true);
      await deps.store.createUser({
        email: THROTTLED.email,
        displayName: 'Throttle test',
        role: 'staff',
        active: true,
        passwordHash: await hashPassword(THROTTLED.password),
      });
    }, 90_000);

    afterAll(async () => {
      const steps: (() => Promise<unknown>)[] = [
        async () => {
          for (const p of kioskProcesses) p.kill('SIGKILL');
          await Promise.all(kioskProcesses.map((p) => p.exited));
        },
        async () => set?.stopAll(),
        async () => deps?.close(),
        async () => cluster?.stop(),
        async () => workDir && rmSync(workDir, { recursive: true, force: true }),
      ];
      for (const step of steps) {
        try {
          await step();
        } catch (err) {
          console.error('replicas: cleanup step failed:', err);
        }
      }
    }, 60_000);

    /** The key the admin CLI rotated in the first test, and from when it signs. */
    let rotated: { kid: string; signsFrom: number; before: string[] } | undefined;

    it(
      'publishes a key rotated with the admin CLI on every replica within the refresh interval, without a restart',
      { timeout: 60_000 },
      async () => {
        const replicas = set!.replicas;
        const before = await jwksKids(replicas[0]!);
        const startedAt = Date.now();
        const out = await adminCli(['keys', 'rotate']);
        const rotatedAt = Date.now();
        const kid = /new signing key ([A-Za-z0-9_-]+)/.exec(out)?.[1];
        const signsFrom = Date.parse(/signs with it from (\S+?);/.exec(out)?.[1] ?? '');
        expect(kid, out).toBeTruthy();
        expect(before).not.toContain(kid);
        // It signs only once every replica can have published it (after a refresh at least).
        expect(signsFrom, out).toBeGreaterThanOrEqual(startedAt + KEY_REFRESH_MS);
        expect(signsFrom, out).toBeLessThanOrEqual(rotatedAt + 3 * KEY_REFRESH_MS);

        const seenAfterMs = await Promise.all(
          replicas.map(async (r) => {
            const end = rotatedAt + KEY_REFRESH_MS + 3_000;
            while (!(await jwksKids(r)).includes(kid!)) {
              if (Date.now() > end)
                throw new Error(`${r.name} did not publish ${kid} within ${KEY_REFRESH_MS + 3_000} ms`);
              await sleep(200);
            }
            return Date.now() - rotatedAt;
          }),
        );
        console.log(`replicas: rotated key ${kid} published after ${JSON.stringify(seenAfterMs)} ms`);
        for (const r of replicas) expect(await jwksKids(r)).toEqual(expect.arrayContaining([...before, kid]));
        rotated = { kid: kid!, signsFrom, before };
      },
    );

    /** What the replicas logged at error level (a 500 is logged as "unhandled error"). */
    const unhandled: string[] = [];

    it(
      `${KIOSKS} kiosks through HAProxy lose and double nothing while replicas are SIGKILLed ${KILLS} times`,
      { timeout: KILLS * 5_000 + 120_000 },
      async () => {
        const seed = runSeed();
        console.log(`replicas: seed=${seed} replicas=${REPLICAS} kiosks=${KIOSKS} kills=${KILLS}`);
        const rng = seededRandom(seed);
        const kiosks = await Promise.all(
          Array.from({ length: KIOSKS }, async (_, i) => {
            const dataDir = join(workDir, `kiosk-${i}`);
            const { code } = await createKioskWithCode(deps!.store, `replica kiosk ${i}`, Date.now());
            const p = await spawnKiosk({
              dataDir,
              serverUrl: set!.url,
              seed: seed + i + 1,
              enrollCode: code,
            });
            kioskProcesses.push(p);
            // The drivers tap as fast as they can (most taps meet the server's limit of 60 a
            // minute per kiosk); at a lower priority they leave the CPU to replicas and PostgreSQL.
            setPriority(p.pid, 10);
            await p.until((e) => e.ev === 'ready', 30_000);
            return { dataDir, work: p };
          }),
        );

        // Chaos: now and then a random replica dies (SIGKILL) and is started again after a
        // while; sometimes two are down at once, never all of them.
        const chaosFrom = Date.now();
        const killed: number[] = [];
        const restartMs: number[] = [];
        const down = new Set<number>();
        const restarts: Promise<void>[] = [];
        while (killed.length < KILLS) {
          await sleep(UP_MS + UP_WINDOW_MS * rng());
          const i = Math.floor(rng() * REPLICAS);
          if (down.has(i) || down.size >= REPLICAS - 1) continue;
          down.add(i);
          killed.push(i);
          await set!.kill(i);
          const downMs = DOWN_MS * rng();
          restarts.push(
            (async () => {
              await sleep(downMs);
              const at = Date.now();
              await set!.restart(i);
              restartMs.push(Date.now() - at);
              down.delete(i);
            })(),
          );
        }
        await Promise.all(restarts);
        await set!.waitAllHealthy();
        expect(set!.replicas.every((r) => r.running())).toBe(true);
        const chaosMs = Date.now() - chaosFrom;

        // The people go home: the kiosks stop (as a power cut would), then each drains its outbox.
        for (const k of kiosks) k.work.kill('SIGKILL');
        await Promise.all(kiosks.map((k) => k.work.exited));
        const drainFrom = Date.now();
        const drains = await Promise.all(
          kiosks.map(async (k, i) => {
            const p = await spawnKiosk({
              dataDir: k.dataDir,
              serverUrl: set!.url,
              seed: seed + i + 1,
              mode: 'drain',
            });
            kioskProcesses.push(p);
            const drained = await p.until((e) => e.ev === 'drained', 60_000);
            await p.exited;
            return { p, drained };
          }),
        );
        const drainMs = Date.now() - drainFrom;

        const tally: Record<string, number> = {};
        const records = kiosks.map((k, i) => {
          const confirmed: Confirmed[] = [];
          for (const e of [...k.work.events, ...drains[i]!.p.events] as RunnerEvent[]) {
            if (e.ev === 'fatal') throw new Error(`kiosk ${i} failed: ${e.message}`);
            if (e.ev === 'confirmed')
              confirmed.push({ id: e.id, kind: e.kind, itemId: e.itemId, userId: e.userId });
            const key = e.ev === 'denied' || e.ev === 'refused' ? `${e.ev}:${e.code ?? '-'}` : e.ev;
            tally[key] = (tally[key] ?? 0) + 1;
          }
          return { dataDir: k.dataDir, confirmed };
        });

        const inv = countInvariants(await readPostgresServerRows(databaseUrl), records);
        printInvariants('replicas', inv);
        const [stats] = await pgQuery<Json>(
          'SELECT xact_commit AS commits, xact_rollback AS rollbacks, deadlocks FROM pg_stat_database WHERE datname = current_database()',
        );
        console.log(
          `replicas: killed=${JSON.stringify(killed)} starts=${JSON.stringify(set!.replicas.map((r) => r.starts()))} ` +
            `chaos=${chaosMs}ms restarts=${JSON.stringify(restartMs)}ms drain=${drainMs}ms postgres=${JSON.stringify(stats)}`,
        );
        console.log(`replicas: kiosk events ${JSON.stringify(tally)}`);
        for (const r of set!.replicas) {
          const problems = set!.problems(r.index);
          unhandled.push(...problems.filter((line) => line.includes('"msg":"unhandled error"')));
          if (problems.length > 0)
            console.log(
              `replicas: ${r.name} logged ${problems.length} warnings/errors, the first: ${problems[0]}`,
            );
        }

        expect(drains.map((d) => d.drained)).toEqual(kiosks.map(() => ({ ev: 'drained', pending: 0 })));
        expectInvariantsHold(inv, KIOSKS * 2);
      },
    );

    it('answered no request with a 500 while replicas died (the issue: a typed code, never a 500)', () => {
      const summary = unhandled.map((line) => {
        const err = (
          JSON.parse(line.slice(line.indexOf('{'))) as { err?: { code?: string; message?: string } }
        ).err;
        return `${err?.code ?? '?'} ${err?.message ?? line.slice(0, 200)}`;
      });
      expect(summary).toEqual([]);
    });

    it('refuses a device assertion accepted by one replica when it is replayed to another', async () => {
      const [a, b, c] = set!.replicas as [Replica, Replica, Replica];
      const kiosk = await enrollByHand(a.url, 'replay kiosk');
      const headers = { authorization: `${KIOSK_AUTH_SCHEME} ${await kiosk.assertion()}` };
      expect((await call(a.url, 'GET', '/v1/catalog', { headers })).status).toBe(200);
      for (const other of [b, c]) {
        const replayed = await call(other.url, 'GET', '/v1/catalog', { headers });
        expect(replayed.status, other.name).toBe(401);
        expect(replayed.body.code).toBe('KIOSK_ASSERTION_INVALID');
      }
      const tap = await call(b.url, 'POST', '/v1/badge-tap', {
        body: { credential: DEMO_PEOPLE[0].badge },
        headers,
      });
      expect(tap.status).toBe(401);
      expect(tap.body.code).toBe('KIOSK_ASSERTION_INVALID');
      // A fresh assertion from the same kiosk is fine on B.
      expect((await call(b.url, 'GET', '/v1/catalog', { headers: await kiosk.auth() })).status).toBe(200);
    });

    it('refuses, at once on another replica, an access token logged out on one', async () => {
      const [a, b, c] = set!.replicas as [Replica, Replica, Replica];
      const token = await accessToken(a.url, DEMO_ADMIN);
      expect((await call(b.url, 'GET', '/v1/me', { headers: bearer(token) })).status).toBe(200);
      expect((await call(a.url, 'POST', '/v1/auth/logout', { headers: bearer(token) })).status).toBe(204);
      for (const other of [b, c, a]) {
        const me = await call(other.url, 'GET', '/v1/me', { headers: bearer(token) });
        expect(me.status, other.name).toBe(401);
      }
    });

    it('holds a login throttle across replicas: the limit does not multiply by their number', async () => {
      const replicas = set!.replicas;
      // One client address (through the trusted proxy header), its attempts spread round robin.
      const headers = { 'x-forwarded-for': '203.0.113.77' };
      const wrong = { email: THROTTLED.email, password: 'wrong password 0000' };
      const statuses: number[] = [];
      // On one server: freeFailures misses are free, the next miss starts a wait, then 429.
      const allowed = PAIR_POLICY.freeFailures + 1;
      for (let n = 0; n < allowed + 2; n++) {
        const res = await login(replicas[n % replicas.length]!.url, wrong, headers);
        statuses.push(res.status);
        if (res.status === 429) {
          expect(res.body.code).toBe('RATE_LIMITED');
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        }
      }
      expect(statuses).toEqual([...Array<number>(allowed).fill(401), 429, 429]);
      // Even the right password waits, on a replica that saw none of the misses itself.
      const right = await login(replicas[(allowed + 2) % replicas.length]!.url, THROTTLED, headers);
      expect(right.status).toBe(429);
    });

    it('delivers a sync applied on one replica to a dashboard stream held by another', async () => {
      const [a, b] = set!.replicas as [Replica, Replica];
      const itemId = await newItem('SSE-1', 7);
      const kiosk = await enrollByHand(a.url, 'event kiosk');
      const stream = await openEvents(b.url, await accessToken(b.url, DEMO_ADMIN));
      try {
        expect(await stream.until(/: connected/, 5_000)).not.toBeNull();
        const result = await borrowOn(a.url, kiosk, await freshMember('Stream test'), itemId);
        expect(result.status, JSON.stringify(result)).toBe('applied');
        const seen = await stream.until(
          new RegExp(`event: transactions\\ndata: [^\\n]*"kioskId":"${kiosk.id}"[^\\n]*\\n\\n`),
          10_000,
        );
        expect(seen, 'no transactions event on the other replica within 10 s').not.toBeNull();
        expect(seen).toContain(`"kioskId":"${kiosk.id}","applied":1`);
      } finally {
        stream.close();
      }
    });

    it('sends the daily overdue reminders once across the fleet', async () => {
      const [, , c] = set!.replicas as [Replica, Replica, Replica];
      const itemId = await newItem('REM-1', 1);
      const kiosk = await enrollByHand(c.url, 'reminder kiosk');
      const reminded = await borrowOn(c.url, kiosk, await freshMember('Reminder test'), itemId);
      expect(reminded.status, JSON.stringify(reminded)).toBe('applied');

      // Three replicas' worth of the server, a day and a few minutes on: that loan (due in one
      // day) is overdue. (Not further: a key superseded by the rotation above retires 25 h after,
      // and a server that believes it is later than that deletes it from the database.)
      const later = { now: () => Date.now() + 24 * 60 * 60_000 + 5 * 60_000 };
      const sent: OverdueReminder[] = [];
      const counting: Notifier = { name: 'counting', send: async (r) => void sent.push(r) };
      const quiet = { info() {}, warn() {} };
      const fleet = await Promise.all(
        [0, 1, 2].map((i) =>
          createServerDeps({
            dataDir: join(workDir, `reminders-${i}`),
            issuer: set!.url,
            databaseUrl,
            masterKey: Buffer.from(MASTER_KEY),
            clock: later,
          }),
        ),
      );
      try {
        const runs = await Promise.all(fleet.map((d) => runScheduledReminders(d, [counting], quiet)));
        const ran = runs.filter((r) => r !== null);
        expect(ran, JSON.stringify(runs)).toHaveLength(1);
        expect(ran[0]!.sent).toBe(sent.length);
        expect(sent.some((r) => r.loans.some((l) => l.itemTag === 'REM-1'))).toBe(true);
        // And again later that day, on any replica: nothing more.
        expect(await runScheduledReminders(fleet[1]!, [counting], quiet)).toBeNull();
        expect(sent).toHaveLength(ran[0]!.sent);
      } finally {
        await Promise.all(fleet.map((d) => d.close()));
      }
    });

    it('signs with the rotated key on every replica from its time; the keys before it stay published', async () => {
      expect(rotated, 'the rotation test did not run').toBeDefined();
      const { kid, signsFrom, before } = rotated!;
      const replicas = set!.replicas;
      await sleep(Math.max(0, signsFrom + 1_000 - Date.now()));
      for (const r of replicas) {
        const token = await accessToken(r.url, DEMO_ADMIN);
        expect(decodeProtectedHeader(token).kid, r.name).toBe(kid);
        const elsewhere = replicas[(r.index + 1) % replicas.length]!;
        expect((await call(elsewhere.url, 'GET', '/v1/me', { headers: bearer(token) })).status).toBe(200);
        expect(await jwksKids(r)).toEqual(expect.arrayContaining([...before, kid]));
      }
    });
  },
);
