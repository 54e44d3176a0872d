/**
 * token_limits (issue 18): the badge tap beside its peer and its limits, in one run.
 *   - tap: the embedded server (SQLite, shared state in memory), its process pinned to the
 *     last CPU and this driver to the others (taskset, when there is one and 2+ cores);
 *   - peer: oidc-provider (peer-server.ts) pinned the same way and driven the same way:
 *     same connections, same duration, each request with a fresh EdDSA assertion;
 *   - crypto: one Ed25519 verify + one sign per "request", one thread, pinned the same
 *     way (crypto-limit.ts): the most taps that core could do;
 *   - jose: the tap's two jose calls alone, pinned the same way (jose-limit.ts), and the
 *     HTTP floor (GET /healthz/live on the tap's server: Fastify and every app-wide hook):
 *     what any tap built on jose and this HTTP stack could reach on that core, so a goal
 *     above it is shown to be out of reach of the stack rather than of the route;
 *   - sustained: the tap again for 6x as long (60 s by default) on a fresh server, against
 *     the short figure (req/s within 10%, p99 < 15 ms);
 *   - processes: taps per machine with 1, 2 and N=cores server processes on one host sharing
 *     state through one PostgreSQL (replay, limits, denylist: what the replicas share),
 *     unpinned, each process reached directly by its share of the connections; ratio to one.
 * Assertions are signed while the load runs (a feed a few seconds ahead of use): an assertion
 * lives 30 s and each is accepted once, so a 60 s run cannot be signed ahead. The feed's
 * signing runs in this driver process, on the driver's CPUs. A request sent when the feed
 * had run dry reuses an assertion and is refused: it counts as an error, and `feed_dry`
 * says how many. Server CPU per request comes from /proc/<pid>/stat (all its threads).
 *   - drain: the pinned tap again while one kiosk drains 2,000 x BENCH_SECONDS queued
 *     transactions into the same server (the kiosk's process on the driver's CPUs): tap
 *     p99 with the drain against the tap alone;
 *   - flood: the pinned tap again while 20 connections send logins with wrong passwords for
 *     unknown emails, each from its own address (X-Forwarded-For, the server trusting this
 *     host as its proxy), so no throttle stops them before the password check.
 */
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importJWK, SignJWT, type JWK } from 'jose';
import { ensureEnrolled } from '../../src-main/core/create-kiosk.ts';
import { openDeviceIdentity, type DeviceIdentity } from '../../src-main/core/identity/device-identity.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { freePort, postgresSkipReason, startPostgres } from '../support/postgres.ts';
import { startChild, type BenchChild } from './child.ts';
import type { BenchUser, SyncJob, SyncResult } from './sync-kiosks.ts';
import { round, type Row } from './stats.ts';
import { CONNECTIONS, load, type LoadResult } from './token.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** Kiosks the taps come from, in turn (one kiosk's tap bucket would be one hot row on PostgreSQL). */
const KIOSKS = 4;

type Run = LoadResult & {
  /** req/s in each 10 s of the run ("0-10 s": ...), an object so results.json stays as Prettier writes it. */
  rps_by_10s: Record<string, number>;
  cpu_us_per_request: number | null;
  feed_dry: number;
};

/** Mean req/s over each 10 s window (the last may be shorter) of per-second counts. */
function by10s(perSecond: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < perSecond.length; i += 10) {
    const w = perSecond.slice(i, i + 10);
    out[`${i}-${i + w.length} s`] = Math.round(w.reduce((a, b) => a + b, 0) / w.length);
  }
  return out;
}

