/**
 * The server's Ed25519 signing keys. Each key has a `kid`; the newest whose time has come
 * signs, older ones stay in the JWKS (so tokens they signed still verify) until every token
 * they can have signed has expired, then are retired (key-lifecycle.ts, one rule for both
 * stores). Two stores: files in the data directory (here; one server without a master key)
 * and sealed rows in the database (db-key-store.ts; replicas). Both re-read their keys on a
 * timer, so `keys rotate` from the admin CLI reaches a running server without a restart.
 *
 * The file store: one `signing-<kid>.jwk.json` per key, 0600, in a 0700 directory.
 */
import type { CryptoKey, JWK } from 'jose';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from '../../protocol/node/durable-file.ts';
import { BugError, type Clock } from '../../protocol/index.ts';
import type { SetTimer } from '../notify/daily-schedule.ts';
import type { KeyPhase } from './key-lifecycle.ts';
import { openKeyRing, type KeySource } from './key-ring.ts';

export type SigningKey = { kid: string; createdAt: number; privateKey: CryptoKey; publicJwk: JWK };

/** A key as `keys list` shows it. */
export type KeyInfo = {
  kid: string;
  createdAt: number;
  phase: KeyPhase;
  signsFrom: number;
  /** Null while it is the newest key. */
  retiresAt: number | null;
};

export type KeyStore = {
  current(): SigningKey;
  /**
   * Public key by kid, for verifying tokens this server signed; undefined for a kid unknown
   * or retired. An unknown kid may first re-read the keys (another server rotated), so this
   * rejects when they cannot be read (the database is away): that is not a bad token.
   */
  publicKey(kid: string): Promise<CryptoKey | undefined>;
  jwks(): { keys: JWK[] };
  /**
   * When this key stopped signing (the next key took over), or null while it still signs or
   * has not started: a token it signed after that moment was not signed by this server.
   */
  signedUntil(kid: string): number | null;
  /** Writes a new key; it signs once the rule says (at once for files, after every replica has published it). */
  rotate(now: number): Promise<SigningKey>;
  /** Every key read, oldest first, with its phase now. */
  list(): KeyInfo[];
  /** Re-reads the keys (also done on a timer); retired keys are dropped, and deleted from a database. */
  refresh(): Promise<void>;
  /** Stops the refresh timer. */
  close(): void;
};

export type KeyFile = { kid: string; createdAt: number; jwk: JWK };

export type KeyStoreOptions = {
  clock: Clock;
  setTimer?: SetTimer;
  refreshMs?: number;
  onError?: (err: unknown) => void;
};

const KEY_FILE = /^signing-(.+)\.jwk\.json$/;

function parseKeyFile(path: string, name: string): KeyFile {
  let file: Partial<KeyFile>;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as Partial<KeyFile>;
  } catch {
    throw new BugError(`signing key file ${path} is not JSON`);
  }
  if (typeof file.kid !== 'string' || `signing-${file.kid}.jwk.json` !== name) {
    throw new BugError(`signing key file ${path} does not hold the kid its name says`);
  }
  if (typeof file.createdAt !== 'number' || typeof file.jwk !== 'object' || file.jwk === null) {
    throw new BugError(`signing key file ${path} has no createdAt or jwk`);
  }
  return file as KeyFile;
}

/** The signing key files in `dir` (none when it does not exist); also read to import them into a database. */
export function readKeyFiles(dir: string): KeyFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => KEY_FILE.test(f))
    .map((f) => parseKeyFile(join(dir, f), f));
}

function fileSource(dir: string): KeySource {
  return {
    read: async () =>
      readKeyFiles(dir).map((f) => ({ kid: f.kid, createdAt: f.createdAt, open: () => f.jwk })),
    async write({ kid, createdAt, jwk }) {
      const path = join(dir, `signing-${kid}.jwk.json`);
      // Written aside, fsynced, then renamed: a server re-reading the directory never sees
      // half a file, and a power cut leaves the key whole or absent, never 0 bytes.
      writeFileDurably(path, JSON.stringify({ kid, createdAt, jwk } satisfies KeyFile));
    },
    // Retired keys stay on disk (an admin may want them), only out of the JWKS and of verification.
  };
}

/** Publish-and-sign at once: one server reads and signs from its own directory. */
export async function openKeyStore(dir: string, opts: KeyStoreOptions): Promise<KeyStore> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return openKeyRing(fileSource(dir), { ...opts, rule: { publishAheadMs: 0 } });
}
