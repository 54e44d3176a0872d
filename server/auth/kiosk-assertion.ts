/**
 * Device assertions (RFC 7523 style): each kiosk call carries a fresh JWT signed with the
 * kiosk's own Ed25519 key. `kid` names the kiosk; iss and sub must be `kiosk:<kid>`, aud
 * the server's issuer URL, lifetime at most 60 s, and each `jti` is accepted once.
 */
import { decodeProtectedHeader, importJWK, jwtVerify, type CryptoKey } from 'jose';
import {
  AppError,
  KIOSK_ASSERTION_MAX_TTL_S,
  TOKEN_ALG,
  TOKEN_TYP,
  type Clock,
  kioskSubject,
} from '../../protocol/index.ts';
import type { Store, KioskRecord } from '../store/store.ts';
import type { ReplayCache } from './replay-cache.ts';

export type KioskAuthenticator = (authorization: string | undefined) => Promise<KioskRecord>;

const KIOSK_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function createKioskAuthenticator(deps: {
  store: Store;
  issuer: string;
  clock: Clock;
  replay: ReplayCache;
  /**
   * Assertions issued before this moment (ms) are refused. Set when the replay cache is in
   * this process's memory, so a restart cannot reopen the window; not needed when it is in
   * the database.
   */
  notBeforeMs?: number;
}): KioskAuthenticator {
  const keyCache = new Map<string, { jwk: string; key: CryptoKey }>();

  async function keyFor(kiosk: KioskRecord): Promise<CryptoKey> {
    const cached = keyCache.get(kiosk.id);
    if (cached && cached.jwk === kiosk.publicJwk) return cached.key;
    const key = (await importJWK(JSON.parse(kiosk.publicJwk!), TOKEN_ALG)) as CryptoKey;
    keyCache.set(kiosk.id, { jwk: kiosk.publicJwk!, key });
    return key;
  }

  return async (authorization) => {
    const match = /^Kiosk ([A-Za-z0-9_.-]{1,4096})$/.exec(authorization ?? '');
    if (!match) throw new AppError('KIOSK_ASSERTION_INVALID', 'missing kiosk assertion');
    const assertion = match[1]!;
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(assertion).kid;
    } catch {
      throw new AppError('KIOSK_ASSERTION_INVALID', 'malformed assertion');
    }
    if (typeof kid !== 'string' || !KIOSK_ID.test(kid))
      throw new AppError('KIOSK_ASSERTION_INVALID', 'no kid');
    const kiosk = await deps.store.findKiosk(kid);
    if (!kiosk || !kiosk.publicJwk) throw new AppError('KIOSK_ASSERTION_INVALID', 'unknown kiosk');
    if (kiosk.revokedAt !== null) throw new AppError('KIOSK_REVOKED', 'kiosk revoked');

    const now = deps.clock.now();
    let payload;
    try {
      ({ payload } = await jwtVerify(assertion, await keyFor(kiosk), {
        algorithms: [TOKEN_ALG],
        typ: TOKEN_TYP.kioskAssertion,
        issuer: kioskSubject(kiosk.id),
        subject: kioskSubject(kiosk.id),
        audience: deps.issuer,
        requiredClaims: ['exp', 'iat', 'jti'],
        maxTokenAge: KIOSK_ASSERTION_MAX_TTL_S,
        currentDate: new Date(now),
        clockTolerance: 5,
      }));
    } catch {
      throw new AppError('KIOSK_ASSERTION_INVALID', 'assertion rejected');
    }
    const { exp, iat, jti } = payload as { exp: number; iat: number; jti: unknown };
    if (exp - iat > KIOSK_ASSERTION_MAX_TTL_S)
      throw new AppError('KIOSK_ASSERTION_INVALID', 'lifetime too long');
    if (typeof jti !== 'string' || jti.length < 16 || jti.length > 128) {
      throw new AppError('KIOSK_ASSERTION_INVALID', 'bad jti');
    }
    if (deps.notBeforeMs !== undefined && iat * 1000 < deps.notBeforeMs - 5_000)
      throw new AppError('KIOSK_ASSERTION_INVALID', 'issued before start');
    if (!(await deps.replay.remember(`${kiosk.id}:${jti}`, exp * 1000 + 5_000))) {
      throw new AppError('KIOSK_ASSERTION_INVALID', 'assertion replayed');
    }
    return kiosk;
  };
}
