/**
 * Issuing and checking the server's own tokens (rental, access). Every verification pins
 * the algorithm, `typ`, `iss` and `aud` and requires exp/iat/jti (../DESIGN.md, Tokens).
 */
import { SignJWT, jwtVerify, decodeProtectedHeader, errors as joseErrors, type JWTPayload } from 'jose';
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

  /** Verify a token this server signed. `atMs` judges it at another moment (a transaction's occurredAt). */
  async function verify(token: string, typ: string, audience: string, atMs?: number) {
    try {
      const { kid } = decodeProtectedHeader(token);
      const key = typeof kid === 'string' ? deps.keys.publicKey(kid) : undefined;
      if (!key) throw new AppError('TOKEN_INVALID', 'unknown key');
      const { payload } = await jwtVerify(token, key, {
        algorithms: [TOKEN_ALG],
        typ,
        issuer: deps.issuer,
        audience,
        requiredClaims: ['exp', 'iat', 'jti', 'sub'],
        currentDate: new Date(atMs ?? deps.clock.now()),
        clockTolerance: 5,
      });
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

    issueAccess: (userId: string, role: Role) =>
      sign(TOKEN_TYP.access, ACCESS_AUDIENCE, userSubject(userId), ACCESS_TOKEN_TTL_S, { role }),

    /** A rental token is judged at the transaction's occurredAt, not at sync time. */
    async verifyRental(token: string, kioskId: string, atMs: number) {
      const payload = await verify(token, TOKEN_TYP.rental, kioskSubject(kioskId), atMs);
      const userId = parseSubject(payload.sub, 'user');
      if (!userId) throw new AppError('TOKEN_INVALID', 'bad subject');
      return { userId, jti: payload.jti };
    },

    async verifyAccess(token: string) {
      const payload = await verify(token, TOKEN_TYP.access, ACCESS_AUDIENCE);
      const userId = parseSubject(payload.sub, 'user');
      if (!userId) throw new AppError('TOKEN_INVALID', 'bad subject');
      return { userId, jti: payload.jti, exp: payload.exp };
    },
  };
}
