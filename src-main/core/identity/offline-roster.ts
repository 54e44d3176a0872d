/**
 * The kiosk's copy of its offline roster: fetched from the server while online, checked
 * against the server's keys before every use, and consulted only when the server cannot
 * be reached. The roster and its key live in the kiosk's database (its data dir is 0700).
 * People deactivated at the server drop out at the next refresh (every few minutes online).
 */
import { createHmac } from 'node:crypto';
import type { Credential, RosterClaims, RosterEntry } from '../../../protocol/index.ts';
import type { CatalogCache } from '../catalog/catalog-cache.ts';
import type { Clock, Logger } from '../ports.ts';
import type { ServerClient } from '../server-client.ts';
import type { RentalTokenVerifier } from './rental-token.ts';

export type RosterMatch = {
  entry: RosterEntry;
  claims: RosterClaims;
  /** The roster's id and the badge's roster hash: the offline row's proof, rechecked at sync. */
  auth: { kind: 'roster'; roster: string; badge: string };
  expiresAt: number;
};

export type OfflineRoster = ReturnType<typeof createOfflineRoster>;

export function createOfflineRoster(deps: {
  kv: CatalogCache['kv'];
  client: Pick<ServerClient, 'roster'>;
  verifier: Pick<RentalTokenVerifier, 'verifyRoster'>;
  /** The server's time as best we know it. */
  clock: Clock;
  logger: Logger;
  refreshMs?: number;
}) {
  const refreshMs = deps.refreshMs ?? 5 * 60_000;
  let verified: { token: string; claims: RosterClaims; jti: string; expiresAt: number } | null = null;

  async function current() {
    const token = deps.kv.get('roster');
    if (!token) return null;
    if (verified?.token !== token) verified = { token, ...(await deps.verifier.verifyRoster(token)) };
    return verified;
  }

  return {
    /** Fetch a fresh roster if the one we hold is older than the refresh interval. */
    async refresh(force = false) {
      const fetchedAt = Number(deps.kv.get('roster_fetched_at') ?? 0);
      if (!force && deps.kv.get('roster') && deps.clock.now() - fetchedAt < refreshMs) return;
      const res = await deps.client.roster();
      await deps.verifier.verifyRoster(res.roster);
      deps.kv.set('roster', res.roster);
      deps.kv.set('roster_key', res.rosterKey);
      deps.kv.set('roster_fetched_at', String(deps.clock.now()));
    },
    async lookup(credential: Credential): Promise<RosterMatch | null> {
      const key = deps.kv.get('roster_key');
      let roster;
      try {
        roster = key ? await current() : null;
      } catch (err) {
        // Expired or not signed by our server: no offline sessions rather than wrong ones.
        deps.logger.warn({ err: (err as Error).message }, 'offline roster unusable');
        return null;
      }
      if (!roster || !key) return null;
      const h = createHmac('sha256', Buffer.from(key, 'base64url')).update(credential).digest('base64url');
      const entry = roster.claims.entries.find((e) => e.h === h);
      if (!entry) return null;
      return {
        entry,
        claims: roster.claims,
        auth: { kind: 'roster', roster: roster.jti, badge: h },
        expiresAt: roster.expiresAt,
      };
    },
  };
}
