/**
 * The master key: one secret every replica is given (RENTAL_MASTER_KEY, or a file named by
 * RENTAL_MASTER_KEY_FILE for Docker/Kubernetes secrets), which seals the signing keys, the
 * badge pepper and the roster key in the database (sealed.ts). Any string of 32 characters or
 * more; it is only ever fed to HKDF. No message here ever contains the key itself.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../protocol/config/resolve.ts';

export const MASTER_KEY_MIN_LENGTH = 32;
const HOW_TO_MAKE_ONE = 'make one with: openssl rand -base64 32';

/** The master key, or null when neither variable is set (an embedded server keeps its secrets in files). */
export function loadMasterKey(env: Record<string, string | undefined> = process.env): Buffer | null {
  // An empty variable counts as unset: compose files often pass `KEY=${KEY}` through.
  const inline = env.RENTAL_MASTER_KEY?.trim() ? env.RENTAL_MASTER_KEY : undefined;
  const file = env.RENTAL_MASTER_KEY_FILE?.trim() ? env.RENTAL_MASTER_KEY_FILE.trim() : undefined;
  if (inline !== undefined && file !== undefined) {
    throw new ConfigError('set RENTAL_MASTER_KEY or RENTAL_MASTER_KEY_FILE, not both');
  }
  let value: string;
  let source: string;
  if (inline !== undefined) {
    value = inline.trim();
    source = 'RENTAL_MASTER_KEY';
  } else if (file !== undefined) {
    source = `RENTAL_MASTER_KEY_FILE (${file})`;
    try {
      value = readFileSync(file, 'utf8').trim();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(`RENTAL_MASTER_KEY_FILE: cannot read ${file} (${code})`);
    }
  } else {
    return null;
  }
  if (value.length < MASTER_KEY_MIN_LENGTH) {
    throw new ConfigError(
      `${source}: the master key must be at least ${MASTER_KEY_MIN_LENGTH} characters (${HOW_TO_MAKE_ONE})`,
    );
  }
  return Buffer.from(value, 'utf8');
}
