/**
 * The offline roster: a server-signed list of who may start a session at one kiosk while
 * the server is unreachable. Badges appear only as HMAC-SHA256(rosterKey, credential):
 * the roster key is shared with enrolled kiosks and is separate from the badge pepper the
 * server's own database uses, so a stolen kiosk never yields the server's pepper.
 * Rosters are recorded by id so the server can check, at sync, which one a kiosk used.
 */
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import {
  ROSTER_TTL_S,
  TOKEN_ALG,
  TOKEN_TYP,
  kioskSubject,
  type Clock,
  type RosterClaims,
} from '../../protocol/index.ts';
import type { KeyStore } from '../keys/key-store.ts';
import type { Store } from '../store/store.ts';

export type RosterService = ReturnType<typeof createRosterService>;

export function createRosterService(deps: {
  store: Store;
  keys: KeyStore;
  issuer: string;
  clock: Clock;
  rosterKey: Buffer;
  maxLoansPerPerson: number;
  /** Items one person may borrow in one offline session. */
  maxOfflineBorrows?: number;
  ttlS?: number;
}) {
  const ttlS = deps.ttlS ?? ROSTER_TTL_S;
  /** Open loans per person, so the kiosk can hold each to the loan limit offline. */
  const openLoanCounts = async () => {
    const counts = new Map<string, number>();
    for (const loan of await deps.store.loans({ status: 'open' }))
      counts.set(loan.userId, (counts.get(loan.userId) ?? 0) + 1);
    return counts;
  };

  return {
    async issue(kioskId: string) {
      const key = deps.keys.current();
      const iat = Math.floor(deps.clock.now() / 1000);
      const exp = iat + ttlS;
      const jti = randomUUID();
      const people = await deps.store.rosterEntries();
      const counts = people.length ? await openLoanCounts() : new Map<string, number>();
      const claims: RosterClaims = {
        entries: people.map((e) => {
          return {
            h: e.rosterHash,
            userId: e.userId,
            displayName: e.displayName,
            role: e.role,
            openLoans: counts.get(e.userId) ?? 0,
          };
        }),
        maxLoans: deps.maxLoansPerPerson,
        maxOfflineBorrows: deps.maxOfflineBorrows ?? 2,
      };
      const roster = await new SignJWT(claims)
        .setProtectedHeader({ alg: TOKEN_ALG, typ: TOKEN_TYP.roster, kid: key.kid })
        .setIssuer(deps.issuer)
        .setAudience(kioskSubject(kioskId))
        .setSubject(kioskSubject(kioskId))
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .setJti(jti)
        .sign(key.privateKey);
      await deps.store.recordRoster(jti, kioskId, iat * 1000, exp * 1000);
      return { roster, rosterKey: deps.rosterKey.toString('base64url'), expiresAtMs: exp * 1000 };
    },
    /**
     * The person an offline transaction claims, checked again now: the roster was issued
     * to this kiosk, was current when the row was written (if the kiosk's clock could be
     * trusted), and the badge still belongs to that person. Null when all hold.
     */
    async check(
      kioskId: string,
      auth: { roster: string; badge: string },
      tx: { userId: string; occurredAt: number; clockTrusted: boolean },
    ) {
      const roster = await deps.store.findRoster(auth.roster);
      if (!roster || roster.kioskId !== kioskId) return 'TOKEN_INVALID' as const;
      if (tx.clockTrusted && (tx.occurredAt < roster.issuedAt - 5_000 || tx.occurredAt > roster.expiresAt))
        return 'TOKEN_EXPIRED' as const;
      const user = await deps.store.findUserByRosterHash(auth.badge);
      if (!user || user.id !== tx.userId) return 'BADGE_DENIED' as const;
      // An inactive person is judged like any other borrow (a conflict, not a lost record):
      // the item physically left with them.
      return null;
    },
  };
}
