/** Sealing secrets under the master key: round trip, wrong key, tampering, a value moved to another name. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../protocol/config/resolve.ts';
import { sealer, SealedSecretError, WRONG_MASTER_KEY } from '../../../server/keys/sealed.ts';

const MASTER = Buffer.from('a master key of more than thirty-two characters');
const OTHER = Buffer.from('another master key, also long enough to be used');
const SECRET = Buffer.from('0123456789abcdef0123456789abcdef');

function thrown(fn: () => unknown): SealedSecretError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SealedSecretError);
    return err as SealedSecretError;
  }
  throw new Error('did not throw');
}

describe('sealer', () => {
  it('round-trips, in the v1.<iv>.<ciphertext>.<tag> format, with a fresh IV each time', () => {
    const s = sealer(MASTER);
    const a = s.seal('badge-pepper', SECRET);
    const b = s.seal('badge-pepper', SECRET);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(a).not.toBe(b);
    expect(s.unseal('badge-pepper', a).equals(SECRET)).toBe(true);
    // Another sealer from the same master key (another replica) opens it.
    expect(sealer(Buffer.from(MASTER)).unseal('badge-pepper', b).equals(SECRET)).toBe(true);
    expect(a).not.toContain(SECRET.toString('base64url'));
  });

  it('a wrong master key fails with a typed error that says what to check', () => {
    const sealed = sealer(MASTER).seal('roster-key', SECRET);
    const err = thrown(() => sealer(OTHER).unseal('roster-key', sealed));
    expect(err.code).toBe('SECRET_UNSEALABLE');
    expect(err.reason).toBe('does-not-open');
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(WRONG_MASTER_KEY);
    expect(err.message).not.toContain(MASTER.toString());
    expect(err.message).not.toContain(OTHER.toString());
  });

  it('a tampered value does not open (ciphertext, tag or IV changed)', () => {
    const s = sealer(MASTER);
    const sealed = s.seal('badge-pepper', SECRET);
    const [v, iv, ct, tag] = sealed.split('.') as [string, string, string, string];
    const flip = (part: string) => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0]! ^= 1;
      return bytes.toString('base64url');
    };
    for (const bad of [
      [v, iv, flip(ct), tag],
      [v, iv, ct, flip(tag)],
      [v, flip(iv), ct, tag],
    ]) {
      expect(thrown(() => s.unseal('badge-pepper', bad.join('.'))).reason).toBe('does-not-open');
    }
    // A shortened tag (which GCM would otherwise accept) and broken formats are refused as malformed.
    const short = [v, iv, ct, Buffer.from(tag, 'base64url').subarray(0, 4).toString('base64url')].join('.');
    for (const bad of [
      short,
      'v2.' + sealed.slice(3),
      sealed + '.x',
      'plain text',
      `${v}.${iv}.${ct}.${tag}=`,
    ]) {
      expect(thrown(() => s.unseal('badge-pepper', bad)).reason).toBe('malformed');
    }
  });

  it('a value sealed under one name does not open under another (moved to another row)', () => {
    const s = sealer(MASTER);
    const sealed = s.seal('badge-pepper', SECRET);
    const err = thrown(() => s.unseal('roster-key', sealed));
    expect(err.secretName).toBe('roster-key');
    expect(err.reason).toBe('does-not-open');
  });
});
