/**
 * Issuing and checking the server's own tokens (rental, access). Every verification pins
 * the algorithm, `typ`, `iss` and `aud` and requires exp/iat/jti (../DESIGN.md, Tokens).
 */
import {
  SignJWT,
  decodeJwt,
  jwtVerify,
  decodeProtectedHeader,
  errors as joseErrors,
  type JWTPayload,
} from 'jose';
import { randomUUID } from 'node:crypto';
import {
  ACCESS_AUDIENCE,
  ACCESS_TOKEN_TTL_S,
  AppError,
  TOKEN_ALG,
  TOKEN_TYP,
  type Clock,
  type Role,
  kioskSubject,
  parseSubject,
  userSubject,
} from '../../protocol/index.ts';
import type { KeyStore } from '../keys/key-store.ts';

export type TokenService = ReturnType<typeof createTokenService>;

/** Longer than any token this server signs; checked before any parsing. */
export const MAX_TOKEN_LENGTH = 4096;
const CLOCK_TOLERANCE_S = 5;
const FORBIDDEN_HEADERS = ['jku', 'x5u', 'jwk', 'x5c', 'x5t', 'x5t#S256', 'crit'] as const;
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function createTokenService(deps: {
  keys: KeyStore;
  issuer: string;
  clock: Clock;
  rentalTtlS: number;
}) {
  const nowS = () => Math.floor(deps.clock.now() / 1000);

  async function sign(typ: string, aud: string, sub: string, ttlS: number, extra: JWTPayload = {}) {
    const key = deps.keys.current();
    const iat = nowS();
    const exp = iat + ttlS;
    const token = await new SignJWT(extra)
      .setProtectedHeader({ alg: TOKEN_ALG, typ, kid: key.kid })
      .setIssuer(deps.issuer)
      .setAudience(aud)
      .setSubject(sub)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { token, expiresAtMs: exp * 1000 };
  }

  /** The kid of a token this server could have signed; everything else about it is checked by jwtVerify. */
  function kidOf(token: string): string {
    try {
      if (token.length > MAX_TOKEN_LENGTH) throw new AppError('TOKEN_INVALID', 'token too long');
      const header = decodeProtectedHeader(token);
      // Keys come only from our own key store: a token naming where to fetch its key, or
      // carrying one, is an attack (or a confused client) whatever its signature says.
      for (const name of FORBIDDEN_HEADERS) {
        if (name in header) throw new AppError('TOKEN_INVALID', `header ${name} not accepted`);
      }
      if (typeof header.kid !== 'string') throw new AppError('TOKEN_INVALID', 'no kid');
      return header.kid;
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('TOKEN_INVALID', 'token invalid');
    }
  }

  /** Verify a token this server signed. `atMs` judges it at another moment (a transaction's occurredAt). */
  async function verify(token: string, typ: string, audience: string, atMs?: number) {
    const kid = kidOf(token);
    // Outside the try below: an unknown kid may make the key store re-read the keys (another
    // replica rotated), and a database that cannot answer is not a bad token.
    const key = await deps.keys.publicKey(kid);
    if (!key) throw new AppError('TOKEN_INVALID', 'unknown key');
    try {
      const now = atMs ?? deps.clock.now();
      const { payload } = await jwtVerify(token, key, {
        algorithms: [TOKEN_ALG],
        typ,
        issuer: deps.issuer,
        audience,
        requiredClaims: ['exp', 'iat', 'jti', 'sub'],
        currentDate: new Date(now),
        clockTolerance: CLOCK_TOLERANCE_S,
      });
      // jose checks exp and nbf but lets an iat from the future pass; a token from the future is forged or from a broken clock.
      if (typeof payload.iat !== 'number') throw new AppError('TOKEN_INVALID', 'no iat');
      if (payload.iat * 1000 > now + CLOCK_TOLERANCE_S * 1000) {
        // Judged at a transaction's time before the token existed: that time is wrong (a
        // kiosk clock that jumped back), not the token. At the server's own now: forged.
        if (atMs !== undefined) throw new AppError('TOKEN_EXPIRED', 'judged before it was issued');
        throw new AppError('TOKEN_INVALID', 'issued in the future');
      }
      if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 128) {
        throw new AppError('TOKEN_INVALID', 'bad jti');
      }
      // A superseded key verifies only what it signed before the next key took over: a token
      // "issued" later under it was made with a stolen or leaked old key.
      const until = deps.keys.signedUntil(kid);
      if (until !== null && payload.iat * 1000 > until + CLOCK_TOLERANCE_S * 1000) {
        throw new AppError('TOKEN_INVALID', 'signed after its key was superseded');
      }
      return payload as JWTPayload & { sub: string; jti: string; exp: number; iat: number };
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new AppError('TOKEN_EXPIRED', 'token expired');
      throw new AppError('TOKEN_INVALID', 'token invalid');
    }
  }

  return {
    issueRental: (kioskId: string, userId: string, role: Role) =>
      sign(TOKEN_TYP.rental, kioskSubject(kioskId), userSubject(userId), deps.rentalTtlS, { role }),

    /** `sid` names the sign-in session, so revoking the session kills its access tokens at once. */
    issueAccess: (userId: string, role: Role, sid: string) =>
      sign(TOKEN_TYP.access, ACCESS_AUDIENCE, userSubject(userId), ACCESS_TOKEN_TTL_S, { role, sid }),

    /** A rental token is judged at the transaction's occurredAt, not at sync time. */
    /**
     * `timeDoubtful`: the token is genuine (signed by us, for this kiosk and person) but
     * `atMs` falls outside its life, as when a kiosk's clock jumped while it was offline.
     * The physical event it records still happened: the caller places it inside `life` and
     * flags it, rather than refusing a return that put an item back on the shelf.
     */
    async verifyRental(token: string, kioskId: string, atMs: number) {
      let payload;
      let timeDoubtful = false;
      try {
        payload = await verify(token, TOKEN_TYP.rental, kioskSubject(kioskId), atMs);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'TOKEN_EXPIRED') throw err;
        // Judged again at a moment of its own life (its iat), which must not be in the
        // server's future: anything else wrong with it still refuses it.
        const iat = issuedAt(token);
        if (iat === null || iat * 1000 > deps.clock.now() + CLOCK_TOLERANCE_S * 1000) throw err;
        payload = await verify(token, TOKEN_TYP.rental, kioskSubject(kioskId), iat * 1000);
        timeDoubtful = true;
      }
      const userId = parseSubject(payload.sub, 'user');
      if (!userId) throw new AppError('TOKEN_INVALID', 'bad subject');
      return {
        userId,
        jti: payload.jti,
        timeDoubtful,
        life: { from: payload.iat * 1000, until: payload.exp * 1000 },
      };
    },

    async verifyAccess(token: string) {
      const payload = await verify(token, TOKEN_TYP.access, ACCESS_AUDIENCE);
      const userId = parseSubject(payload.sub, 'user');
      if (!userId) throw new AppError('TOKEN_INVALID', 'bad subject');
      const sid = payload.sid;
      if (typeof sid !== 'string' || !SESSION_ID.test(sid)) throw new AppError('TOKEN_INVALID', 'no session');
      return { userId, sid, jti: payload.jti, expiresAtMs: payload.exp * 1000 };
    },
  };
}

/** The iat a token claims, unverified (only to pick a moment to verify it at), or null. */
function issuedAt(token: string): number | null {
  try {
    const iat = decodeJwt(token).iat;
    return typeof iat === 'number' && Number.isFinite(iat) ? iat : null;
  } catch {
    return null;
  }
}
