import { Type, type Static } from '@sinclair/typebox';
import { Strict, Timestamp } from './common.ts';

export const HealthResponse = Strict({
  status: Type.Literal('ok'),
  time: Timestamp,
  version: Type.String(),
});
export type HealthResponse = Static<typeof HealthResponse>;

export const Jwk = Type.Object(
  {
    kty: Type.Literal('OKP'),
    crv: Type.Literal('Ed25519'),
    x: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }),
    kid: Type.Optional(Type.String({ maxLength: 128 })),
    alg: Type.Optional(Type.Literal('EdDSA')),
    use: Type.Optional(Type.Literal('sig')),
  },
  { additionalProperties: false },
);
export type Jwk = Static<typeof Jwk>;

export const JwksResponse = Strict({ keys: Type.Array(Jwk) });
export type JwksResponse = Static<typeof JwksResponse>;