export type TokenLimits = {
  pinned: string | null;
  seconds: number;
  tap: Run;
  peer: Run | { error: string };
  crypto: { ops_per_s: number } | { error: string };
  jose: { ops_per_s: number } | { error: string };
  http_floor: { rps: number; cpu_us_per_request: number | null } | { error: string };
  sustained: (Run & { seconds: number; ratio_to_short: number }) | { error: string };
  processes:
    | { skipped: string }
    | { error: string }
    | { n: number; rps: number; p99_ms: number; errors: number; ratio_to_one: number }[];
  drain: (Run & { drain: { transactions: number; seconds: number; tx_per_s: number } }) | { error: string };
  flood: (Run & { logins: { rps: number; '2xx': number; '4xx': number; '5xx': number } }) | { error: string };
  ratios: {
    tap_to_peer: number | null;
    tap_to_crypto: number | null;
    /**
     * The stack's ceiling, the jose calls and the HTTP floor together with no work of the
     * route's own (1 / (1/jose + 1/floor)), over the crypto limit and over the peer.
     */
    stack_ceiling_to_crypto: number | null;
    stack_ceiling_to_peer: number | null;
  };
};

const firstLine = (err: unknown) => ((err as Error)?.message ?? String(err)).split('\n')[0]!;

/** CPU seconds a process (every thread) has used, from /proc (clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Assertions signed a few seconds ahead of use, while the load runs. */
function assertionFeed(sign: () => Promise<string>) {
  let pool: string[] = [];
  let head = 0;
  let running = false;
  let loop: Promise<void> = Promise.resolve();
  let taken = 0;
  let dry = 0;
  let last = '';
  let rate = 1_000;
  let since = Date.now();
  const fill = async (n: number) => {
    for (let done = 0; done < n; done += 100) {
      const batch = await Promise.all(Array.from({ length: Math.min(100, n - done) }, sign));
      pool.push(...batch);
    }
  };
  return {
    take(): string {
      taken++;
      if (head < pool.length) return (last = pool[head++]!);
      dry++;
      return last;
    },
    async start(ahead: number) {
      await fill(ahead);
      running = true;
      since = Date.now();
      taken = 0;
      loop = (async () => {
        while (running) {
          const elapsed = (Date.now() - since) / 1000;
          if (elapsed >= 1) {
            rate = Math.max(500, taken / elapsed);
            taken = 0;
            since = Date.now();
          }
          if (head > 50_000) {
            pool = pool.slice(head);
            head = 0;
          }
          if (pool.length - head < 3 * rate) await fill(200);
          else await new Promise((r) => setTimeout(r, 20));
        }
      })();
    },
    async stop() {
      running = false;
      await loop;
      pool = [];
      head = 0;
      const d = dry;
      dry = 0;
      return d;
    },
  };
}

/** autocannon with per-second counts (the 'tick' events). */
async function loadPerSecond(opts: autocannon.Options): Promise<LoadResult & { per_second: number[] }> {
  const perSecond: number[] = [];
  const r = await load(opts, perSecond);
  return { ...r, per_second: perSecond };
}

/** Where to send, and the request carrying one assertion (in a header or in the body). */
type Target = {
  url: string;
  contentType: string;
  request: (assertion: string) => { body: string; headers?: Record<string, string> };
};

/**
 * Load before the measured run: the JIT is still compiling the server's hot paths for
 * several seconds (a CPU profile 5 to 10 s after start spent 13% of the server's CPU in
 * V8's optimizing compiler), and a steady state is what is compared.
 */
const WARM_UP_S = 5;

