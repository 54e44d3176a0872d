/** The default Store: one SQLite file via better-sqlite3 (synchronous, so each use case is one transaction). */
import type Database from 'better-sqlite3';
import type { ErrorCode, Role, TxResult } from '../../../protocol/index.ts';
import { createIdFactory, type IdFactory } from '../../ids.ts';
import { judgeTx } from '../../sync/judge.ts';
import type {
  ItemRecord,
  KioskRecord,
  LoanFilter,
  OpenLoan,
  PreparedTx,
  Store,
  UserRecord,
} from '../store.ts';
import { sqliteAdminStore } from './admin-store.ts';
import { SERVER_MIGRATIONS } from './migrations.ts';
import { openDatabase } from './open-database.ts';
import { sqlitePeopleStore } from './people.ts';
import { sqliteSessionStore } from './sessions.ts';
import { toItemRecord, type ItemColumns } from './item-rows.ts';

type UserRow = {
  id: string;
  email: string | null;
  display_name: string;
  role: Role;
  active: number;
  password_hash: string | null;
};
type ItemRow = ItemColumns & { on_loan: number };
type KioskRow = {
  id: string;
  name: string;
  public_jwk: string | null;
  enrolled_at: number | null;
  revoked_at: number | null;
};
type LoanRow = {
  id: string;
  item_id: string;
  item_name: string;
  user_id: string;
  user_name: string;
  kiosk_id: string | null;
  borrowed_at: number;
  due_at: number;
  returned_at: number | null;
};
type TxRow = { status: 'applied' | 'rejected' | 'conflict'; code: string | null; loan_id: string | null };

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  active: r.active === 1,
  passwordHash: r.password_hash,
});
const toItem = (r: ItemRow): ItemRecord => toItemRecord(r, r.on_loan === 1);
const toKiosk = (r: KioskRow): KioskRecord => ({
  id: r.id,
  name: r.name,
  publicJwk: r.public_jwk,
  enrolledAt: r.enrolled_at,
  revokedAt: r.revoked_at,
});
const toLoan = (r: LoanRow): OpenLoan => ({
  id: r.id,
  itemId: r.item_id,
  itemName: r.item_name,
  userId: r.user_id,
  userName: r.user_name,
  kioskId: r.kiosk_id,
  borrowedAt: r.borrowed_at,
  dueAt: r.due_at,
  returnedAt: r.returned_at,
});

const ITEM_SELECT = `
  SELECT i.*, EXISTS (SELECT 1 FROM loans l WHERE l.item_id = i.id AND l.returned_at IS NULL) AS on_loan
  FROM items i`;
const LOAN_SELECT = `
  SELECT l.id, l.item_id, i.name AS item_name, l.user_id, u.display_name AS user_name, l.kiosk_id,
         l.borrowed_at, l.due_at, l.returned_at
  FROM loans l JOIN items i ON i.id = l.item_id JOIN users u ON u.id = l.user_id`;

const DAY_MS = 24 * 60 * 60 * 1000;

export type SqliteStoreOptions = { file: string; maxLoansPerPerson: number; newId?: IdFactory };

