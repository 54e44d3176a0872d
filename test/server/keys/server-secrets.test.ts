/**
 * Where the server's secrets come from: files for one embedded server, sealed rows in the
 * database (the same for every replica) with a master key, an embedded data dir moved to a
 * master key, and what a database backup alone gives away (nothing usable).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../protocol/config/resolve.ts';
import type { Role } from '../../../protocol/index.ts';
import { createTokenService } from '../../../server/auth/tokens.ts';
import { signingKeySecretName } from '../../../server/keys/db-key-store.ts';
import { sealer, SealedSecretError } from '../../../server/keys/sealed.ts';
import { openServerSecrets, type ServerSecrets } from '../../../server/keys/server-secrets.ts';
import { openSqliteStore } from '../../../server/store/sqlite/open-sqlite-store.ts';
import type { Store } from '../../../server/store/store.ts';
import { fakeClock, ISSUER, T0, type FakeClock } from '../fixtures.ts';
import { fakeTimer, MASTER_KEY } from './fixtures.ts';

let root: string;
let clock: FakeClock;
const opened: { store: Store; secrets?: ServerSecrets }[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rental-secrets-'));
  clock = fakeClock(T0);
});
afterEach(async () => {
  for (const o of opened.splice(0)) {
    o.secrets?.keys.close();
    await o.store.close();
  }
  rmSync(root, { recursive: true, force: true });
});

/** One server: its own data dir (may be shared), the one database file. */
async function server(
  dataDir: string,
  masterKey: Buffer | null,
  log?: { warn(o: object, msg: string): void },
) {
  const store = openSqliteStore({ file: join(root, 'server.db') });
  const entry: (typeof opened)[number] = { store };
  opened.push(entry);
  entry.secrets = await openServerSecrets({
    store,
    masterKey,
    dataDir,
    clock,
    setTimer: fakeTimer().setTimer,
    ...(log ? { log } : {}),
  });
  return { store, ...entry.secrets };
}

const tokensOf = (s: ServerSecrets) =>
  createTokenService({ keys: s.keys, issuer: ISSUER, clock, rentalTtlS: 120 });
const accessToken = async (s: ServerSecrets) =>
  (await tokensOf(s).issueAccess('usr_1', 'member' as Role, 'ses_1')).token;

