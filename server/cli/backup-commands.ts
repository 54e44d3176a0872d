/**
 * `admin backup` and `admin restore <file>`: they work on the data directory's files, not
 * through the store, so they run before (and instead of) opening the server's parts; a
 * restore must not itself hold the database it is about to replace.
 */
import { parseCliArgs, UsageError } from './args.ts';
import { join, resolve } from 'node:path';
import { postgresDb } from '../store/postgres/postgres-db.ts';
import { SERVER_MIGRATIONS } from '../store/sqlite/migrations.ts';
import { openDatabase } from '../store/sqlite/open-database.ts';
import { sqliteDb } from '../store/sqlite/sqlite-db.ts';
import { reissueCatalog } from '../backup/reissue-catalog.ts';
import {
  BadBackupError,
  backupSqlite,
  DB_FILE,
  restoreSqlite,
  RestoreRefusedError,
} from '../backup/sqlite-backup.ts';
import type { ResolvedBackupConfig } from '../backup/backup-config.ts';
import type { CliIo } from './commands.ts';

export const BACKUP_USAGE = `  backup [--to <dir>]                           an online backup of the SQLite database and its keys now
                                                (safe while the server runs; PostgreSQL: use pg_dump, see README)
  restore <backup file>                         replaces the database and keys with the backup's; refused while
                                                a server has the database open; the old files are kept aside`;

export function isBackupCommand(argv: string[]): boolean {
  return argv[0] === 'backup' || argv[0] === 'restore' || (argv[0] === 'catalog' && argv[1] === 'reissue');
}

/** Every kiosk pulls the whole catalog again (after a pg_restore; `restore` does it for SQLite). */
async function catalogReissue(ctx: { dataDir: string; databaseUrl?: string }, io: CliIo): Promise<number> {
  const db = ctx.databaseUrl
    ? postgresDb({ connectionString: ctx.databaseUrl, max: 1 })
    : sqliteDb(openDatabase(join(ctx.dataDir, DB_FILE), SERVER_MIGRATIONS));
  try {
    const n = await reissueCatalog(db);
    io.out(`${n} item(s) stamped anew: every kiosk gets the whole catalog on its next pull`);
    return 0;
  } finally {
    await db.close();
  }
}

export async function runBackupCommand(
  argv: string[],
  ctx: { dataDir: string; databaseUrl?: string; backup: ResolvedBackupConfig; now: () => number },
  io: CliIo,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'catalog') return catalogReissue(ctx, io);
  if (ctx.databaseUrl) {
    io.err(
      `${command}: this server uses PostgreSQL; back it up with pg_dump or continuous archiving and restore with pg_restore (README, "Backups")`,
    );
    return 2;
  }
  if (command === 'backup') {
    let to: string | undefined;
    try {
      const args = parseCliArgs(rest, ['to']);
      if (args.positional.length) throw new UsageError(`unexpected ${args.positional[0]}`);
      to = args.flags.get('--to') as string | undefined;
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      io.err(`${err.message}; usage: backup [--to <dir>]`);
      return 2;
    }
    const r = await backupSqlite({
      dataDir: ctx.dataDir,
      toDir: to ? resolve(to) : ctx.backup.dir,
      now: ctx.now(),
      keep: ctx.backup.keep,
    });
    io.out(
      `backup ${r.file} (${(r.bytes / 1024).toFixed(0)} KiB, schema ${r.schemaVersion}, ${r.keyFiles} key file(s), ${r.ms} ms)`,
    );
    if (r.removed.length) io.out(`removed ${r.removed.length} old backup(s), keeping ${ctx.backup.keep}`);
    io.out('it holds the signing keys and the badge pepper: keep it as safe as the keys themselves');
    return 0;
  }
  const file = rest[0];
  if (!file || rest.length > 1) {
    io.err('restore <backup file>');
    return 2;
  }
  try {
    const { info, keptAside } = await restoreSqlite({
      backupFile: resolve(file),
      dataDir: ctx.dataDir,
      now: ctx.now(),
    });
    io.out(`restored the backup taken ${info.takenAt} (schema ${info.schemaVersion}) into ${ctx.dataDir}`);
    if (keptAside) io.out(`the previous database and keys are in ${keptAside}`);
    io.out(
      `start the server; at their next heartbeat kiosks send again what they had sent after ${info.takenAt}, which this backup does not hold (README, "Backups")`,
    );
    return 0;
  } catch (err) {
    if (err instanceof RestoreRefusedError || err instanceof BadBackupError) {
      io.err(`restore refused: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
