/**
 * One-time kiosk enrollment codes: shown once to the admin, stored only as a hash,
 * valid for a short time and for a single enrollment.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Store, KioskRecord } from '../store/store.ts';

export const ENROLLMENT_TTL_MS = 15 * 60 * 1000;
const ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789'; // no 0/O, 1/I/L: read aloud and typed by hand

export const hashEnrollmentCode = (code: string) =>
  createHash('sha256').update(code.toUpperCase()).digest('hex');

export function newEnrollmentCode(random = randomBytes): string {
  const bytes = random(12);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]);
  return [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8, 12)].map((g) => g.join('')).join('-');
}

/** Create a kiosk and its enrollment code (the only time the code exists in clear). */
export async function createKioskWithCode(
  store: Store,
  name: string,
  now: number,
): Promise<{ kiosk: KioskRecord; code: string }> {
  const code = newEnrollmentCode();
  const kiosk = await store.createKiosk(name, hashEnrollmentCode(code), now + ENROLLMENT_TTL_MS);
  return { kiosk, code };
}

/**
 * A new code for a kiosk that lost its key (its files damaged by a power cut): enrolling with
 * it keeps the kiosk's id, so the transactions waiting in its outbox are still its own.
 */
export async function renewKioskCode(
  store: Store,
  kioskId: string,
  now: number,
): Promise<{ kiosk: KioskRecord; code: string } | null> {
  const code = newEnrollmentCode();
  const kiosk = await store.renewEnrollmentCode(kioskId, hashEnrollmentCode(code), now + ENROLLMENT_TTL_MS);
  return kiosk ? { kiosk, code } : null;
}