describe('openServerSecrets', () => {
  it('without a master key on SQLite: files in <dataDir>/keys, as before, and the same on reopening', async () => {
    const dataDir = join(root, 'data');
    const first = await server(dataDir, null);
    expect(first.where).toBe('files');
    const keyDir = join(dataDir, 'keys');
    expect(readdirSync(keyDir).sort()).toEqual(
      ['badge-pepper.key', 'roster.key', `signing-${first.keys.current().kid}.jwk.json`].sort(),
    );
    for (const f of readdirSync(keyDir))
      expect((statSync(join(keyDir, f)).mode & 0o777).toString(8)).toBe('600');
    expect(first.pepper.equals(first.rosterKey)).toBe(false);
    expect(first.pepper).toHaveLength(32);
    expect(await first.store.signingKeys()).toEqual([]);
    expect(await first.store.getSecret('badge-pepper')).toBeNull();

    const again = await server(dataDir, null);
    expect(again.pepper.equals(first.pepper)).toBe(true);
    expect(again.rosterKey.equals(first.rosterKey)).toBe(true);
    expect(again.keys.current().kid).toBe(first.keys.current().kid);
  });

  it('without a master key on PostgreSQL: refused with what to set', async () => {
    const store = { kind: 'postgres' } as Store;
    const err = await openServerSecrets({ store, masterKey: null, dataDir: join(root, 'd'), clock }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(
      'RENTAL_MASTER_KEY (or RENTAL_MASTER_KEY_FILE) is required with PostgreSQL: every replica must share the signing keys, the badge pepper and the roster key',
    );
    expect(existsSync(join(root, 'd'))).toBe(false);
  });

  it('with a master key: replicas share the pepper, the roster key and the keys', async () => {
    // One after the other: this SQLite adapter is one connection per process, and two in one
    // process cannot hold transactions at once (the race is the next test's).
    const a = await server(join(root, 'a'), MASTER_KEY);
    const b = await server(join(root, 'b'), MASTER_KEY);
    expect(a.where).toBe('database');
    expect(a.pepper.equals(b.pepper)).toBe(true);
    expect(a.rosterKey.equals(b.rosterKey)).toBe(true);
    expect(a.pepper.equals(a.rosterKey)).toBe(false);
    await a.keys.refresh();
    await b.keys.refresh();
    expect(a.keys.current().kid).toBe(b.keys.current().kid);
    // A token from one replica verifies on the other.
    await expect(tokensOf(b).verifyAccess(await accessToken(a))).resolves.toMatchObject({ userId: 'usr_1' });
    // Nothing was written to either data dir: a replica's directory may be empty or private.
    expect(existsSync(join(root, 'a', 'keys'))).toBe(false);
    // A third, later replica gets the same.
    const c = await server(join(root, 'c'), MASTER_KEY);
    expect(c.pepper.equals(a.pepper)).toBe(true);
    expect(c.rosterKey.equals(a.rosterKey)).toBe(true);
  });

  it('two replicas starting together: the one that writes second uses what the first wrote', async () => {
    const a = await server(join(root, 'a'), MASTER_KEY);
    // B looked before A wrote: it sees no secret, makes its own and offers it.
    const store = openSqliteStore({ file: join(root, 'server.db') });
    opened.push({ store });
    const offered: string[] = [];
    const late: Store = Object.assign(Object.create(store) as Store, {
      getSecret: async () => null,
      putSecretOnce: async (name: string, sealed: string, now: number) => {
        offered.push(name);
        return store.putSecretOnce(name, sealed, now);
      },
    });
    const b = await openServerSecrets({
      store: late,
      masterKey: MASTER_KEY,
      dataDir: join(root, 'b'),
      clock,
    });
    opened.push({ store: { close: async () => {} } as Store, secrets: b });
    expect(offered).toEqual(['badge-pepper', 'roster-key']);
    expect(b.pepper.equals(a.pepper)).toBe(true);
    expect(b.rosterKey.equals(a.rosterKey)).toBe(true);
  });

  it('an embedded data dir given a master key keeps its pepper, roster key and signing keys', async () => {
    const dataDir = join(root, 'data');
    const before = await server(dataDir, null);
    const oldToken = await accessToken(before);
    const oldKid = before.keys.current().kid;
    before.keys.close();

    const after = await server(dataDir, MASTER_KEY);
    expect(after.where).toBe('database');
    expect(after.pepper.equals(before.pepper)).toBe(true);
    expect(after.rosterKey.equals(before.rosterKey)).toBe(true);
    expect(after.keys.current().kid).toBe(oldKid);
    await expect(tokensOf(after).verifyAccess(oldToken)).resolves.toMatchObject({ userId: 'usr_1' });
    expect((await after.store.signingKeys()).map((k) => k.kid)).toEqual([oldKid]);

    // A replica with another, empty data dir gets the imported values.
    const other = await server(join(root, 'other'), MASTER_KEY);
    expect(other.pepper.equals(before.pepper)).toBe(true);
    expect(other.keys.current().kid).toBe(oldKid);
  });

  it('warns when a data dir has a pepper file that differs from the database', async () => {
    await server(join(root, 'fresh'), MASTER_KEY); // the database gets a random pepper first
    const dataDir = join(root, 'old');
    await server(dataDir, null); // an embedded server's files
    const warnings: string[] = [];
    const s = await server(dataDir, MASTER_KEY, { warn: (_o, msg) => warnings.push(msg) });
    const filePepper = Buffer.from(
      readFileSync(join(dataDir, 'keys', 'badge-pepper.key'), 'utf8'),
      'base64url',
    );
    expect(filePepper).toHaveLength(32);
    expect(s.pepper.equals(filePepper)).toBe(false);
    expect(warnings.join('\n')).toMatch(/badge-pepper\.key differs from the badge-pepper in the database/);
  });

  it('a replica with another master key stops with a one-line reason that does not show either key', async () => {
    await server(join(root, 'a'), MASTER_KEY);
    const wrong = Buffer.from('some other master key that is long enough');
    const err = await server(join(root, 'b'), wrong).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SealedSecretError);
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toMatch(
      /the master key does not open the secrets in the database \(was RENTAL_MASTER_KEY changed\?\)/,
    );
    expect(message).not.toContain(wrong.toString());
    expect(message).not.toContain(MASTER_KEY.toString());
    expect(message).not.toContain('\n');
  });

  it('a backup of the database alone holds neither the pepper, the roster key nor a private key in clear', async () => {
    const dataDir = join(root, 'data');
    await server(dataDir, null); // imported secrets too
    const s = await server(dataDir, MASTER_KEY);
    clock.advance(60_000);
    await s.keys.rotate(clock.now());
    const seal = sealer(MASTER_KEY);
    const rows = await s.store.signingKeys();
    expect(rows).toHaveLength(2);
    const ds = rows.map(
      (r) =>
        (
          JSON.parse(seal.unseal(signingKeySecretName(r.kid, r.createdAt), r.sealedJwk).toString()) as {
            d: string;
          }
        ).d,
    );
    const { pepper, rosterKey } = s;
    for (const o of opened.splice(0)) {
      o.secrets?.keys.close();
      await o.store.close();
    }
    const backup = Buffer.concat(
      readdirSync(root)
        .filter((f) => f.startsWith('server.db'))
        .map((f) => readFileSync(join(root, f))),
    );
    expect(backup.length).toBeGreaterThan(0);
    const needles: [string, Buffer][] = [];
    for (const [what, secret] of [
      ['pepper', pepper],
      ['roster key', rosterKey],
    ] as const) {
      needles.push(
        [`${what} raw`, secret],
        [`${what} base64url`, Buffer.from(secret.toString('base64url'))],
        [`${what} base64`, Buffer.from(secret.toString('base64'))],
        [`${what} hex`, Buffer.from(secret.toString('hex'))],
      );
    }
    for (const d of ds) {
      needles.push(['jwk d', Buffer.from(d)], ['jwk d raw', Buffer.from(d, 'base64url')]);
    }
    for (const [what, needle] of needles) expect(backup.includes(needle), what).toBe(false);
    // The sealed rows are there; they open only with the master key.
    expect(backup.includes(Buffer.from('v1.'))).toBe(true);
  });
});
