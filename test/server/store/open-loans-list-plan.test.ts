/**
 * The dashboard's loans list, still out or overdue (issue 17): on its own SQLite's planner read
 * loans_returned for `returned_at IS NULL` and sorted every open loan for one page (78.5 ms at
 * 20,000 open loans, npm run bench: dashboard_lists). The page must walk the open loans' own
 * index and stop, the count must be answered by an index, and the pages must stay the same:
 * each loan once, newest first, ties by id, followed to the end against a model.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminLoanFilter } from '../../../server/store/admin-store.ts';
import { adminLoans } from '../../../server/store/sql/admin-loans.ts';
import type { SqlDb, SqlRunner, SqlValue } from '../../../server/store/sql/sql-db.ts';
import { SERVER_MIGRATIONS } from '../../../server/store/sqlite/migrations.ts';
import { openDatabase } from '../../../server/store/sqlite/open-database.ts';
import { sqliteDb } from '../../../server/store/sqlite/sqlite-db.ts';

const NOW = 1_700_000_000_000;
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'rental-open-loans-'));
const file = join(dir, 'server.db');
type Loan = { id: string; userId: string; kioskId: string | null; borrowedAt: number; dueAt: number };
/** The loans still out, as the model the pages are checked against. */
const open: Loan[] = [];
let db: SqlDb;
/** Every statement the loans list ran, with its parameters, to ask SQLite for its plan. */
const ran: { sql: string; params: readonly SqlValue[] }[] = [];
let loans: ReturnType<typeof adminLoans>;

