/** An existing data file upgrades in place: people and badges survive, the new tables work. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../../server/store/sqlite/migrations.ts';
import { openDatabase } from '../../../server/store/sqlite/open-database.ts';
import { rotateRefresh } from '../../../server/auth/refresh-rotation.ts';
import { openSqliteStore } from '../../../server/store/sqlite/open-sqlite-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'rental-migrate-'));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('upgrades a version-1 file with data to the latest schema', async () => {
  const file = join(dir, 'server.db');
  const v1 = openDatabase(
    file,
    SERVER_MIGRATIONS.filter((m) => m.version === 1),
  );
  v1.prepare(
    "INSERT INTO users (id, email, display_name, role) VALUES ('usr_old', 'old@example.com', 'Old', 'member')",
  ).run();
  v1.prepare("INSERT INTO badges (credential_hash, user_id) VALUES ('h1', 'usr_old')").run();
  expect(v1.pragma('user_version', { simple: true })).toBe(1);
  v1.close();

  const store = openSqliteStore({ file });
  try {
    expect((await store.findUserByBadgeHash('h1'))?.email).toBe('old@example.com');
    // The sign-in tables exist and work on the upgraded file.
    await store.createSession(
      { id: 'ses_1', userId: 'usr_old', mode: 'bearer', csrfHash: 'x', createdAt: 1, expiresAt: 10_000 },
      { tokenHash: 'r1', expiresAt: 5_000 },
    );
    expect((await rotateRefresh(store, 'r1', { tokenHash: 'r2', expiresAt: 6_000 }, 2)).status).toBe(
      'rotated',
    );
    expect((await rotateRefresh(store, 'r1', { tokenHash: 'r3', expiresAt: 6_000 }, 3)).status).toBe(
      'reused',
    );
    expect((await store.findSession('ses_1'))?.revokedReason).toBe('refresh token reused');
    // Old badges have no roster hash until their next online tap.
    expect(await store.rosterEntries()).toEqual([]);
    await store.setRosterHash('h1', 'rh1');
    expect((await store.rosterEntries()).map((e) => e.userId)).toEqual(['usr_old']);
  } finally {
    await store.close();
  }
  const again = openDatabase(file, SERVER_MIGRATIONS);
  expect(again.pragma('user_version', { simple: true })).toBe(
    Math.max(...SERVER_MIGRATIONS.map((m) => m.version)),
  );
  again.close();
});

it('clears badge labels that only said where a badge came from, keeping the ones an admin gave', async () => {
  const file = join(dir, 'labels.db');
  const before = openDatabase(
    file,
    SERVER_MIGRATIONS.filter((m) => m.version < 21),
  );
  before.prepare("INSERT INTO users (id, display_name, role) VALUES ('usr_a', 'A', 'member')").run();
  const add = before.prepare("INSERT INTO badges (credential_hash, user_id, label) VALUES (?, 'usr_a', ?)");
  add.run('h1', 'enrolled at kiosk ksk_x1 by usr_admin');
  add.run('h2', 'added by admin CLI');
  add.run('h3', 'CSV import');
  add.run('h4', '예비 카드');
  before.close();

  const store = openSqliteStore({ file });
  try {
    expect((await store.badgesOf('usr_a')).map((b) => b.label).sort()).toEqual([
      null,
      null,
      null,
      '예비 카드',
    ]);
  } finally {
    await store.close();
  }
});
