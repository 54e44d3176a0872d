/**
 * Assembles the server's parts: store (SQLite in dataDir, or PostgreSQL when a database
 * URL is given), secrets (files, or sealed in the database under the master key), shared
 * state, live events, token service and kiosk authenticator. Used by main.ts, the CLI and
 * the tests. Where several replicas share one PostgreSQL, everything that decides security
 * or correctness lives in the database, never only in this process.
 */
import { join } from 'node:path';
import { systemClock, type Clock } from '../protocol/index.ts';
import { badgeHasher, badgeSecretSealer } from './auth/badge-hash.ts';
import { createKioskAuthenticator } from './auth/kiosk-assertion.ts';
import { createReplayCache } from './auth/replay-cache.ts';
import { createRosterService } from './auth/roster.ts';
import { createTokenService } from './auth/tokens.ts';
import { createSessionService } from './auth/sessions.ts';
import { createPasswordGate } from './auth/password-gate.ts';
import { createLoginThrottle, createRateLimiter } from './auth/login-throttle.ts';
import { cookiePolicy } from './http/cookies.ts';
import type { ServerDeps } from './deps.ts';
import { createEventBus, type EventBus } from './events/bus.ts';
import { pgEventRelay } from './events/pg-relay.ts';
import { openServerSecrets } from './keys/server-secrets.ts';
import { memorySharedState } from './shared/memory-state.ts';
import { storeSharedState } from './shared/store-state.ts';
import { openPostgresStore } from './store/postgres/open-postgres-store.ts';
import { postgresDb } from './store/postgres/postgres-db.ts';
import { openSqliteStore } from './store/sqlite/open-sqlite-store.ts';
import type { Store } from './store/store.ts';
import { createSsoService } from './auth/oidc/sso-service.ts';
import type { SsoSettings } from './auth/oidc/sso-config.ts';
import type { Fetch } from './auth/oidc/oidc-client.ts';

export const SERVER_VERSION = '0.1.0';

export type ServerOptions = {
  dataDir: string;
  issuer: string;
  /** postgres://… for several replicas; absent: the SQLite file in dataDir. */
  databaseUrl?: string;
  databasePoolSize?: number;
  /** Seals the signing keys, pepper and roster key in the database (required with PostgreSQL). */
  masterKey?: Buffer | null;
  rentalTokenTtlS?: number;
  maxLoansPerPerson?: number;
  clock?: Clock;
  log?: { warn(o: object, msg: string): void };
  /** Single sign-on (server/auth/oidc/sso-config.ts); null or absent: off. */
  sso?: SsoSettings | null;
  /** How the server reaches the OpenID provider (tests pass their own). */
  fetch?: Fetch;
};

/** The URL as it may appear in a log line or an error: without its password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(a database URL that does not parse)';
  }
}

export class DatabaseUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    super(`cannot reach the database at ${redactUrl(url)}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'DatabaseUnreachableError';
  }
}

async function openStore(opts: ServerOptions): Promise<Store> {
  if (!opts.databaseUrl) return openSqliteStore({ file: join(opts.dataDir, 'server.db') });
  try {
    return await openPostgresStore({
      url: opts.databaseUrl,
      ...(opts.databasePoolSize ? { poolSize: opts.databasePoolSize } : {}),
      ...(opts.log
        ? { onError: (err: Error) => opts.log!.warn({ err: err.message }, 'database connection lost') }
        : {}),
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    // Connection refused, unknown host, timeouts, authentication: the URL is wrong or the database is away.
    if (code === undefined || /^(E[A-Z]+|28P01|28000|3D000)$/.test(code)) {
      throw new DatabaseUnreachableError(opts.databaseUrl, err);
    }
    throw err;
  }
}

export async function createServerDeps(opts: ServerOptions): Promise<ServerDeps> {
  const clock = opts.clock ?? systemClock;
  const maxLoansPerPerson = opts.maxLoansPerPerson ?? 5;
  const store = await openStore(opts);
  const closers: (() => Promise<void> | void)[] = [];
  try {
    const secrets = await openServerSecrets({
      store,
      masterKey: opts.masterKey ?? null,
      dataDir: opts.dataDir,
      clock,
      ...(opts.log
        ? {
            log: opts.log,
            onError: (err: unknown) =>
              opts.log!.warn({ err: (err as Error).message }, 'signing keys not re-read'),
          }
        : {}),
    });
    closers.push(() => secrets.keys.close());
    const { keys } = secrets;
    const hashBadge = badgeHasher(secrets.pepper);
    // A second, separate key: kiosks hold this one for the offline roster, never the pepper.
    const rosterHash = badgeSecretSealer(secrets.rosterKey);

    // One process (SQLite) keeps shared state in memory; replicas keep it in the database.
    const shared = store.kind === 'postgres' ? storeSharedState(store) : memorySharedState();
    let events: EventBus = createEventBus();
    if (store.kind === 'postgres' && opts.databaseUrl) {
      const pool = postgresDb({ connectionString: opts.databaseUrl, max: 2 }).pool;
      const relay = pgEventRelay({
        url: opts.databaseUrl,
        local: events,
        pool,
        ...(opts.log ? { log: opts.log } : {}),
      });
      closers.push(
        () => relay.close(),
        () => pool.end(),
      );
      if (!(await relay.ready(5_000)))
        opts.log?.warn({}, 'live events: not listening yet; retrying in the background');
      events = relay;
    }

    const tokens = createTokenService({
      keys,
      issuer: opts.issuer,
      clock,
      rentalTtlS: opts.rentalTokenTtlS ?? 120,
    });
    const authenticateKiosk = createKioskAuthenticator({
      store,
      issuer: opts.issuer,
      clock,
      replay: createReplayCache(clock, shared),
      // Memory forgets at a restart; refusing what was issued before it keeps the window shut.
      ...(shared.where === 'memory' ? { notBeforeMs: clock.now() } : {}),
    });
    const roster = createRosterService({
      store,
      keys,
      issuer: opts.issuer,
      clock,
      rosterKey: secrets.rosterKey,
      maxLoansPerPerson,
    });
    return {
      store,
      keys,
      tokens,
      authenticateKiosk,
      hashBadge,
      rosterHash,
      sessions: createSessionService({ store, tokens, clock }),
      cookies: cookiePolicy(opts.issuer),
      loginThrottle: createLoginThrottle(clock, shared),
      // libuv has 4 threads: two may hash passwords, the rest stay free for Ed25519 and I/O.
      passwordGate: createPasswordGate({ maxInFlight: 2, maxWaiting: 16 }),
      tapLimiter: createRateLimiter(clock, shared, { burst: 20, perMinute: 60 }),
      shared,
      roster,
      clock,
      ...(opts.sso
        ? {
            sso: createSsoService({
              settings: opts.sso,
              shared,
              clock,
              ...(opts.fetch ? { fetch: opts.fetch } : {}),
              ...(opts.log ? { log: opts.log } : {}),
            }),
          }
        : {}),
      issuer: opts.issuer,
      maxLoansPerPerson,
      version: SERVER_VERSION,
      events,
      async close() {
        for (const close of closers.reverse()) await close();
        await store.close();
      },
    };
  } catch (err) {
    for (const close of closers.reverse()) await close();
    await store.close();
    throw err;
  }
}