/** A warm-up, then `seconds` of load spread over `targets`, with assertions from `feed`. */
async function drive(
  targets: Target[],
  feed: ReturnType<typeof assertionFeed>,
  seconds: number,
  cpuOf: number[] = [],
): Promise<Run> {
  const once = (duration: number) =>
    Promise.all(
      targets.map((t) =>
        loadPerSecond({
          url: t.url,
          connections: Math.max(1, Math.round(CONNECTIONS / targets.length)),
          duration,
          requests: [
            {
              method: 'POST',
              setupRequest: (req) => {
                const { body, headers } = t.request(feed.take());
                return {
                  ...req,
                  body,
                  headers: { ...req.headers, 'content-type': t.contentType, ...headers },
                };
              },
            },
          ],
        }),
      ),
    );
  await feed.start(2_000);
  let dry = 0;
  try {
    await once(WARM_UP_S);
    const cpu0 = cpuOf.map(cpuSeconds);
    const runs = await once(seconds);
    const cpu = cpuOf.reduce((sum, pid, i) => sum + cpuSeconds(pid) - cpu0[i]!, 0);
    const requests = runs.reduce((s, r) => s + r.requests, 0);
    const errors = runs.reduce((s, r) => s + r.errors, 0);
    const kinds = runs.filter((r) => r.error_kinds).map((r) => r.error_kinds!);
    return {
      rps: runs.reduce((s, r) => s + r.rps, 0),
      p50_ms: Math.max(...runs.map((r) => r.p50_ms)),
      p99_ms: Math.max(...runs.map((r) => r.p99_ms)),
      errors,
      requests,
      ...(kinds.length
        ? {
            error_kinds: {
              '4xx': kinds.reduce((s, k) => s + k['4xx'], 0),
              '5xx': kinds.reduce((s, k) => s + k['5xx'], 0),
              socket: kinds.reduce((s, k) => s + k.socket, 0),
              timeouts: kinds.reduce((s, k) => s + k.timeouts, 0),
            },
          }
        : {}),
      // One count per whole second (autocannon ticks once more as it stops).
      rps_by_10s: by10s(
        runs[0]!.per_second
          .slice(0, seconds)
          .map((_, i) => runs.reduce((s, r) => s + (r.per_second[i] ?? 0), 0)),
      ),
      cpu_us_per_request: cpuOf.length && requests ? round((cpu * 1e6) / requests, 0) : null,
      get feed_dry() {
        return dry;
      },
    };
  } finally {
    dry = await feed.stop();
  }
}

/** `KIOSKS` kiosks enrolled through `serverUrl`; their assertions in turn. */
async function kioskFeed(serverUrl: string, codes: string[]) {
  const dirs: string[] = [];
  const identities: DeviceIdentity[] = [];
  try {
    for (const code of codes.slice(0, KIOSKS)) {
      const dir = mkdtempSync(join(os.tmpdir(), 'rental-bench-kiosk-'));
      dirs.push(dir);
      const identity = await openDeviceIdentity(dir);
      await ensureEnrolled(identity, { serverUrl }, code);
      identities.push(identity);
    }
  } catch (err) {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    throw err;
  }
  const clock = { now: () => Date.now() };
  let i = 0;
  return {
    feed: assertionFeed(() => identities[i++ % identities.length]!.assertion(clock)),
    close: () => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })),
  };
}

const TAP_BODY = JSON.stringify({ credential: DEMO_PEOPLE[0].badge });
const tapTarget = (url: string): Target => ({
  url: `${url}/v1/badge-tap`,
  contentType: 'application/json',
  request: (a) => ({ body: TAP_BODY, headers: { authorization: `Kiosk ${a}` } }),
});

const EMBEDDED_ENV = {
  RENTAL_DATABASE_URL: '',
  RENTAL_MASTER_KEY: '',
  RENTAL_MASTER_KEY_FILE: '',
  RENTAL_SERVER_ISSUER: '',
  RENTAL_SERVER_PORT: '',
  RENTAL_TRUST_PROXY: '',
  BENCH_PEOPLE: '0',
  BENCH_KIOSKS: String(KIOSKS),
};

/** The tap on a fresh embedded server (pinned to `pin`) for `seconds`. */
async function tapRun(seconds: number, pin: string | undefined): Promise<Run> {
  const server = startChild(join(here, 'bench-server.ts'), EMBEDDED_ENV, pin);
  try {
    const info = await server.next<{ url: string; codes: string[] }>();
    const k = await kioskFeed(info.url, info.codes);
    try {
      return await drive([tapTarget(info.url)], k.feed, seconds, [server.pid]);
    } finally {
      k.close();
    }
  } finally {
    await server.stop();
  }
}

