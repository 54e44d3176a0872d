/** SecretsStore in the `signing_keys` and `secrets` tables (portable SQL, both databases). */
import type { SecretsStore, StoredSigningKey } from '../secrets-store.ts';
import type { SqlRunner } from './sql-db.ts';

export function sqlSecrets(db: SqlRunner): SecretsStore {
  return {
    signingKeys: () =>
      db.all<StoredSigningKey>(
        'SELECT kid, created_at AS "createdAt", sealed_jwk AS "sealedJwk" FROM signing_keys ORDER BY created_at, kid',
      ),
    async addSigningKey(k) {
      await db.run('INSERT INTO signing_keys (kid, created_at, sealed_jwk) VALUES (?, ?, ?)', [
        k.kid,
        k.createdAt,
        k.sealedJwk,
      ]);
    },
    async deleteSigningKey(kid) {
      await db.run('DELETE FROM signing_keys WHERE kid = ?', [kid]);
    },
    getSecret: async (name) =>
      (await db.get<{ value: string }>('SELECT value FROM secrets WHERE name = ?', [name]))?.value ?? null,
    putSecretOnce: (name, sealed, now) =>
      db.atomic(async (tx) => {
        await tx.run(
          'INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING',
          [name, sealed, now],
        );
        return (await tx.get<{ value: string }>('SELECT value FROM secrets WHERE name = ?', [name]))!.value;
      }),
    async replaceSecret(name, value, now) {
      if (value === null) await db.run('DELETE FROM secrets WHERE name = ?', [name]);
      else
        await db.run(
          `INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET value = excluded.value, created_at = excluded.created_at`,
          [name, value, now],
        );
    },
  };
}
