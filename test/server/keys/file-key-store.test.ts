/** The file key store of one embedded server: a rotation by the admin CLI reaches the running server without a restart. */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { KEY_RETIREMENT_MS } from '../../../server/keys/key-lifecycle.ts';
import { openKeyStore, type KeyStore } from '../../../server/keys/key-store.ts';
import { fakeClock, T0, type FakeClock } from '../fixtures.ts';
import { fakeTimer } from './fixtures.ts';

let dir: string;
let clock: FakeClock;
const stores: KeyStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rental-file-keys-'));
  clock = fakeClock(T0);
});
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

it('the running server signs with a key the CLI made once its timer fires; the old key retires by the rule', async () => {
  const timer = fakeTimer();
  const server = await openKeyStore(join(dir, 'keys'), { clock, setTimer: timer.setTimer });
  const cli = await openKeyStore(join(dir, 'keys'), { clock, setTimer: fakeTimer().setTimer });
  stores.push(server, cli);
  const old = server.current().kid;
  clock.advance(60_000);
  const next = await cli.rotate(clock.now());
  // One process publishes and signs together: the CLI's own view switches at once.
  expect(cli.current().kid).toBe(next.kid);
  expect(server.current().kid).toBe(old);
  await timer.fire();
  expect(server.current().kid).toBe(next.kid);
  expect(server.jwks().keys.map((k) => k.kid)).toEqual([old, next.kid]);
  for (const f of readdirSync(join(dir, 'keys'))) {
    expect(f).toMatch(/^signing-.+\.jwk\.json$/);
    expect((statSync(join(dir, 'keys', f)).mode & 0o777).toString(8)).toBe('600');
  }

  clock.set(next.createdAt + KEY_RETIREMENT_MS);
  expect(server.jwks().keys.map((k) => k.kid)).toEqual([next.kid]);
  expect(await server.publicKey(old)).toBeUndefined();
  // Retired files stay on disk; they are only no longer used.
  expect(readdirSync(join(dir, 'keys'))).toHaveLength(2);
});
