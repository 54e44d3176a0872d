/**
 * Bearer tokens of provisioning clients (Entra ID, Okta). An admin makes one on the
 * dashboard and sees it once; only its SHA-256 is stored (256 random bits need no salt or
 * slow hash, as refresh tokens: auth/sessions.ts), and a presented token is looked up by
 * its hash, so no stored secret is ever compared byte by byte. Revoked: refused at once.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import type { Clock } from '../../protocol/index.ts';
import { sha256 } from '../auth/sessions.ts';
import type { RandomBytes } from '../ids.ts';
import type { ScimTokenRecord } from '../store/scim-store.ts';
import type { Store } from '../store/store.ts';
import { ScimError } from './errors.ts';

/** A prefix tells a leaked token's kind at a glance (secret scanners look for such prefixes). */
export const TOKEN_PREFIX = 'rscim_';
const TOKEN_SHAPE = /^rscim_[A-Za-z0-9_-]{43}$/;

export function mintScimToken(random: RandomBytes = nodeRandomBytes): { token: string; tokenHash: string } {
  const token = `${TOKEN_PREFIX}${random(32).toString('base64url')}`;
  return { token, tokenHash: sha256(token) };
}

/** Last use is written at most this often per token, not at every request of a sync run. */
const TOUCH_EVERY_MS = 60_000;

export async function authenticateScim(
  store: Store,
  clock: Clock,
  authorization: string | undefined,
): Promise<ScimTokenRecord> {
  const m = authorization === undefined ? null : /^Bearer +(\S+)$/i.exec(authorization);
  // One answer for a missing, malformed, unknown or revoked token: nothing that helps guessing.
  const refuse = () => new ScimError(401, null, 'a valid provisioning token is required');
  if (!m || !TOKEN_SHAPE.test(m[1]!)) throw refuse();
  const token = await store.findLiveScimToken(sha256(m[1]!));
  if (!token) throw refuse();
  const now = clock.now();
  if (token.lastUsedAt === null || now - token.lastUsedAt >= TOUCH_EVERY_MS)
    await store.touchScimToken(token.id, now);
  return token;
}
