/**
 * After a restore, every kiosk must pull the whole catalog again: its catalog cursor comes
 * from the lost server, which went on changing items after the backup was taken. Two cases:
 * - the cursor is ahead of the restored server (SQLite's counter, or a PostgreSQL restored
 *   into a new cluster whose transaction ids start low): the catalog route answers it with
 *   the whole catalog (server/routes/kiosk.ts);
 * - the cursor is behind (PostgreSQL restored into a cluster whose transaction ids went on,
 *   e.g. the same one): the restored items still carry the versions of the backup, below
 *   the cursor, so a kiosk would keep the lost server's later moves. Stamping every item with
 *   a version taken now puts them all above any cursor handed out before.
 * `admin restore` (SQLite) does this itself; after a pg_restore, `admin catalog reissue`.
 */
import type { SqlDb } from '../store/sql/sql-db.ts';

export function reissueCatalog(db: SqlDb): Promise<number> {
  return db.atomic(async (tx) => {
    const version = await tx.versionStamp();
    return (await tx.run('UPDATE items SET version = ?', [version])).changes;
  });
}
