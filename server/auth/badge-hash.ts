/**
 * Badge credentials are stored as keyed hashes (HMAC-SHA256 with a server-side pepper),
 * never raw: a stolen database does not give anyone the UIDs to clone badges from.
 * The pepper (and the roster key, same format) lives in a file on one server without a
 * master key, or sealed in the database for replicas (server/keys/server-secrets.ts).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type BadgeHasher = (credential: string) => string;

export function badgeHasher(pepper: Buffer): BadgeHasher {
  return (credential) => createHmac('sha256', pepper).update(credential).digest('base64url');
}

/** Read the pepper, creating it (0600) on first run. */
export function loadOrCreatePepper(file: string): Buffer {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  return readPepperFile(file)!;
}

/** A pepper file's value, or null when there is none (to import it into the database). */
export function readPepperFile(file: string): Buffer | null {
  if (!existsSync(file)) return null;
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
}
