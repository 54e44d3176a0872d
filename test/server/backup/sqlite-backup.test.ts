/**
 * SQLite backups (server/backup): a backup of a running server restores into a fresh data
 * directory with its people, items, loans and keys; retention keeps the newest; the admin
 * CLI refuses to restore over a database another process has open, and does it once that
 * process is gone; a file that is not a backup is refused.
 */
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import {
  backupSqlite,
  inspectBackup,
  listBackups,
  restoreSqlite,
  RestoreRefusedError,
} from '../../../server/backup/sqlite-backup.ts';
import { startBackups } from '../../../server/backup/schedule.ts';
import { startTestServer } from '../../fixtures/server.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

const count = (file: string, table: string) => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** The admin CLI as its own process; not spawnSync, so this process's sockets and timers go on. */
function cli(
  dataDir: string,
  ...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
    env: { ...process.env, RENTAL_SERVER_DATA: dataDir, RENTAL_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

it('a backup of a running server restores into a fresh data dir with its people, loans and keys', async () => {
  const server = await startTestServer();
  cleanups.push(() => server.dispose());
  const toDir = tempDir('rental-backups-');

  const r = await backupSqlite({ dataDir: server.dataDir, toDir, now: Date.now() });
  expect(r.file.startsWith(toDir)).toBe(true);
  expect(statSync(r.file).mode & 0o777).toBe(0o600);
  expect(r.keyFiles).toBeGreaterThanOrEqual(3); // a signing key, the pepper, the roster key
  expect(existsSync(`${r.file}-wal`)).toBe(false);
  const info = inspectBackup(r.file);
  expect(info.keyFiles).toContain('badge-pepper.key');

  const fresh = tempDir('rental-restored-');
  const { keptAside } = await restoreSqlite({ backupFile: r.file, dataDir: fresh, now: Date.now() });
  expect(keptAside).toBeNull();
  const restored = join(fresh, 'server.db');
  for (const table of ['users', 'badges', 'items', 'kiosks', 'loans'])
    expect(count(restored, table)).toBe(count(join(server.dataDir, 'server.db'), table));
  for (const name of readdirSync(join(server.dataDir, 'keys')))
    expect(readFileSync(join(fresh, 'keys', name), 'utf8')).toBe(
      readFileSync(join(server.dataDir, 'keys', name), 'utf8'),
    );
  const db = new Database(restored, { readonly: true });
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'backup_%'").all();
  db.close();
  expect(tables).toEqual([]);

  // A server on the restored directory knows the same people by their badges and passwords.
  await server.stop();
  const again = await startTestServer({ dataDir: fresh });
  cleanups.push(() => again.stop());
  expect(await again.adminToken()).toMatch(/^ey/);
  const badgeUser = await again
    .deps()
    .store.findUserByBadgeHash(again.deps().hashBadge('nfc:04a1b2c3d4e5f6'));
  expect(badgeUser?.displayName).toBe('김민준');
});

it('scheduled backups keep the newest ones only', async () => {
  const server = await startTestServer();
  cleanups.push(() => server.dispose());
  const toDir = tempDir('rental-backups-');
  let now = Date.UTC(2026, 11, 2, 9, 0, 0);
  const timers: (() => void)[] = [];
  const schedule = startBackups({
    dataDir: server.dataDir,
    toDir,
    everyMs: 3_600_000,
    keep: 2,
    clock: { now: () => now },
    setTimer: (fn) => (timers.push(fn), () => {}),
  });
  cleanups.push(() => schedule.stop());
  for (let i = 0; i < 4; i++) {
    now += 3_600_000;
    await schedule.runNow();
  }
  writeFileSync(join(toDir, 'notes.txt'), 'not a backup');
  await schedule.runNow();
  expect(listBackups(toDir).map((f) => f.slice(toDir.length + 1))).toEqual([
    'server-20261202T130000000Z.db',
    'server-20261202T120000000Z.db',
  ]);
  expect(existsSync(join(toDir, 'notes.txt'))).toBe(true);
  expect(schedule.status().lastOk?.file).toBe(join(toDir, 'server-20261202T130000000Z.db'));
  expect(timers.length).toBe(1); // armed once; runNow does not stack timers
});

it('the CLI refuses to restore over a database another process holds, and restores once it is gone', async () => {
  const server = await startTestServer();
  cleanups.push(() => server.dispose());
  const toDir = tempDir('rental-backups-');

  const made = await cli(server.dataDir, 'backup', '--to', toDir);
  expect(made.status, made.stderr).toBe(0);
  const [file] = listBackups(toDir);
  expect(made.stdout).toContain(file);

  // The server (this process) has the database open: the CLI, another process, refuses.
  const refused = await cli(server.dataDir, 'restore', file!);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toMatch(/restore refused: .*open in another process/);
  expect(readdirSync(server.dataDir).some((f) => f.startsWith('before-restore'))).toBe(false);

  // The same check in-process: SQLite's locks are seen across connections of one process too.
  await expect(
    restoreSqlite({ backupFile: file!, dataDir: server.dataDir, now: Date.now() }),
  ).rejects.toThrow(RestoreRefusedError);

  await server.stop();
  const done = await cli(server.dataDir, 'restore', file!);
  expect(done.status, done.stderr).toBe(0);
  const aside = readdirSync(server.dataDir).find((f) => f.startsWith('before-restore'));
  expect(aside).toBeDefined();
  expect(existsSync(join(server.dataDir, aside!, 'server.db'))).toBe(true);
  expect(existsSync(join(server.dataDir, aside!, 'keys', 'badge-pepper.key'))).toBe(true);
  await server.start();
  expect(await server.adminToken()).toMatch(/^ey/);
});

it('refuses a file that is not a backup, and leaves the data dir alone', async () => {
  const dataDir = tempDir('rental-restore-');
  const junk = join(dataDir, 'junk.db');
  writeFileSync(junk, 'this is not a database at all, just text'.repeat(200));
  const r = await cli(dataDir, 'restore', junk);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/restore refused: .*not a usable backup/);
  expect(readdirSync(dataDir)).toEqual(['junk.db']);
});
