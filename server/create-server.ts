/**
 * Assembles the server's parts from a data directory: store, signing keys, badge pepper,
 * token service, kiosk authenticator. Used by main.ts, the CLI and the tests.
 */
import { join } from 'node:path';
import { systemClock, type Clock } from '../protocol/index.ts';
import { badgeHasher, loadOrCreatePepper } from './auth/badge-hash.ts';
import { createKioskAuthenticator } from './auth/kiosk-assertion.ts';
import { createReplayCache } from './auth/replay-cache.ts';
import { createRosterService } from './auth/roster.ts';
import { createTokenService } from './auth/tokens.ts';
import { createSessionService } from './auth/sessions.ts';
import { createLoginThrottle, createRateLimiter } from './auth/login-throttle.ts';
import { cookiePolicy } from './http/cookies.ts';
import type { ServerDeps } from './deps.ts';
import { createEventBus } from './events/bus.ts';
import { openKeyStore } from './keys/key-store.ts';
import { openSqliteStore } from './store/sqlite/sqlite-store.ts';

export const SERVER_VERSION = '0.1.0';

export type ServerOptions = {
  dataDir: string;
  issuer: string;
  rentalTokenTtlS?: number;
  maxLoansPerPerson?: number;
  clock?: Clock;
};

export async function createServerDeps(opts: ServerOptions): Promise<ServerDeps> {
  const clock = opts.clock ?? systemClock;
  const maxLoansPerPerson = opts.maxLoansPerPerson ?? 5;
  const store = openSqliteStore({ file: join(opts.dataDir, 'server.db'), maxLoansPerPerson });
  const keys = await openKeyStore(join(opts.dataDir, 'keys'), clock.now());
  const hashBadge = badgeHasher(loadOrCreatePepper(join(opts.dataDir, 'keys', 'badge-pepper.key')));
  // A second, separate key: kiosks hold this one for the offline roster, never the pepper.
  const rosterKey = loadOrCreatePepper(join(opts.dataDir, 'keys', 'roster.key'));
  const rosterHash = badgeHasher(rosterKey);
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
    replay: createReplayCache(clock),
    notBeforeMs: clock.now(),
  });
  const roster = createRosterService({
    store,
    keys,
    issuer: opts.issuer,
    clock,
    rosterKey,
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
    loginThrottle: createLoginThrottle(clock),
    tapLimiter: createRateLimiter(clock, { burst: 20, perMinute: 60 }),
    roster,
    clock,
    issuer: opts.issuer,
    maxLoansPerPerson,
    version: SERVER_VERSION,
    events: createEventBus(),
  };
}
