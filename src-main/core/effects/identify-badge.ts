/**
 * The `identify` effect: who holds this badge. Online the server answers with a rental token,
 * checked here on receipt; when the server cannot be reached, the signed offline roster
 * decides, with its own limits. Answers with the event for the machine and whether the server
 * was reached (null: it was not asked for, or nothing is known).
 */
import { AppError, type Credential, type ErrorCode } from '../../../protocol/index.ts';
import type { ServerClock } from '../clock/server-clock.ts';
import type { OfflineRoster, RosterMatch } from '../identity/offline-roster.ts';
import type { RentalTokenVerifier } from '../identity/rental-token.ts';
import type { Logger } from '../ports.ts';
import type { ServerClient } from '../server-client.ts';
import type { Event } from '../session/machine.ts';
import { codeOf } from './code-of.ts';

/** An offline session has no rental token to expire; it gets this long at most. */
const OFFLINE_SESSION_MS = 5 * 60_000;

export type IdentifyDeps = {
  client: Pick<ServerClient, 'tap'>;
  verifier: RentalTokenVerifier;
  roster: OfflineRoster;
  clock: ServerClock;
  logger: Logger;
};

export type Identification = {
  event: Event;
  /** The server answered (true) or could not be reached (false). */
  reached: boolean | null;
  /** Offline: the roster's prover for the session's rows (it holds the badge's proof key). */
  offline?: Pick<RosterMatch, 'auth' | 'prove'>;
};

export async function identifyBadge(deps: IdentifyDeps, credential: Credential): Promise<Identification> {
  let reached: boolean | null = null;
  try {
    const res = await deps.client.tap(credential);
    reached = true;
    const { expiresAt } = await deps.verifier.verify(res.token, res.user.id);
    const event: Event = {
      type: 'identified',
      credential,
      at: deps.clock.now(),
      session: {
        credential,
        user: res.user,
        loans: res.loans,
        maxLoans: res.maxLoans,
        suspension: res.suspension ?? null,
        token: res.token,
        offlineAuth: null,
        offline: false,
        expiresAt,
      },
    };
    return { event, reached };
  } catch (err) {
    const code = codeOf(err, 'SERVER_UNREACHABLE');
    if (code === 'SERVER_UNREACHABLE') {
      const offline = await identifyOffline(deps, credential);
      if (offline) return { ...offline, reached: false };
      reached = false;
    }
    if (!(err instanceof AppError)) deps.logger.error({ err }, 'badge tap failed unexpectedly');
    else deps.logger.info({ code }, 'badge not accepted');
    return { event: failed(deps, credential, code), reached };
  }
}

function failed(deps: IdentifyDeps, credential: Credential, code: ErrorCode): Event {
  return { type: 'identifyFailed', credential, code, at: deps.clock.now() };
}

/** The server cannot be reached: the signed roster decides, with its own limits. */
async function identifyOffline(
  deps: IdentifyDeps,
  credential: Credential,
): Promise<Omit<Identification, 'reached'> | null> {
  const match = await deps.roster.lookup(credential);
  if (!match) return null;
  const now = deps.clock.now();
  const { entry, claims } = match;
  deps.logger.info({ userId: entry.userId }, 'offline session from the roster');
  return {
    offline: { auth: match.auth, prove: match.prove },
    event: {
      type: 'identified',
      credential,
      at: now,
      session: {
        credential,
        user: { id: entry.userId, displayName: entry.displayName, role: entry.role },
        // Which loans they hold is unknown offline; only how many, as of the roster.
        loans: [],
        maxLoans: Math.max(0, Math.min(claims.maxLoans - entry.openLoans, claims.maxOfflineBorrows)),
        openLoans: entry.openLoans,
        token: null,
        offlineAuth: match.auth,
        offline: true,
        expiresAt: Math.min(match.expiresAt, now + OFFLINE_SESSION_MS),
      },
    },
  };
}