beforeAll(() => {
  db = sqliteDb(openDatabase(file, SERVER_MIGRATIONS));
  const raw = new Database(file);
  raw.transaction(() => {
    raw.prepare("INSERT INTO kiosks (id, name) VALUES ('ksk_a', 'Lobby')").run();
    const user = raw.prepare("INSERT INTO users (id, email, display_name, role) VALUES (?, ?, ?, 'member')");
    for (let u = 0; u < 20; u++) user.run(`usr_${u}`, `p${u}@example.org`, `사람 ${u}`);
    const item = raw.prepare(
      'INSERT INTO items (id, tag, name, category, loan_days, version) VALUES (?, ?, ?, ?, 7, 1)',
    );
    for (let i = 0; i < 400; i++) item.run(`itm_${i}`, `T-${i}`, `Camera ${i}`, 'Photo');
    const loan = raw.prepare(
      `INSERT INTO loans (id, item_id, user_id, kiosk_id, borrow_tx_id, borrowed_at, due_at, returned_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Out: most borrowed in one millisecond (the id orders them), some overdue, ids in no
    // particular order against time.
    for (let i = 0; i < 120; i++) {
      const borrowedAt = i % 3 === 0 ? NOW - 2 * DAY : NOW - 10 * DAY + (i % 7) * DAY;
      const l: Loan = {
        id: `lon_${(i * 37) % 1000}`,
        userId: `usr_${i % 20}`,
        kioskId: i % 4 === 0 ? 'ksk_a' : null,
        borrowedAt,
        dueAt: borrowedAt + 7 * DAY,
      };
      open.push(l);
      loan.run(l.id, `itm_${i}`, l.userId, l.kioskId, `tx_${i}`, l.borrowedAt, l.dueAt, null);
    }
    // Returned, more of them than are out, as in any room after a while.
    for (let i = 0; i < 1500; i++) {
      const at = NOW - 30 * DAY - i * 60_000;
      loan.run(`old_${i}`, `itm_${i % 400}`, `usr_${i % 20}`, null, `otx_${i}`, at, at + 7 * DAY, at + DAY);
    }
  })();
  raw.close();
  const runner: SqlRunner = {
    dialect: db.dialect,
    all<T>(sql: string, params: readonly SqlValue[] = []) {
      ran.push({ sql, params });
      return db.all<T>(sql, params);
    },
    get<T>(sql: string, params: readonly SqlValue[] = []) {
      ran.push({ sql, params });
      return db.get<T>(sql, params);
    },
    run: (sql, params) => db.run(sql, params),
    atomic: (fn, opts) => db.atomic(fn, opts),
    versionStamp: () => db.versionStamp(),
    catalogCursor: () => db.catalogCursor(),
  };
  loans = adminLoans(runner);
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Newest first, ties by id in the database's byte order (ids here are ASCII). */
const newestFirst = (a: Loan, b: Loan) => b.borrowedAt - a.borrowedAt || (a.id < b.id ? 1 : -1);

async function everyPage(filter: AdminLoanFilter, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let after: AdminLoanFilter['after'] = null;
  for (let n = 0; n < 1000; n++) {
    const page = await loans.adminLoans({ ...filter, after, limit });
    seen.push(...page.map((l) => l.id));
    if (page.length < limit) return seen;
    const last = page[page.length - 1]!;
    after = { at: last.borrowedAt, id: last.id };
  }
  throw new Error('the pages never end');
}

/** SQLite's plan for every statement run by `fn`, one line per statement. */
async function plans(fn: () => Promise<unknown>): Promise<string[]> {
  ran.length = 0;
  await fn();
  const raw = new Database(file, { readonly: true });
  try {
    return ran.map(({ sql, params }) =>
      (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((p) => p.detail)
        .join(' | '),
    );
  } finally {
    raw.close();
  }
}

/** Opcodes that read a table row (or its place) on a cursor: SQLite's bytecode reference. */
const READS_ROW = new Set([
  'Column',
  'Rowid',
  'RowData',
  'SeekRowid',
  'NotExists',
  'Found',
  'NotFound',
  'Rewind',
  'Last',
  'Next',
  'Prev',
  'SeekGE',
  'SeekGT',
  'SeekLE',
  'SeekLT',
]);

/**
 * Whether a statement reads loan rows. A DeferredSeek on the table is a seek put off until a
 * column of the row is read, so it never happens when none is: not a read.
 */
function readsLoanRows(sql: string, params: readonly SqlValue[]): boolean {
  const raw = new Database(file, { readonly: true });
  try {
    const { rootpage } = raw.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'loans'").get() as {
      rootpage: number;
    };
    const ops = raw.prepare(`EXPLAIN ${sql}`).all(...params) as { opcode: string; p1: number; p2: number }[];
    const table = ops.filter((o) => o.opcode === 'OpenRead' && o.p2 === rootpage).map((o) => o.p1);
    return ops.some((o) => READS_ROW.has(o.opcode) && table.includes(o.p1));
  } finally {
    raw.close();
  }
}

describe('loans still out, on SQLite', () => {
  const cases: [string, AdminLoanFilter, (l: Loan) => boolean][] = [
    ['open', { status: 'open', now: NOW }, () => true],
    ['overdue', { status: 'overdue', now: NOW }, (l) => l.dueAt < NOW],
    ['open at one kiosk', { status: 'open', now: NOW, kioskId: 'ksk_a' }, (l) => l.kioskId === 'ksk_a'],
    ['open of one person', { status: 'open', now: NOW, userId: 'usr_3' }, (l) => l.userId === 'usr_3'],
    [
      'overdue since a day',
      { status: 'overdue', now: NOW, from: NOW - 9 * DAY },
      (l) => l.dueAt < NOW && l.borrowedAt >= NOW - 9 * DAY,
    ],
  ];
  for (const [name, filter, keep] of cases)
    it(`${name}: every page in order, each loan once, and the count`, async () => {
      const expected = open.filter(keep).sort(newestFirst);
      expect(expected.length).toBeGreaterThan(1);
      for (const limit of [1, 7, 50])
        expect(await everyPage(filter, limit), `pages of ${limit}`).toEqual(expected.map((l) => l.id));
      expect(await loans.countAdminLoans({ ...filter, limit: 3, after: { at: NOW, id: 'x' } })).toBe(
        expected.length,
      );
    });

  it('the first and a later page walk the open loans by (borrowed_at, id) and stop; no sort of them all', async () => {
    const first = await loans.adminLoans({ status: 'open', now: NOW, limit: 10 });
    const last = first[first.length - 1]!;
    for (const after of [null, { at: last.borrowedAt, id: last.id }]) {
      const [plan] = await plans(() => loans.adminLoans({ status: 'open', now: NOW, limit: 10, after }));
      expect(plan).toMatch(/USING (COVERING )?INDEX loans_open_borrowed/);
      expect(plan).not.toMatch(/loans_returned/);
    }
  });

  it('the overdue page reads the overdue loans by due date, not every open one', async () => {
    const [plan] = await plans(() => loans.adminLoans({ status: 'overdue', now: NOW, limit: 10 }));
    expect(plan).toMatch(/loans_due_open \(due_at<\?\)/);
  });

  it('the counts of loans out and overdue come from their partial indexes, never the table', async () => {
    const [out] = await plans(() => loans.countAdminLoans({ status: 'open', now: NOW }));
    const [overdue] = await plans(() => loans.countAdminLoans({ status: 'overdue', now: NOW }));
    expect(out).toMatch(/^SCAN l USING (COVERING )?INDEX loans_open_borrowed$/);
    expect(overdue).toMatch(/^SEARCH l USING (COVERING )?INDEX loans_due_open \(due_at<\?\)$/);
    for (const { sql, params } of [...ran]) expect(readsLoanRows(sql, params), sql).toBe(false);
    ran.length = 0;
    await loans.countAdminLoans({ status: 'open', now: NOW });
    expect(readsLoanRows(ran[0]!.sql, ran[0]!.params)).toBe(false);
    // The check itself sees a count that must read the rows.
    expect(readsLoanRows('SELECT count(*) FROM loans WHERE kiosk_id = ?', ['ksk_a'])).toBe(true);
  });
});