export function openSqliteStore(opts: SqliteStoreOptions): Store {
  const db: Database.Database = openDatabase(opts.file, SERVER_MIGRATIONS);
  const newId = opts.newId ?? createIdFactory();

  const q = {
    userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    userByEmail: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?'),
    userByBadge: db.prepare<[string], UserRow>(
      'SELECT u.* FROM badges b JOIN users u ON u.id = b.user_id WHERE b.credential_hash = ?',
    ),
    itemById: db.prepare<[string], ItemRow>(`${ITEM_SELECT} WHERE i.id = ?`),
    itemsSince: db.prepare<[number], ItemRow>(`${ITEM_SELECT} WHERE i.version > ? ORDER BY i.version`),
    kioskById: db.prepare<[string], KioskRow>('SELECT * FROM kiosks WHERE id = ?'),
    openLoanOfItem: db.prepare<[string], LoanRow>(
      `${LOAN_SELECT} WHERE l.item_id = ? AND l.returned_at IS NULL`,
    ),
    openLoansOfUser: db.prepare<[string], LoanRow>(
      `${LOAN_SELECT} WHERE l.user_id = ? AND l.returned_at IS NULL ORDER BY l.borrowed_at`,
    ),
    countOpenOfUser: db.prepare<[string], { n: number }>(
      'SELECT COUNT(*) AS n FROM loans WHERE user_id = ? AND returned_at IS NULL',
    ),
    txById: db.prepare<[string], TxRow>('SELECT status, code, loan_id FROM transactions WHERE id = ?'),
    insertTx: db.prepare(
      `INSERT INTO transactions (id, kiosk_id, seq, kind, item_id, user_id, occurred_at, clock_trusted,
         received_at, note, status, code, loan_id)
       VALUES (@id, @kioskId, @seq, @kind, @itemId, @userId, @occurredAt, @clockTrusted, @receivedAt, @note,
         @status, @code, @loanId)`,
    ),
    insertLoan: db.prepare(
      `INSERT INTO loans (id, item_id, user_id, kiosk_id, borrow_tx_id, borrowed_at, due_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    closeLoan: db.prepare(
      'UPDATE loans SET returned_at = ?, return_tx_id = ? WHERE id = ? AND returned_at IS NULL',
    ),
    bumpCatalog: db.prepare<[], { value: number }>(
      "UPDATE meta SET value = value + 1 WHERE key = 'catalog_version' RETURNING value",
    ),
    catalogVersion: db.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'catalog_version'"),
    touchItem: db.prepare('UPDATE items SET version = ? WHERE id = ?'),
  };

  const nextVersion = () => q.bumpCatalog.get()!.value;

  const lastTrustedAt = db.prepare<[string], { at: number | null }>(
    'SELECT MAX(occurred_at) AS at FROM transactions WHERE kiosk_id = ? AND clock_trusted = 1',
  );
  const effectiveTime = (kioskId: string, tx: PreparedTx, now: number): number => {
    if (tx.clockTrusted) return Math.min(tx.occurredAt, now);
    const floor = lastTrustedAt.get(kioskId)?.at ?? -Infinity;
    return Math.min(Math.max(tx.occurredAt, floor), now);
  };

  const applyOne = (kioskId: string, tx: PreparedTx, now: number): TxResult => {
    const prior = q.txById.get(tx.id);
    if (prior) {
      return {
        id: tx.id,
        status: 'duplicate',
        first: {
          status: prior.status,
          ...(prior.code ? { code: prior.code as ErrorCode } : {}),
          ...(prior.loan_id ? { loanId: prior.loan_id } : {}),
        },
      };
    }
    // When the kiosk could not trust its clock (a Pi without a real-time clock, booted
    // offline), its time is only an ordering hint: place the row after everything this
    // kiosk did with a trusted clock and never in the future.
    const at = effectiveTime(kioskId, tx, now);
    const itemRow = q.itemById.get(tx.itemId);
    const userRow = q.userById.get(tx.userId);
    const loanRow = itemRow ? q.openLoanOfItem.get(tx.itemId) : undefined;
    const decision = judgeTx(tx, {
      item: itemRow ? toItem(itemRow) : null,
      user: userRow ? toUser(userRow) : null,
      openLoan: loanRow ? toLoan(loanRow) : null,
      openLoansOfUser: q.countOpenOfUser.get(tx.userId)!.n,
      maxLoans: opts.maxLoansPerPerson,
    });

    let loanId: string | null = null;
    if (decision.status !== 'rejected') {
      loanId = decision.loanId ?? decision.closeLoanId ?? null;
      if (decision.closeLoanId) q.closeLoan.run(at, tx.id, decision.closeLoanId);
      if (decision.openLoan && itemRow) {
        loanId = newId('loan');
        const due = at + itemRow.loan_days * DAY_MS;
        q.insertLoan.run(loanId, tx.itemId, tx.userId, kioskId, tx.id, at, due);
      }
      if (decision.closeLoanId || decision.openLoan) q.touchItem.run(nextVersion(), tx.itemId);
    }
    const code = decision.status === 'applied' ? (decision.code ?? null) : decision.code;
    q.insertTx.run({
      id: tx.id,
      kioskId,
      seq: tx.seq,
      kind: tx.kind,
      itemId: tx.itemId,
      userId: tx.userId,
      occurredAt: tx.occurredAt,
      clockTrusted: tx.clockTrusted ? 1 : 0,
      receivedAt: now,
      note: tx.note,
      status: decision.status,
      code,
      loanId,
    });
    return {
      id: tx.id,
      status: decision.status,
      ...(code ? { code } : {}),
      ...(loanId ? { loanId } : {}),
    };
  };

  const applyBatch = db.transaction((kioskId: string, txs: PreparedTx[], now: number) =>
    [...txs].sort((a, b) => a.seq - b.seq).map((tx) => applyOne(kioskId, tx, now)),
  );

  return {
    ...sqliteSessionStore(db),
    ...sqlitePeopleStore(db),
    ...sqliteAdminStore(db, newId),
    createUser(u) {
      const id = u.id ?? newId('usr');
      db.prepare(
        'INSERT INTO users (id, email, display_name, role, active, password_hash) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(id, u.email, u.displayName, u.role, u.active ? 1 : 0, u.passwordHash);
      return toUser(q.userById.get(id)!);
    },
    findUserByEmail: (email) => {
      const r = q.userByEmail.get(email);
      return r ? toUser(r) : null;
    },
    findUserById: (id) => {
      const r = q.userById.get(id);
      return r ? toUser(r) : null;
    },
    addBadge(userId, credentialHash, label, rosterHash) {
      db.prepare('INSERT INTO badges (credential_hash, user_id, label, roster_hash) VALUES (?, ?, ?, ?)').run(
        credentialHash,
        userId,
        label ?? null,
        rosterHash ?? null,
      );
    },
    recordRoster: (id, kioskId, issuedAt, expiresAt) => {
      db.prepare('INSERT INTO rosters (id, kiosk_id, issued_at, expires_at) VALUES (?, ?, ?, ?)').run(
        id,
        kioskId,
        issuedAt,
        expiresAt,
      );
    },
    findRoster: (id) =>
      db
        .prepare<[string], { kioskId: string; issuedAt: number; expiresAt: number }>(
          'SELECT kiosk_id AS kioskId, issued_at AS issuedAt, expires_at AS expiresAt FROM rosters WHERE id = ?',
        )
        .get(id) ?? null,
    findUserByRosterHash: (rosterHash) => {
      const r = db
        .prepare<[string], UserRow>(
          'SELECT u.* FROM badges b JOIN users u ON u.id = b.user_id WHERE b.roster_hash = ?',
        )
        .get(rosterHash);
      return r ? toUser(r) : null;
    },
    listActivePeople: () =>
      db
        .prepare<[], { id: string; displayName: string }>(
          'SELECT id, display_name AS displayName FROM users WHERE active = 1 ORDER BY display_name',
        )
        .all(),
    findUserByBadgeHash: (hash) => {
      const r = q.userByBadge.get(hash);
      return r ? toUser(r) : null;
    },

    createItem(i) {
      const id = i.id ?? newId('itm');
      db.transaction(() => {
        db.prepare(
          `INSERT INTO items (id, tag, name, category, loan_days, restricted_to, locker_slot, version)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(id, i.tag, i.name, i.category, i.loanDays, i.restrictedTo, i.lockerSlot, nextVersion());
      })();
      return toItem(q.itemById.get(id)!);
    },
    itemsSince(cursor) {
      return db.transaction(() => ({
        items: q.itemsSince.all(cursor ?? 0).map(toItem),
        cursor: q.catalogVersion.get()!.value,
      }))();
    },

    createKiosk(name, codeHash, expiresAt) {
      const id = newId('ksk', 12);
      db.prepare(
        'INSERT INTO kiosks (id, name, enrollment_code_hash, enrollment_expires_at) VALUES (?, ?, ?, ?)',
      ).run(id, name, codeHash, expiresAt);
      return toKiosk(q.kioskById.get(id)!);
    },
    enrollKiosk(codeHash, publicJwk, now) {
      return db.transaction(() => {
        // Clearing the code in the same statement makes it single use even under races.
        const row = db
          .prepare<[string, number, string, number], KioskRow>(
            `UPDATE kiosks SET public_jwk = ?, enrolled_at = ?, enrollment_code_hash = NULL,
               enrollment_expires_at = NULL
             WHERE enrollment_code_hash = ? AND enrollment_expires_at > ? AND revoked_at IS NULL
             RETURNING *`,
          )
          .get(publicJwk, now, codeHash, now);
        return row ? toKiosk(row) : null;
      })();
    },
    findKiosk: (id) => {
      const r = q.kioskById.get(id);
      return r ? toKiosk(r) : null;
    },
    revokeKiosk: (id, now) =>
      db.prepare('UPDATE kiosks SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id)
        .changes === 1,

    loans(filter: LoanFilter) {
      const where: string[] = [];
      const args: string[] = [];
      if (filter.status === 'open') where.push('l.returned_at IS NULL');
      if (filter.status === 'returned') where.push('l.returned_at IS NOT NULL');
      if (filter.userId) {
        where.push('l.user_id = ?');
        args.push(filter.userId);
      }
      if (filter.itemId) {
        where.push('l.item_id = ?');
        args.push(filter.itemId);
      }
      const sql = `${LOAN_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.borrowed_at DESC`;
      return db
        .prepare<string[], LoanRow>(sql)
        .all(...args)
        .map(toLoan);
    },
    openLoansOf: (userId) => q.openLoansOfUser.all(userId).map(toLoan),
    applySyncBatch: (kioskId, txs, now) => applyBatch(kioskId, txs, now),

    isEmpty: () => !db.prepare('SELECT 1 FROM users LIMIT 1').get(),
    close: () => db.close(),
  };
}