/** GET /healthz/live on a fresh embedded server pinned to `pin`: the cost of any request. */
async function httpFloorRun(seconds: number, pin: string | undefined) {
  const server = startChild(join(here, 'bench-server.ts'), EMBEDDED_ENV, pin);
  try {
    const { url } = await server.next<{ url: string }>();
    const opts = { url: `${url}/healthz/live`, connections: CONNECTIONS };
    await load({ ...opts, duration: WARM_UP_S });
    const cpu0 = cpuSeconds(server.pid);
    const r = await load({ ...opts, duration: seconds });
    const cpu = cpuSeconds(server.pid) - cpu0;
    if (r.errors) throw new Error(`${r.errors} errors`);
    return { rps: r.rps, cpu_us_per_request: r.requests ? round((cpu * 1e6) / r.requests, 0) : null };
  } finally {
    await server.stop();
  }
}

async function peerRun(seconds: number, pin: string | undefined): Promise<Run> {
  const peer = startChild(join(here, 'peer-server.ts'), {}, pin);
  try {
    const info = await peer.next<{ tokenUrl: string; clientId: string; clientJwk: JWK }>();
    const key = await importJWK(info.clientJwk, 'EdDSA');
    const feed = assertionFeed(() =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'EdDSA', kid: info.clientJwk.kid! })
        .setIssuer(info.clientId)
        .setSubject(info.clientId)
        .setAudience(info.tokenUrl)
        .setIssuedAt()
        .setExpirationTime('30s')
        .setJti(randomUUID())
        .sign(key),
    );
    const target: Target = {
      url: info.tokenUrl,
      contentType: 'application/x-www-form-urlencoded',
      request: (a) => ({
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: a,
        }).toString(),
      }),
    };
    return await drive([target], feed, seconds, [peer.pid]);
  } finally {
    await peer.stop();
  }
}

/** The tap on a fresh pinned server while a kiosk drains its queue into it (sync-kiosks.ts). */
async function drainRun(seconds: number, pin: string | undefined) {
  const server = startChild(
    join(here, 'bench-server.ts'),
    { ...EMBEDDED_ENV, BENCH_PEOPLE: '1', BENCH_KIOSKS: String(KIOSKS + 1) },
    pin,
  );
  let kioskDirs: string[] = [];
  try {
    const info = await server.next<{ url: string; codes: string[]; users: BenchUser[] }>();
    const k = await kioskFeed(info.url, info.codes.slice(0, KIOSKS));
    try {
      const job: SyncJob = {
        serverUrl: info.url,
        codes: [info.codes[KIOSKS]!],
        users: [info.users[0]!],
        perKiosk: 2_000 * seconds,
      };
      const sync = startChild(join(here, 'sync-kiosks.ts'), { BENCH_SYNC: JSON.stringify(job) });
      try {
        const [tap, drained] = await Promise.all([
          drive([tapTarget(info.url)], k.feed, seconds, [server.pid]),
          sync.next<SyncResult>(600_000),
        ]);
        kioskDirs = drained.kioskDirs;
        return {
          ...tap,
          drain: { transactions: drained.transactions, seconds: drained.seconds, tx_per_s: drained.tx_per_s },
        };
      } finally {
        await sync.stop();
      }
    } finally {
      k.close();
    }
  } finally {
    for (const d of kioskDirs) rmSync(d, { recursive: true, force: true });
    await server.stop();
  }
}

/** The tap on a fresh pinned server while a login flood arrives (every login a password check). */
async function floodRun(seconds: number, pin: string | undefined) {
  const server = startChild(
    join(here, 'bench-server.ts'),
    { ...EMBEDDED_ENV, RENTAL_TRUST_PROXY: '127.0.0.1' },
    pin,
  );
  try {
    const info = await server.next<{ url: string; codes: string[] }>();
    const k = await kioskFeed(info.url, info.codes);
    try {
      let n = 0;
      const flood = new Promise<autocannon.Result>((resolve, reject) =>
        autocannon(
          {
            url: `${info.url}/v1/auth/login`,
            connections: 20,
            duration: seconds + 1,
            requests: [
              {
                method: 'POST',
                setupRequest: (req) => {
                  n++;
                  return {
                    ...req,
                    body: JSON.stringify({ email: `flood${n}@example.com`, password: `wrong-guess-${n}` }),
                    headers: {
                      ...req.headers,
                      'content-type': 'application/json',
                      'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
                    },
                  };
                },
              },
            ],
          },
          (err, r) => (err ? reject(err) : resolve(r)),
        ),
      );
      const [tap, logins] = await Promise.all([
        drive([tapTarget(info.url)], k.feed, seconds, [server.pid]),
        flood,
      ]);
      return {
        ...tap,
        logins: {
          rps: round(logins.requests.average, 0),
          '2xx': logins['2xx'],
          '4xx': logins['4xx'],
          '5xx': logins['5xx'],
        },
      };
    } finally {
      k.close();
    }
  } finally {
    await server.stop();
  }
}

