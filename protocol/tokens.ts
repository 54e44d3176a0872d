/**
 * Token kinds and their claims (../DESIGN.md, Tokens). Every verifier pins the `typ` of the
 * kind it expects, so a token of one kind is never accepted as another.
 */
export const TOKEN_TYP = {
  rental: 'rental+jwt',
  access: 'at+jwt',
  kioskAssertion: 'kiosk+jwt',
  roster: 'roster+jwt',
} as const;

export const TOKEN_ALG = 'EdDSA' as const;

/** Audience of access tokens for the dashboard and API. */
export const ACCESS_AUDIENCE = 'rental-api';

/** Lifetimes in seconds. */
export const RENTAL_TOKEN_TTL_S = 120;
export const ACCESS_TOKEN_TTL_S = 15 * 60;
export const KIOSK_ASSERTION_MAX_TTL_S = 60;
/** Each refresh token lives 14 days and is replaced on every use... */
export const REFRESH_TOKEN_TTL_S = 14 * 24 * 60 * 60;
/** ...but rotation never carries a sign-in past 30 days: then the person logs in again. */
export const SESSION_MAX_TTL_S = 30 * 24 * 60 * 60;
/** Offline roster lifetime: how long a kiosk may admit people without reaching the server. */
export const ROSTER_TTL_S = 24 * 60 * 60;

export const kioskSubject = (kioskId: string) => `kiosk:${kioskId}`;
export const userSubject = (userId: string) => `user:${userId}`;

export function parseSubject(sub: string, kind: 'kiosk' | 'user'): string | null {
  const prefix = `${kind}:`;
  if (!sub.startsWith(prefix)) return null;
  const id = sub.slice(prefix.length);
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
}

/** The Authorization scheme a kiosk uses to present its device assertion. */
export const KIOSK_AUTH_SCHEME = 'Kiosk';

/**
 * Which kiosk wire format a kiosk speaks, sent with every request. A kiosk validates answers
 * strictly (no field it does not know), so a newer server sends new fields only to kiosks
 * that name a version that has them; a kiosk that sends no header is version 1.
 *   1: the format before item conditions.
 *   2: CatalogItem.condition; HeartbeatResponse.openConflicts and lastSeq; Transaction.condition.
 *   3: the lending policies: CatalogResponse.policies, TapResponse.suspension, and the
 *      policies' error codes in sync results (older kiosks get the nearest older code).
 *   4: CatalogItem.heldBy (the first name of whoever holds an item on loan); the department,
 *      employee number and email of each person in KioskPeopleResponse (service mode).
 *   5: CatalogItem.photo (the hash of the item's photo, whose thumbnail the kiosk's list shows);
 *      LoanSummary.renewals (how often each loan of a tap was renewed) and the 'renew'
 *      transaction with its codes (RENEWAL_LIMIT_REACHED, RENEWAL_OVERDUE), sent only by
 *      kiosks of 5 (protocol/renewals.ts).
 *   6: CatalogResponse.reservations (the reservations a kiosk keeps to, issue 16).
 *   7: CatalogItem.parts (a kit's named parts) and Transaction.missingParts (those a return
 *      reported missing), sent only by kiosks of 7.
 */
export const KIOSK_PROTOCOL_HEADER = 'x-rental-kiosk-protocol';
export const KIOSK_PROTOCOL = 7;

/**
 * The offline roster's badge hashes and per-transaction proofs (../DESIGN.md, Badge tap ->
 * session, step 3). Both sides compute, from the raw credential:
 *
 *   secret = SHA-256(OFFLINE_BADGE_LABEL || 0x00 || credential)            (unkeyed, fast)
 *   out    = scrypt(secret, salt = this kiosk's roster key, 64 bytes, ROSTER_KDF)  (slow)
 *   entry  = out[0..32]   -> the roster lists it, base64url
 *   proof key = out[32..64] -> never stored, never sent: the kiosk holds it in memory for
 *               one offline session and signs each row with
 *               HMAC-SHA256(proof key, offlineProofMessage(row))
 *
 * The server keeps `secret` sealed per badge (filled when the raw credential passes by it)
 * and derives each kiosk's roster key from its own roster key, the kiosk id and the kiosk's
 * key generation (bumped on revoke). A kiosk thus holds its own key and entries that cost a
 * full scrypt per guessed badge number; the proof key is not in the roster, so holding the
 * kiosk (roster, keys, database) is not enough to sign a row for anyone.
 */
export const OFFLINE_BADGE_LABEL = 'rental offline badge v1';

/**
 * scrypt cost of one roster entry: 4 MiB, about 10 ms on a desktop core and 40 ms on a
 * Raspberry Pi 4 per tap; each guess at a badge number costs an attacker the same.
 * The server states the parameters in the roster it signs.
 */
export const ROSTER_KDF = { alg: 'scrypt', N: 4096, r: 8, p: 1 } as const;

/** What one offline row's proof signs: every field the server acts on, and a fresh nonce. */
export function offlineProofMessage(row: {
  roster: string;
  nonce: string;
  kind: string;
  itemId: string;
  userId: string;
  occurredAt: number;
  clockTrusted: boolean;
}): string {
  return [
    'rental offline proof v1',
    row.roster,
    row.nonce,
    row.kind,
    row.itemId,
    row.userId,
    String(row.occurredAt),
    row.clockTrusted ? 'trusted' : 'untrusted',
  ].join('\n');
}
