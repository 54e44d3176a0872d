/** The embedded server's database is readable by its owner only (issue 13, item 7). */
import { mkdtempSync, rmSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openSqliteStore } from '../../../server/store/sqlite/open-sqlite-store.ts';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

it('creates the data folder 0700 and the database, WAL and shared-memory files 0600', async () => {
  root = mkdtempSync(join(tmpdir(), 'rental-modes-'));
  const dir = join(root, 'data', 'server');
  const store = openSqliteStore({ file: join(dir, 'server.db') });
  await store.createUser({
    email: 'a@example.com',
    displayName: 'A',
    role: 'member',
    active: true,
    passwordHash: null,
  });
  expect(mode(dir)).toBe(0o700);
  for (const f of ['server.db', 'server.db-wal', 'server.db-shm']) {
    expect(existsSync(join(dir, f))).toBe(true);
    expect(mode(join(dir, f))).toBe(0o600);
  }
  await store.close();
});

it('tightens a data folder made before, with the usual umask', async () => {
  root = mkdtempSync(join(tmpdir(), 'rental-modes-'));
  const dir = join(root, 'server');
  mkdirSync(dir, { mode: 0o755 });
  const store = openSqliteStore({ file: join(dir, 'server.db') });
  expect(mode(dir)).toBe(0o700);
  expect(mode(join(dir, 'server.db'))).toBe(0o600);
  await store.close();
});