/** A limit part (crypto-limit.ts, jose-limit.ts) in its own process, pinned like the servers. */
async function limitRun(file: string, seconds: number, pin: string | undefined) {
  const child = startChild(join(here, file), { BENCH_CRYPTO_SECONDS: String(seconds) }, pin);
  try {
    return await child.next<{ ops_per_s: number }>(seconds * 1000 + 60_000);
  } finally {
    await child.stop();
  }
}

/** N bench servers on one PostgreSQL, each reached directly by its share of the connections. */
async function processesRun(seconds: number, counts: number[], log: (m: string) => void) {
  const skip = postgresSkipReason();
  if (skip) return { skipped: skip };
  const cluster = await startPostgres();
  const out: { n: number; rps: number; p99_ms: number; errors: number; ratio_to_one: number }[] = [];
  try {
    for (const n of counts) {
      log(`token_limits: ${n} process(es) on one PostgreSQL, ${seconds} s`);
      const databaseUrl = await cluster.createDatabase(`bench_taps_${n}`);
      const masterKey = randomBytes(32).toString('base64');
      const ports: number[] = [];
      for (let i = 0; i < n; i++) ports.push(await freePort());
      const issuer = `http://127.0.0.1:${ports[0]}`;
      const servers: BenchChild[] = [];
      const dirs: string[] = [];
      try {
        const start = (i: number) => {
          const s = startChild(join(here, 'bench-server.ts'), {
            ...EMBEDDED_ENV,
            RENTAL_DATABASE_URL: databaseUrl,
            RENTAL_MASTER_KEY: masterKey,
            RENTAL_SERVER_ISSUER: issuer,
            RENTAL_SERVER_PORT: String(ports[i]),
            BENCH_SEED: i === 0 ? '1' : '0',
          });
          servers.push(s);
          return s;
        };
        const info = await start(0).next<{ url: string; codes: string[]; dataDir: string }>();
        dirs.push(info.dataDir);
        for (let i = 1; i < n; i++) start(i);
        for (const s of servers.slice(1)) dirs.push((await s.next<{ dataDir: string }>()).dataDir);
        const k = await kioskFeed(info.url, info.codes);
        try {
          const r = await drive(
            ports.map((p) => tapTarget(`http://127.0.0.1:${p}`)),
            k.feed,
            seconds,
          );
          out.push({
            n,
            rps: r.rps,
            p99_ms: r.p99_ms,
            errors: r.errors,
            ratio_to_one: out[0] ? round(r.rps / out[0].rps, 2) : 1,
          });
        } finally {
          k.close();
        }
      } finally {
        for (const s of servers.reverse()) await s.stop().catch(() => {});
        for (const d of dirs) rmSync(d, { recursive: true, force: true });
      }
    }
    return out;
  } finally {
    await cluster.stop();
  }
}

