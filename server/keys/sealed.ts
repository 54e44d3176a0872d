/**
 * Secrets sealed under the master key before they go into the database (signing keys, badge
 * pepper, roster key), so a backup of the database alone cannot mint a token or test a badge
 * number. AES-256-GCM under a key derived from the master key with HKDF-SHA256; the secret's
 * name is the additional authenticated data, so a sealed value copied into another row
 * (another secret, another kid) does not open.
 *
 * Format: `v1.<iv>.<ciphertext>.<tag>`, each part base64url; a fresh random 12-byte IV each time.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { ConfigError } from '../../protocol/config/resolve.ts';

const VERSION = 'v1';
const INFO = 'rental-server secrets v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PART = /^[A-Za-z0-9_-]*$/;

export const WRONG_MASTER_KEY =
  'the master key does not open the secrets in the database (was RENTAL_MASTER_KEY changed?)';

/**
 * A sealed secret that does not open: the master key is not the one it was sealed with, or
 * the value was changed. A ConfigError, since at start-up it almost always means the
 * replica was given another master key: the server prints it as one line and stops.
 */
export class SealedSecretError extends ConfigError {
  readonly code = 'SECRET_UNSEALABLE';
  constructor(
    readonly secretName: string,
    readonly reason: 'does-not-open' | 'malformed',
  ) {
    super(
      reason === 'malformed'
        ? `the sealed secret "${secretName}" in the database is not in a format this server reads (${VERSION}.<iv>.<ciphertext>.<tag>)`
        : `${WRONG_MASTER_KEY}: "${secretName}" does not open`,
    );
    this.name = 'SealedSecretError';
  }
}

export type Sealer = {
  seal(name: string, plaintext: Buffer): string;
  unseal(name: string, sealed: string): Buffer;
};

export function sealer(masterKey: Buffer): Sealer {
  const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), INFO, 32));
  return {
    seal(name, plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(name, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv, ciphertext, tag]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    unseal(name, sealed) {
      const parts = sealed.split('.');
      if (parts.length !== 4 || parts[0] !== VERSION || !parts.slice(1).every((p) => PART.test(p))) {
        throw new SealedSecretError(name, 'malformed');
      }
      const [iv, ciphertext, tag] = parts.slice(1).map((p) => Buffer.from(p, 'base64url')) as [
        Buffer,
        Buffer,
        Buffer,
      ];
      // A short tag would be accepted by GCM and is easier to forge: insist on the full 16 bytes.
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SealedSecretError(name, 'malformed');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(name, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      } catch {
        throw new SealedSecretError(name, 'does-not-open');
      }
    },
  };
}
