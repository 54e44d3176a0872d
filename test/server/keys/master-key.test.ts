/** Loading the master key from the environment or a file; no message ever shows the key. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../protocol/config/resolve.ts';
import { loadMasterKey } from '../../../server/keys/master-key.ts';

const dir = mkdtempSync(join(tmpdir(), 'rental-master-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEY = 'Zq3-very-secret-master-key-0123456789';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).not.toContain('\n');
    return err as ConfigError;
  }
  throw new Error('did not throw');
}

describe('loadMasterKey', () => {
  it('is null when neither variable is set (or they are empty)', () => {
    expect(loadMasterKey({})).toBeNull();
    expect(loadMasterKey({ RENTAL_MASTER_KEY: '', RENTAL_MASTER_KEY_FILE: ' ' })).toBeNull();
  });

  it('reads the key from the environment', () => {
    expect(loadMasterKey({ RENTAL_MASTER_KEY: KEY })?.toString()).toBe(KEY);
  });

  it('reads the key from a file, trimmed, and gets the same bytes as the variable', () => {
    const file = join(dir, 'master.key');
    writeFileSync(file, `  ${KEY}\n`);
    expect(loadMasterKey({ RENTAL_MASTER_KEY_FILE: file })?.equals(Buffer.from(KEY))).toBe(true);
  });

  it('refuses both at once', () => {
    const err = configError(() => loadMasterKey({ RENTAL_MASTER_KEY: KEY, RENTAL_MASTER_KEY_FILE: '/x' }));
    expect(err.message).toMatch(/not both/);
    expect(err.message).not.toContain(KEY);
  });

  it('refuses a key shorter than 32 characters without showing it', () => {
    const short = 'short-but-secret-1234567890';
    const err = configError(() => loadMasterKey({ RENTAL_MASTER_KEY: short }));
    expect(err.message).toMatch(/RENTAL_MASTER_KEY: .*at least 32 characters/);
    expect(err.message).not.toContain(short);
    expect(err.message).not.toContain(short.slice(0, 8));

    const file = join(dir, 'short.key');
    writeFileSync(file, `${short}\n`);
    const fromFile = configError(() => loadMasterKey({ RENTAL_MASTER_KEY_FILE: file }));
    expect(fromFile.message).toContain(file);
    expect(fromFile.message).not.toContain(short);
  });

  it('names a file it cannot read, without its content', () => {
    const missing = configError(() => loadMasterKey({ RENTAL_MASTER_KEY_FILE: join(dir, 'nope.key') }));
    expect(missing.message).toMatch(/cannot read .*nope\.key \(ENOENT\)/);
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked.key');
      writeFileSync(locked, KEY);
      chmodSync(locked, 0);
      expect(configError(() => loadMasterKey({ RENTAL_MASTER_KEY_FILE: locked })).message).not.toContain(KEY);
    }
  });
});
