/**
 * Checks a rental token on receipt, with the server's public keys only (the kiosk can
 * verify tokens but never mint one). Pinned exactly as DESIGN.md asks: EdDSA, typ
 * rental+jwt, our server as issuer, this kiosk as audience, exp/iat/jti present.
 * The JWKS is cached in the kiosk's database so a restart during an outage still knows it.
 */
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet } from 'jose';
import {
  AppError,
  TOKEN_ALG,
  TOKEN_TYP,
  kioskSubject,
  parseSubject,
  type Clock,
} from '../../../protocol/index.ts';

export type RentalTokenVerifier = {
  verify(token: string, expectedUserId: string): Promise<{ expiresAt: number }>;
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

  async function verifyWith(token: string) {
    if (!jwks) await refresh();
    return jwtVerify(token, createLocalJWKSet(jwks!), {
      algorithms: [TOKEN_ALG],
      typ: TOKEN_TYP.rental,
      issuer: deps.issuer,
      audience: kioskSubject(deps.kioskId),
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
      currentDate: new Date(deps.clock.now()),
    });
  }

  return {
    async verify(token, expectedUserId) {
      let result;
      try {
        result = await verifyWith(token);
      } catch (err) {
        // A key we have not seen: the server rotated. Fetch once and try again.
        if (!(err instanceof errors.JWKSNoMatchingKey)) throw invalid(err);
        await refresh();
        result = await verifyWith(token).catch((e: unknown) => {
          throw invalid(e);
        });
      }
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
