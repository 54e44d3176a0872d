/**
 * The loan-limit count at sync must not walk a person's whole loan history: with the plain
 * user index, 10,000 synced transactions of one person slowed each batch tenfold
 * (npm run bench, sync). The partial index keeps it to their open loans.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openSqliteStore } from '../../../server/store/sqlite/open-sqlite-store.ts';

it('counts open loans of a person through the open-loans index', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rental-index-'));
  try {
    await openSqliteStore({ file: join(dir, 'server.db') }).close();
    const db = new Database(join(dir, 'server.db'), { readonly: true });
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT COUNT(*) AS n FROM loans WHERE user_id = ? AND returned_at IS NULL')
      .all('usr_x') as { detail: string }[];
    db.close();
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/loans_user_open/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
