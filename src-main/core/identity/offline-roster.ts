/**
 * The kiosk's copy of its offline roster: fetched from the server while online, checked
 * against the server's keys before every use, and consulted only when the server cannot
 * be reached. The roster and this kiosk's roster key live in the kiosk's database (its data
 * dir is 0700). People deactivated at the server drop out at the next refresh (every few
 * minutes online).
 *
 * A tap is matched by a deliberately slow hash (scrypt under this kiosk's key, parameters
 * from the signed roster; protocol/tokens.ts), which also yields the badge's proof key:
 * held in memory by the match for one offline session, it signs each row the session
 * writes, and is never stored. The kiosk's own data cannot sign a row for anyone.
 */
import { createHash, createHmac, randomBytes, scrypt } from 'node:crypto';
import {
  OFFLINE_BADGE_LABEL,
  offlineProofMessage,
  type Credential,
  type RosterClaims,
  type RosterEntry,
  type TxKind,
} from '../../../protocol/index.ts';
import type { CatalogCache } from '../catalog/catalog-cache.ts';
import type { Clock, Logger } from '../ports.ts';
import type { ServerClient } from '../server-client.ts';
import type { RentalTokenVerifier } from './rental-token.ts';

export type OfflineAuth = { kind: 'roster'; roster: string; badge: string };

/** One offline row's fields the proof covers. */
export type ProvableRow = {
  kind: TxKind;
  itemId: string;
  userId: string;
  occurredAt: number;
  clockTrusted: boolean;
};

export type RosterMatch = {
  entry: RosterEntry;
  claims: RosterClaims;
  /** The roster's id and the badge's roster entry: what every offline row of this session names. */
  auth: OfflineAuth;
  expiresAt: number;
  /** A fresh nonce and the proof for one row, under the badge's proof key (kept in this closure only). */
  prove(row: ProvableRow): { nonce: string; proof: string };
};

export type OfflineRoster = ReturnType<typeof createOfflineRoster>;

function slowHash(credential: Credential, key: Buffer, kdf: RosterClaims['kdf']): Promise<Buffer> {
  const secret = createHash('sha256').update(`${OFFLINE_BADGE_LABEL}\0${credential}`, 'utf8').digest();
  return new Promise((resolve, reject) => {
    scrypt(secret, key, 64, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r }, (err, out) =>
      err ? reject(err) : resolve(out),
    );
  });
}

export function createOfflineRoster(deps: {
  kv: CatalogCache['kv'];
  client: Pick<ServerClient, 'roster'>;
  verifier: Pick<RentalTokenVerifier, 'verifyRoster'>;
  /** The server's time as best we know it. */
  clock: Clock;
  logger: Logger;
  refreshMs?: number;
  /** Nonces for the row proofs. */
  randomBytes?: (n: number) => Buffer;
}) {
  const refreshMs = deps.refreshMs ?? 5 * 60_000;
  const random = deps.randomBytes ?? randomBytes;
  let verified: {
    token: string;
    claims: RosterClaims;
    jti: string;
    expiresAt: number;
    byHash: Map<string, RosterEntry>;
  } | null = null;

  async function current() {
    const token = deps.kv.get('roster');
    if (!token) return null;
    if (verified?.token !== token) {
      const v = await deps.verifier.verifyRoster(token);
      verified = { token, ...v, byHash: new Map(v.claims.entries.map((e) => [e.h, e])) };
    }
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
      let out: Buffer;
      try {
        roster = key ? await current() : null;
        if (!roster || !key) return null;
        out = await slowHash(credential, Buffer.from(key, 'base64url'), roster.claims.kdf);
      } catch (err) {
        // Expired, not signed by our server, or parameters scrypt refuses: no offline
        // sessions rather than wrong ones.
        deps.logger.warn({ err: (err as Error).message }, 'offline roster unusable');
        return null;
      }
      const h = out.subarray(0, 32).toString('base64url');
      const entry = roster.byHash.get(h);
      if (!entry) return null;
      const proofKey = Buffer.from(out.subarray(32));
      const jti = roster.jti;
      return {
        entry,
        claims: roster.claims,
        auth: { kind: 'roster', roster: jti, badge: h },
        expiresAt: roster.expiresAt,
        prove(row) {
          const nonce = random(16).toString('base64url');
          const proof = createHmac('sha256', proofKey)
            .update(offlineProofMessage({ roster: jti, nonce, ...row }))
            .digest('base64url');
          return { nonce, proof };
        },
      };
    },
  };
}
