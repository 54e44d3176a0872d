/**
 * Checks a rental token on receipt, with the server's public keys only (the kiosk can
 * verify tokens but never mint one). Pinned exactly as DESIGN.md asks: EdDSA, typ
 * rental+jwt, our server as issuer, this kiosk as audience, exp/iat/jti present.
 * The JWKS is cached in the kiosk's database so a restart during an outage still knows it.
 */
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet } from 'jose';
import { check } from '../../../protocol/validate.ts';
import {
  AppError,
  RosterClaims,
  TOKEN_ALG,
  TOKEN_TYP,
  kioskSubject,
  parseSubject,
  type Clock,
} from '../../../protocol/index.ts';

export type RentalTokenVerifier = {
  verify(token: string, expectedUserId: string): Promise<{ expiresAt: number }>;
  /** The offline roster, signed by the same server keys for this kiosk. */
  verifyRoster(token: string): Promise<{ claims: RosterClaims; jti: string; expiresAt: number }>;
};

export function createRentalTokenVerifier(deps: {
  issuer: string;
  kioskId: string;
  clock: Clock;
  loadJwks: () => Promise<JSONWebKeySet>;
  cached: () => JSONWebKeySet | null;
  save: (jwks: JSONWebKeySet) => void;
}): RentalTokenVerifier {
  let jwks: JSONWebKeySet | null = deps.cached();

  const refresh = async () => {
    jwks = await deps.loadJwks();
    deps.save(jwks);
  };

  async function verifyWith(token: string, typ: string) {
    if (!jwks) await refresh();
    return jwtVerify(token, createLocalJWKSet(jwks!), {
      algorithms: [TOKEN_ALG],
      typ,
      issuer: deps.issuer,
      audience: kioskSubject(deps.kioskId),
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
      currentDate: new Date(deps.clock.now()),
    });
  }

  async function verifyKind(token: string, typ: string) {
    try {
      return await verifyWith(token, typ);
    } catch (err) {
      // A key we have not seen: the server rotated. Fetch once and try again.
      if (!(err instanceof errors.JWKSNoMatchingKey)) throw invalid(err);
      await refresh();
      return verifyWith(token, typ).catch((e: unknown) => {
        throw invalid(e);
      });
    }
  }

  return {
    async verifyRoster(token) {
      const { payload } = await verifyKind(token, TOKEN_TYP.roster);
      const claims = {
        entries: payload.entries,
        maxLoans: payload.maxLoans,
        maxOfflineBorrows: payload.maxOfflineBorrows,
        kdf: payload.kdf,
      };
      if (!check(RosterClaims, claims)) throw new AppError('TOKEN_INVALID', 'roster claims malformed');
      return { claims, jti: payload.jti!, expiresAt: payload.exp! * 1000 };
    },
    async verify(token, expectedUserId) {
      const result = await verifyKind(token, TOKEN_TYP.rental);
      if (parseSubject(result.payload.sub!, 'user') !== expectedUserId)
        throw new AppError('TOKEN_INVALID', 'rental token is for someone else');
      return { expiresAt: result.payload.exp! * 1000 };
    },
  };
}

function invalid(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof errors.JWTExpired)
    return new AppError('TOKEN_EXPIRED', 'rental token expired', { cause: err });
  return new AppError('TOKEN_INVALID', 'rental token rejected', { cause: err });
}