export async function benchTokenLimits(opts: {
  seconds: number;
  sustainedSeconds: number;
  log: (msg: string) => void;
}): Promise<TokenLimits> {
  const cores = os.cpus().length;
  const pinnable = cores >= 2 && hasTaskset();
  const serverCpu = pinnable ? String(cores - 1) : undefined;
  const driverCpus = pinnable ? `0-${cores - 2}` : undefined;
  const all = `0-${cores - 1}`;
  const pinDriver = (cpus: string) => {
    if (pinnable) execFileSync('taskset', ['-a', '-cp', cpus, String(process.pid)], { stdio: 'ignore' });
  };
  const { seconds, log } = opts;
  pinDriver(driverCpus ?? all);
  try {
    log(
      `token_limits: tap, ${CONNECTIONS} connections, ${seconds} s, server on CPU ${serverCpu ?? '(unpinned)'}`,
    );
    const tap = await tapRun(seconds, serverCpu);
    log(`token_limits: peer oidc-provider, ${seconds} s`);
    const peer = await peerRun(seconds, serverCpu).catch((err: unknown) => ({ error: firstLine(err) }));
    log(`token_limits: crypto-only limit, ${seconds} s`);
    const crypto = await limitRun('crypto-limit.ts', seconds, serverCpu).catch((err: unknown) => ({
      error: firstLine(err),
    }));
    log(`token_limits: jose-only limit and HTTP floor, ${seconds} s each`);
    const jose = await limitRun('jose-limit.ts', seconds, serverCpu).catch((err: unknown) => ({
      error: firstLine(err),
    }));
    const http_floor = await httpFloorRun(seconds, serverCpu).catch((err: unknown) => ({
      error: firstLine(err),
    }));
    log(`token_limits: sustained tap, ${opts.sustainedSeconds} s`);
    const sustained = await tapRun(opts.sustainedSeconds, serverCpu)
      .then((r) => ({ ...r, seconds: opts.sustainedSeconds, ratio_to_short: round(r.rps / tap.rps, 2) }))
      .catch((err: unknown) => ({ error: firstLine(err) }));
    log(`token_limits: tap during a sync drain, ${seconds} s`);
    const drain = await drainRun(seconds, serverCpu).catch((err: unknown) => ({ error: firstLine(err) }));
    log(`token_limits: tap during a login flood, ${seconds} s`);
    const flood = await floodRun(seconds, serverCpu).catch((err: unknown) => ({ error: firstLine(err) }));
    pinDriver(all);
    const counts = [...new Set([1, 2, cores])];
    const processes = await processesRun(seconds, counts, log).catch((err: unknown) => ({
      error: firstLine(err),
    }));
    const ceiling =
      'ops_per_s' in jose && 'rps' in http_floor ? 1 / (1 / jose.ops_per_s + 1 / http_floor.rps) : null;
    return {
      pinned: serverCpu ? `server on CPU ${serverCpu}, driver on CPU ${driverCpus}` : null,
      seconds,
      tap,
      peer,
      crypto,
      jose,
      http_floor,
      sustained,
      processes,
      drain,
      flood,
      ratios: {
        tap_to_peer: 'rps' in peer ? round(tap.rps / peer.rps, 2) : null,
        tap_to_crypto: 'ops_per_s' in crypto ? round(tap.rps / crypto.ops_per_s, 2) : null,
        stack_ceiling_to_crypto:
          ceiling !== null && 'ops_per_s' in crypto ? round(ceiling / crypto.ops_per_s, 2) : null,
        stack_ceiling_to_peer: ceiling !== null && 'rps' in peer ? round(ceiling / peer.rps, 2) : null,
      },
    };
  } finally {
    pinDriver(all);
  }
}

