/**
 * Backups that restore (issue 21), SQLite: the scenario of test/fixtures/backup-restore-scenario.ts
 * with the server's own online backup (server/backup, SQLite's backup API) taken while kiosks
 * sync, restored by the admin CLI (`restore <file>`) into a fresh data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { backupSqlite } from '../../server/backup/sqlite-backup.ts';
import { backupRestoreScenario, runAdminCli } from '../fixtures/backup-restore-scenario.ts';
import { readSqliteServerRows } from '../fixtures/outbox-invariants.ts';
import { startTestServer } from '../fixtures/server.ts';
import { FAST_TAPS } from './soak.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

it('a backup taken while kiosks sync restores, and every kiosk transaction lands on it exactly once', async () => {
  const backups = tempDir('rental-backups-');
  const fresh = tempDir('rental-restored-');
  let file = '';
  await backupRestoreScenario(
    {
      name: 'sqlite',
      async startServer() {
        const server = await startTestServer({ tapsPerMinute: FAST_TAPS });
        cleanups.push(() => server.dispose());
        return server;
      },
      async backup(server) {
        const r = await backupSqlite({ dataDir: server.dataDir, toDir: backups, now: Date.now() });
        file = r.file;
        return r;
      },
      async restoreAndStart(port) {
        const restore = await runAdminCli({ RENTAL_SERVER_DATA: fresh }, 'restore', file);
        expect(restore.status, restore.stderr).toBe(0);
        const server = await startTestServer({ dataDir: fresh, port, tapsPerMinute: FAST_TAPS });
        cleanups.push(() => server.stop());
        return server;
      },
      rows: async () => readSqliteServerRows(fresh),
    },
    cleanups,
  );
}, 180_000);
