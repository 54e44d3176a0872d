/**
 * Backups that restore (issue 21), PostgreSQL: the scenario of
 * test/fixtures/backup-restore-scenario.ts with Debian's pg_dump (custom format, one
 * consistent snapshot) taken while kiosks sync through the server, restored with pg_restore
 * into a fresh database; the server starts on it with the same master key (the signing keys,
 * pepper and roster key are sealed in the database under it) and a fresh data directory.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backupRestoreScenario, runAdminCli } from '../fixtures/backup-restore-scenario.ts';
import { readPostgresServerRows } from '../fixtures/outbox-invariants.ts';
import { startTestServer } from '../fixtures/server.ts';
import { postgresBinDir, postgresSkipReason, startPostgres, type PgCluster } from '../support/postgres.ts';
import { FAST_TAPS } from './soak.ts';

const run = promisify(execFile);

/** Null when pg_dump and pg_restore are there; otherwise why the suite is skipped (throws under RENTAL_CI=1). */
function dumpToolsSkipReason(): string | null {
  const cluster = postgresSkipReason();
  if (cluster) return cluster;
  const bin = postgresBinDir()!;
  if (existsSync(join(bin, 'pg_dump')) && existsSync(join(bin, 'pg_restore'))) return null;
  const reason = `no pg_dump/pg_restore in ${bin} (apt-get install postgresql-client)`;
  if (process.env.RENTAL_CI === '1') throw new Error(`RENTAL_CI=1 and ${reason}`);
  console.warn(`skipped: ${reason}`);
  return reason;
}
const skip = dumpToolsSkipReason();

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

describe.skipIf(skip !== null)(`PostgreSQL backup and restore${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let cluster: PgCluster | undefined;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('a pg_dump taken while kiosks sync restores with pg_restore, and every kiosk transaction lands on it exactly once', async () => {
    const bin = postgresBinDir()!;
    const masterKey = randomBytes(32);
    const live = await cluster!.createDatabase('rental_live');
    const dump = join(tempDir('rental-pgdump-'), 'rental.dump');
    let restoredUrl = '';
    await backupRestoreScenario(
      {
        name: 'postgres',
        async startServer() {
          const server = await startTestServer({
            tapsPerMinute: FAST_TAPS,
            database: { url: live, masterKey },
          });
          cleanups.push(() => server.dispose());
          return server;
        },
        async backup() {
          const started = performance.now();
          await run(join(bin, 'pg_dump'), ['--format=custom', '--file', dump, '--dbname', live], {
            timeout: 60_000,
          });
          return { bytes: statSync(dump).size, ms: Math.round(performance.now() - started) };
        },
        async restoreAndStart(port) {
          restoredUrl = await cluster!.createDatabase('rental_restored');
          await run(
            join(bin, 'pg_restore'),
            ['--exit-on-error', '--no-owner', '--dbname', restoredUrl, dump],
            {
              timeout: 60_000,
            },
          );
          const dataDir = tempDir('rental-restored-');
          // What the README says to do after a pg_restore: kiosks pull the whole catalog again.
          const reissue = await runAdminCli(
            { RENTAL_SERVER_DATA: dataDir, RENTAL_DATABASE_URL: restoredUrl },
            'catalog',
            'reissue',
          );
          expect(reissue.status, reissue.stderr).toBe(0);
          const server = await startTestServer({
            dataDir,
            port,
            tapsPerMinute: FAST_TAPS,
            database: { url: restoredUrl, masterKey },
          });
          cleanups.push(() => server.stop());
          return server;
        },
        rows: () => readPostgresServerRows(restoredUrl),
      },
      cleanups,
    );
  }, 240_000);
});
