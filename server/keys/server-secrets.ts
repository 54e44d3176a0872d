/**
 * The server's secrets, from where this deployment keeps them:
 * - no master key, SQLite: files in `<dataDir>/keys` (signing keys, `badge-pepper.key`,
 *   `roster.key`), as one embedded server always has;
 * - a master key: sealed in the database, the same for every replica (signing keys in
 *   `signing_keys`, the pepper and roster key as the secrets `badge-pepper` and `roster-key`).
 *   Replicas starting together agree on the pepper and roster key (first writer wins). A
 *   data directory that already has files (an embedded server given a master key) has them
 *   imported, so badges enrolled before keep matching and tokens signed before keep verifying;
 * - PostgreSQL without a master key is refused: replicas could not share these.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Clock } from '../../protocol/index.ts';
import { ConfigError } from '../../protocol/config/resolve.ts';
import { loadOrCreatePepper, readPepperFile } from '../auth/badge-hash.ts';
import type { SetTimer } from '../notify/daily-schedule.ts';
import type { Store } from '../store/store.ts';
import { openDbKeyStore, sealSigningKey } from './db-key-store.ts';
import { openKeyStore, readKeyFiles, type KeyStore } from './key-store.ts';
import { sealer, type Sealer } from './sealed.ts';

export const PEPPER_FILE = 'badge-pepper.key';
export const ROSTER_KEY_FILE = 'roster.key';
export const PEPPER_SECRET = 'badge-pepper';
export const ROSTER_KEY_SECRET = 'roster-key';
const SECRET_BYTES = 32;

export type ServerSecrets = {
  keys: KeyStore & { close(): void };
  pepper: Buffer;
  rosterKey: Buffer;
  where: 'database' | 'files';
};

export type ServerSecretsOptions = {
  store: Store;
  masterKey: Buffer | null;
  dataDir: string;
  clock: Clock;
  setTimer?: SetTimer;
  refreshMs?: number;
  /** A timed re-read of the signing keys failed; the keys read before stay in use. Default: `log.warn`. */
  onError?: (err: unknown) => void;
  log?: { warn(o: object, msg: string): void };
};

export async function openServerSecrets(opts: ServerSecretsOptions): Promise<ServerSecrets> {
  const keyDir = join(opts.dataDir, 'keys');
  const timing = {
    clock: opts.clock,
    ...(opts.setTimer ? { setTimer: opts.setTimer } : {}),
    ...(opts.refreshMs !== undefined ? { refreshMs: opts.refreshMs } : {}),
    onError:
      opts.onError ??
      ((err: unknown) =>
        opts.log?.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'could not re-read the signing keys; the ones read before stay in use',
        )),
  };

  if (!opts.masterKey) {
    if (opts.store.kind === 'postgres') {
      throw new ConfigError(
        'RENTAL_MASTER_KEY (or RENTAL_MASTER_KEY_FILE) is required with PostgreSQL: every replica must share the signing keys, the badge pepper and the roster key',
      );
    }
    const keys = await openKeyStore(keyDir, timing);
    const pepper = loadOrCreatePepper(join(keyDir, PEPPER_FILE));
    // A second, separate key: kiosks hold this one for the offline roster, never the pepper.
    const rosterKey = loadOrCreatePepper(join(keyDir, ROSTER_KEY_FILE));
    return { keys, pepper, rosterKey, where: 'files' };
  }

  const seal = sealer(opts.masterKey);
  // The pepper first: with a wrong master key this is where the replica stops, before it writes anything.
  const pepper = await sharedSecret(opts, seal, PEPPER_SECRET, join(keyDir, PEPPER_FILE));
  const rosterKey = await sharedSecret(opts, seal, ROSTER_KEY_SECRET, join(keyDir, ROSTER_KEY_FILE));
  await importKeyFiles(opts.store, seal, keyDir);
  const keys = await openDbKeyStore({ ...timing, secrets: opts.store, sealer: seal });
  return { keys, pepper, rosterKey, where: 'database' };
}

/** The named secret from the database; on first use, this data dir's file or 32 random bytes. */
async function sharedSecret(
  opts: ServerSecretsOptions,
  seal: Sealer,
  name: string,
  file: string,
): Promise<Buffer> {
  const fromFile = readPepperFile(file);
  const usable = fromFile && fromFile.length >= 16 ? fromFile : null;
  let sealed = await opts.store.getSecret(name);
  if (sealed === null) {
    const candidate = usable ?? randomBytes(SECRET_BYTES);
    sealed = await opts.store.putSecretOnce(name, seal.seal(name, candidate), opts.clock.now());
  }
  const value = seal.unseal(name, sealed);
  if (usable && !usable.equals(value)) {
    opts.log?.warn(
      { secret: name, file },
      `${file} differs from the ${name} in the database; the database's is used (badges hashed with the file's must be enrolled again)`,
    );
  }
  return value;
}

/** Signing key files of this data dir, into a database that has no signing key yet. */
async function importKeyFiles(store: Store, seal: Sealer, keyDir: string): Promise<void> {
  const files = readKeyFiles(keyDir);
  if (files.length === 0 || (await store.signingKeys()).length > 0) return;
  for (const f of files) {
    try {
      await store.addSigningKey(sealSigningKey(seal, f));
    } catch (err) {
      // Another replica on the same directory imported it first.
      if (!(await store.signingKeys()).some((k) => k.kid === f.kid)) throw err;
    }
  }
}