export function tokenLimitRows(r: TokenLimits | { error: string }): Row[] {
  if ('error' in r) return [['token_limits', `failed: ${r.error}`, '', '', '', false]];
  const t = r.tap;
  const fig = (x: Run) =>
    `${x.rps} req/s, p50 ${x.p50_ms} / p99 ${x.p99_ms} ms, ${x.errors} errors` +
    (x.cpu_us_per_request !== null ? `, ${x.cpu_us_per_request} us CPU/req` : '');
  const rows: Row[] = [
    [`tap, pinned, ${CONNECTIONS} conn, ${r.seconds} s`, fig(t), '', '', '0 errors', t.errors === 0],
  ];
  rows.push(
    'error' in r.peer
      ? ['peer oidc-provider', `failed: ${r.peer.error}`, '', '', '', false]
      : [
          'peer oidc-provider private_key_jwt + client_credentials (JWT AT)',
          fig(r.peer),
          '',
          `tap/peer ${r.ratios.tap_to_peer}`,
          '>= 1.5',
          r.ratios.tap_to_peer !== null && r.ratios.tap_to_peer >= 1.5,
        ],
  );
  rows.push(
    'error' in r.crypto
      ? ['crypto-only limit', `failed: ${r.crypto.error}`, '', '', '', false]
      : [
          'crypto-only limit (Ed25519 verify + sign, 1 thread)',
          `${r.crypto.ops_per_s} /s`,
          '',
          `tap/limit ${r.ratios.tap_to_crypto}`,
          '>= 0.6',
          r.ratios.tap_to_crypto !== null && r.ratios.tap_to_crypto >= 0.6,
        ],
  );
  rows.push(
    'error' in r.jose
      ? ['jose-only limit', `failed: ${r.jose.error}`, '', '', '', false]
      : [
          `jose-only limit (the tap's jwtVerify + SignJWT, ${CONNECTIONS} at once)`,
          `${r.jose.ops_per_s} /s`,
          '',
          `tap/jose ${round(t.rps / r.jose.ops_per_s, 2)}`,
          '',
          null,
        ],
  );
  rows.push(
    'error' in r.http_floor
      ? ['HTTP floor', `failed: ${r.http_floor.error}`, '', '', '', false]
      : [
          'HTTP floor (GET /healthz/live, every app-wide hook)',
          `${r.http_floor.rps} req/s` +
            (r.http_floor.cpu_us_per_request !== null
              ? `, ${r.http_floor.cpu_us_per_request} us CPU/req`
              : ''),
          '',
          r.ratios.stack_ceiling_to_crypto !== null
            ? `jose + floor ceiling/limit ${r.ratios.stack_ceiling_to_crypto}, ceiling/peer ${r.ratios.stack_ceiling_to_peer}`
            : '',
          '',
          null,
        ],
  );
  const s = r.sustained;
  rows.push(
    'error' in s
      ? ['tap sustained', `failed: ${s.error}`, '', '', '', false]
      : [
          `tap sustained ${s.seconds} s, pinned`,
          `${fig(s)}; by 10 s: ${Object.values(s.rps_by_10s).join(', ')}`,
          `${t.rps} req/s (${r.seconds} s)`,
          `${s.ratio_to_short}`,
          'within 10%, p99 < 15 ms',
          Math.abs(s.ratio_to_short - 1) <= 0.1 && s.p99_ms < 15 && s.errors === 0,
        ],
  );
  const p = r.processes;
  if ('skipped' in p) rows.push(['taps per machine, N processes', `skipped: ${p.skipped}`, '', '', '', null]);
  else if ('error' in p)
    rows.push(['taps per machine, N processes', `failed: ${p.error}`, '', '', '', false]);
  else
    for (const x of p)
      rows.push([
        `taps per machine, ${x.n} process(es), shared state on PostgreSQL, unpinned`,
        `${x.rps} req/s, p99 ${x.p99_ms} ms, ${x.errors} errors`,
        x.n === 1 ? '' : `${p[0]!.rps} req/s (1 process)`,
        `${x.ratio_to_one}`,
        '',
        null,
      ]);
  const d = r.drain;
  rows.push(
    'error' in d
      ? ['tap during a sync drain', `failed: ${d.error}`, '', '', '', false]
      : [
          `tap during a sync drain (${d.drain.transactions} tx at ${d.drain.tx_per_s} tx/s, ${d.drain.seconds} s), pinned`,
          fig(d),
          `p99 ${t.p99_ms} ms without`,
          '',
          '',
          null,
        ],
  );
  const f = r.flood;
  rows.push(
    'error' in f
      ? ['tap during a login flood', `failed: ${f.error}`, '', '', '', false]
      : [
          `tap during a login flood (${f.logins.rps} logins/s: ${f.logins['4xx']} refused 4xx, ${f.logins['5xx']} 5xx), pinned`,
          fig(f),
          `p99 ${t.p99_ms} ms without`,
          '',
          '0 tap errors',
          f.errors === 0,
        ],
  );
  return rows;
}
