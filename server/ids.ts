/** Short random ids with a readable prefix (usr_, itm_, ksk_, loan_). Randomness is injected. */
import { randomBytes as nodeRandomBytes } from 'node:crypto';

export type RandomBytes = (n: number) => Buffer;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

export function createIdFactory(randomBytes: RandomBytes = nodeRandomBytes) {
  return (prefix: string, length = 16): string => {
    const bytes = randomBytes(length);
    let out = `${prefix}_`;
    for (const b of bytes) out += ALPHABET[b & 31];
    return out;
  };
}

export type IdFactory = ReturnType<typeof createIdFactory>;
