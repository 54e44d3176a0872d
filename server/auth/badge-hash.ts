/**
 * Badge credentials are stored as keyed hashes (HMAC-SHA256 with a server-side pepper),
 * never raw: a stolen database does not give anyone the UIDs to clone badges from.
 * For the offline roster each badge also keeps a sealed badge secret (below), from which
 * the server derives every kiosk's own slow roster entry (auth/roster.ts).
 * The pepper (and the roster key, same format) lives in a file on one server without a
 * master key, or sealed in the database for replicas (server/keys/server-secrets.ts).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { OFFLINE_BADGE_LABEL } from '../../protocol/index.ts';

export type BadgeHasher = (credential: string) => string;

export function badgeHasher(pepper: Buffer): BadgeHasher {
  return (credential) => createHmac('sha256', pepper).update(credential).digest('base64url');
}

/**
 * The badge secret the offline roster is built from (protocol/tokens.ts): an unkeyed hash of
 * the credential, so a kiosk can compute it from a tap without holding any fleet secret.
 */
export function offlineBadgeSecret(credential: string): Buffer {
  return createHash('sha256').update(`${OFFLINE_BADGE_LABEL}\0${credential}`, 'utf8').digest();
}

const SEALED_SECRET = /^rs1\.([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{22})$/;

function sealKeys(rosterKey: Buffer) {
  const derive = (what: string) =>
    Buffer.from(hkdfSync('sha256', rosterKey, Buffer.alloc(0), `rental badge secret seal v1 ${what}`, 32));
  return { enc: derive('enc'), mac: derive('mac') };
}

/**
 * What the server stores per badge for the offline roster (the `roster_hash` column): the
 * badge secret, sealed under a key derived from the server's roster key. Being unkeyed, the
 * secret itself would give up a short badge number to a quick search; sealed, a copy of the
 * database alone does not. Deterministic (AES-256-CTR under a synthetic IV,
 * HMAC(secret)), so one credential always seals to one value, as the unique index expects.
 * Format `rs1.<ciphertext>.<siv>`.
 */
export function badgeSecretSealer(rosterKey: Buffer): BadgeHasher {
  const keys = sealKeys(rosterKey);
  return (credential) => {
    const secret = offlineBadgeSecret(credential);
    const siv = createHmac('sha256', keys.mac).update(secret).digest().subarray(0, 16);
    const cipher = createCipheriv('aes-256-ctr', keys.enc, siv);
    const sealed = Buffer.concat([cipher.update(secret), cipher.final()]);
    return `rs1.${sealed.toString('base64url')}.${siv.toString('base64url')}`;
  };
}

/** The badge secret inside a sealed value, or null for anything else (an old HMAC roster hash, a wrong key). */
export function badgeSecretOpener(rosterKey: Buffer): (sealed: string) => Buffer | null {
  const keys = sealKeys(rosterKey);
  return (sealed) => {
    const m = SEALED_SECRET.exec(sealed);
    if (!m) return null;
    const ciphertext = Buffer.from(m[1]!, 'base64url');
    const siv = Buffer.from(m[2]!, 'base64url');
    const decipher = createDecipheriv('aes-256-ctr', keys.enc, siv);
    const secret = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    const check = createHmac('sha256', keys.mac).update(secret).digest().subarray(0, 16);
    return timingSafeEqual(check, siv) ? secret : null;
  };
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
