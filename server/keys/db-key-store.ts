/**
 * Signing keys in the database, shared by every replica: each private JWK sealed under the
 * master key (sealed.ts) in `signing_keys`. Every replica re-reads the table on a timer and
 * on an unknown kid (key-ring.ts), so a key rotated anywhere is published by all within one
 * refresh and signs only after that (`publishAheadMs`), and each replica deletes keys the
 * rule has retired.
 */
import type { JWK } from 'jose';
import type { SecretsStore } from '../store/secrets-store.ts';
import type { KeyStore, KeyStoreOptions } from './key-store.ts';
import { KEY_REFRESH_MS, openKeyRing, type KeySource } from './key-ring.ts';
import type { Sealer } from './sealed.ts';

/**
 * The name a key is sealed under: kid and creation time, so a sealed JWK moved to another
 * row, or a row whose created_at was changed (to keep an old key alive longer), does not open.
 */
export const signingKeySecretName = (kid: string, createdAt: number) => `signing-key:${kid}@${createdAt}`;

export function sealSigningKey(seal: Sealer, key: { kid: string; createdAt: number; jwk: JWK }) {
  return {
    kid: key.kid,
    createdAt: key.createdAt,
    sealedJwk: seal.seal(
      signingKeySecretName(key.kid, key.createdAt),
      Buffer.from(JSON.stringify(key.jwk), 'utf8'),
    ),
  };
}

function dbSource(secrets: SecretsStore, seal: Sealer): KeySource {
  return {
    read: async () =>
      (await secrets.signingKeys()).map((row) => ({
        kid: row.kid,
        createdAt: row.createdAt,
        open: () =>
          JSON.parse(
            seal.unseal(signingKeySecretName(row.kid, row.createdAt), row.sealedJwk).toString('utf8'),
          ) as JWK,
      })),
    write: (key) => secrets.addSigningKey(sealSigningKey(seal, key)),
    remove: (kid) => secrets.deleteSigningKey(kid),
  };
}

export type DbKeyStoreOptions = KeyStoreOptions & {
  secrets: SecretsStore;
  sealer: Sealer;
  /** How long a new key is published before it signs; two refresh periods unless set. */
  publishAheadMs?: number;
};

export function openDbKeyStore(opts: DbKeyStoreOptions): Promise<KeyStore> {
  const refreshMs = opts.refreshMs ?? KEY_REFRESH_MS;
  return openKeyRing(dbSource(opts.secrets, opts.sealer), {
    clock: opts.clock,
    refreshMs,
    ...(opts.setTimer ? { setTimer: opts.setTimer } : {}),
    ...(opts.onError ? { onError: opts.onError } : {}),
    rule: { publishAheadMs: opts.publishAheadMs ?? 2 * refreshMs },
  });
}
