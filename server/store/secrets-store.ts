/**
 * Server secrets kept in the database for every replica to share: signing keys and named
 * secrets (badge pepper, roster key). Values are stored as the caller gives them; the
 * caller encrypts them under the master key first (server/keys/sealed.ts). Composed into Store.
 */
export type StoredSigningKey = {
  kid: string;
  createdAt: number;
  /** The private JWK, sealed under the master key. */
  sealedJwk: string;
};

export interface SecretsStore {
  /** Every signing key, oldest first. */
  signingKeys(): Promise<StoredSigningKey[]>;
  addSigningKey(key: StoredSigningKey): Promise<void>;
  /** Removes keys no token can still need (see server/keys). */
  deleteSigningKey(kid: string): Promise<void>;
  /** The sealed value of a named secret, or null. */
  getSecret(name: string): Promise<string | null>;
  /** Stores it unless one exists already; returns the one that is stored (first writer wins). */
  putSecretOnce(name: string, sealed: string, now: number): Promise<string>;
  /** Stores it, replacing any before (a credential an admin renews, e.g. the metrics token's hash); null removes it. */
  replaceSecret(name: string, value: string | null, now: number): Promise<void>;
}
