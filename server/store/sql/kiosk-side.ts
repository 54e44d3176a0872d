/** People, badges, items, kiosks and loans as the kiosk-facing routes read and write them. */
import {
  AppError,
  type ErrorCode,
  type ItemCondition,
  type ReturnCondition,
  type TxKind,
} from '../../../protocol/index.ts';
import type { IdFactory } from '../../ids.ts';
import type { KioskSideStore, RecordedTx, SyncSteps } from '../store.ts';
import {
  ITEM_SELECT,
  KIOSK_COLUMNS,
  LOAN_SELECT,
  USER_COLUMNS,
  partsFromColumn,
  partsToColumn,
  toItem,
  toKiosk,
  toLoan,
  toUser,
  type ItemRow,
  type KioskRow,
  type LoanRow,
  type UserRow,
} from './rows.ts';
import { isUniqueViolation, type SqlRunner, type SqlValue } from './sql-db.ts';

const USER_SELECT = `SELECT ${USER_COLUMNS} FROM users u`;

export function kioskSideStore(db: SqlRunner, newId: IdFactory): KioskSideStore {
  const user = async (sql: string, args: SqlValue[]) => {
    const r = await db.get<UserRow>(sql, args);
    return r ? toUser(r) : null;
  };
  const badgeHolder = async (hash: string) => {
    const row = await db.get<UserRow & { sealed: number }>(
      `SELECT ${USER_COLUMNS},
              CASE WHEN b.roster_hash IS NOT NULL AND b.hint IS NOT NULL THEN 1 ELSE 0 END AS sealed
       FROM users u JOIN badges b ON b.user_id = u.id WHERE b.credential_hash = ?`,
      [hash],
    );
    return row ? { user: toUser(row), sealed: row.sealed === 1 } : null;
  };
  const kiosk = async (r: SqlRunner, id: string) => {
    const row = await r.get<KioskRow>(`SELECT ${KIOSK_COLUMNS} FROM kiosks WHERE id = ?`, [id]);
    return row ? toKiosk(row) : null;
  };
  const item = async (r: SqlRunner, id: string) => {
    const row = await r.get<ItemRow>(`${ITEM_SELECT} WHERE i.id = ?`, [id]);
    return row ? toItem(row) : null;
  };

  return {
    async createUser(u) {
      const id = u.id ?? newId('usr');
      try {
        await db.atomic((tx) =>
          tx.run(
            'INSERT INTO users (id, email, display_name, role, active, password_hash) VALUES (?, ?, ?, ?, ?, ?)',
            [id, u.email, u.displayName, u.role, u.active ? 1 : 0, u.passwordHash],
          ),
        );
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('ALREADY_EXISTS', 'email already used');
        throw err;
      }
      return (await user(`${USER_SELECT} WHERE u.id = ?`, [id]))!;
    },
    findUserByEmail: (email) => user(`${USER_SELECT} WHERE lower(u.email) = lower(?)`, [email]),
    findUserById: (id) => user(`${USER_SELECT} WHERE u.id = ?`, [id]),
    async addBadge(userId, credentialHash, label, rosterHash) {
      await db.run('INSERT INTO badges (credential_hash, user_id, label, roster_hash) VALUES (?, ?, ?, ?)', [
        credentialHash,
        userId,
        label ?? null,
        rosterHash ?? null,
      ]);
    },
    async recordRoster(id, kioskId, issuedAt, expiresAt) {
      await db.run('INSERT INTO rosters (id, kiosk_id, issued_at, expires_at) VALUES (?, ?, ?, ?)', [
        id,
        kioskId,
        issuedAt,
        expiresAt,
      ]);
    },
    findRoster: async (id) =>
      (await db.get<{ kioskId: string; issuedAt: number; expiresAt: number }>(
        'SELECT kiosk_id AS "kioskId", issued_at AS "issuedAt", expires_at AS "expiresAt" FROM rosters WHERE id = ?',
        [id],
      )) ?? null,
    findUserByRosterHash: (hash) =>
      user(`${USER_SELECT} JOIN badges b ON b.user_id = u.id WHERE b.roster_hash = ?`, [hash]),
    rosterSecretsOf: async (userId) =>
      (
        await db.all<{ roster_hash: string }>(
          'SELECT roster_hash FROM badges WHERE user_id = ? AND roster_hash IS NOT NULL ORDER BY credential_hash',
          [userId],
        )
      ).map((r) => r.roster_hash),
    kioskRosterGeneration: async (kioskId) =>
      (await db.get<{ g: number }>('SELECT roster_generation AS g FROM kiosks WHERE id = ?', [kioskId]))?.g ??
      null,
    listActivePeople: () =>
      db.all<{
        id: string;
        displayName: string;
        department: string | null;
        employeeNumber: string | null;
        email: string | null;
      }>(
        `SELECT id, display_name AS "displayName", department, employee_number AS "employeeNumber", email
         FROM users WHERE active = 1 ORDER BY display_name, id`,
      ),
    findUserByBadgeHash: async (hash) => (await badgeHolder(hash))?.user ?? null,
    findBadgeHolder: badgeHolder,

    createItem: (i) =>
      db.atomic(async (tx) => {
        const id = i.id ?? newId('itm');
        await tx.run(
          `INSERT INTO items (id, tag, name, category, loan_days, restricted_to, locker_slot, parts, version)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            i.tag,
            i.name,
            i.category,
            i.loanDays,
            i.restrictedTo,
            i.lockerSlot,
            JSON.stringify(i.parts ?? []),
            await tx.versionStamp(),
          ],
        );
        return (await item(tx, id))!;
      }),
    async itemsSince(cursor, page) {
      // The cursor is read first: whatever commits after it is at or above it next time.
      const next = await db.catalogCursor();
      const rows = page
        ? await db.all<ItemRow>(`${ITEM_SELECT} WHERE i.version >= ? AND i.id > ? ORDER BY i.id LIMIT ?`, [
            cursor ?? 0,
            page.afterId ?? '',
            page.limit,
          ])
        : await db.all<ItemRow>(`${ITEM_SELECT} WHERE i.version >= ? ORDER BY i.version, i.id`, [
            cursor ?? 0,
          ]);
      // A borrow or return stamps the item, so the holder of every item whose holder changed
      // is in this same range (a page: of the items on it).
      const last = rows.at(-1)?.id;
      const held = await db.all<{ itemId: string; name: string }>(
        `SELECT l.item_id AS "itemId", u.display_name AS name
         FROM loans l JOIN items i ON i.id = l.item_id JOIN users u ON u.id = l.user_id
         WHERE l.returned_at IS NULL AND i.version >= ?${page ? ' AND i.id > ? AND i.id <= ?' : ''}`,
        page ? [cursor ?? 0, page.afterId ?? '', last ?? ''] : [cursor ?? 0],
      );
      return { items: rows.map(toItem), cursor: next, holders: new Map(held.map((h) => [h.itemId, h.name])) };
    },

    async createKiosk(name, codeHash, expiresAt) {
      const id = newId('ksk', 12);
      await db.run(
        'INSERT INTO kiosks (id, name, enrollment_code_hash, enrollment_expires_at) VALUES (?, ?, ?, ?)',
        [id, name, codeHash, expiresAt],
      );
      return (await kiosk(db, id))!;
    },
    async renewEnrollmentCode(kioskId, codeHash, expiresAt) {
      const row = await db.get<KioskRow>(
        `UPDATE kiosks SET enrollment_code_hash = ?, enrollment_expires_at = ?
         WHERE id = ? AND revoked_at IS NULL
         RETURNING ${KIOSK_COLUMNS}`,
        [codeHash, expiresAt, kioskId],
      );
      return row ? toKiosk(row) : null;
    },
    async enrollKiosk(codeHash, publicJwk, now) {
      // Clearing the code in the same statement makes it single use even under races. A
      // kiosk enrolling again (a new key after a damaged one) keeps its first enrolment time:
      // its offline rows from before are placed in time against it.
      const row = await db.get<KioskRow>(
        `UPDATE kiosks SET public_jwk = ?, enrolled_at = COALESCE(enrolled_at, ?), enrollment_code_hash = NULL,
           enrollment_expires_at = NULL
         WHERE enrollment_code_hash = ? AND enrollment_expires_at > ? AND revoked_at IS NULL
         RETURNING ${KIOSK_COLUMNS}`,
        [publicJwk, now, codeHash, now],
      );
      return row ? toKiosk(row) : null;
    },
    findKiosk: (id) => kiosk(db, id),
    expireEnrollmentCodes: async (now) =>
      (
        await db.run(
          `UPDATE kiosks SET enrollment_code_hash = NULL, enrollment_expires_at = NULL
           WHERE enrollment_code_hash IS NOT NULL AND enrollment_expires_at <= ?`,
          [now],
        )
      ).changes,
    revokeKiosk: (id, now) =>
      db.atomic(async (tx) => {
        const revoked =
          (
            await tx.run(
              `UPDATE kiosks SET revoked_at = ?, roster_generation = roster_generation + 1
               WHERE id = ? AND revoked_at IS NULL`,
              [now, id],
            )
          ).changes === 1;
        if (revoked) await tx.run('DELETE FROM roster_entries WHERE kiosk_id = ?', [id]);
        return revoked;
      }),
    derivedRosterEntries: (kioskId, generation) =>
      db.all<{ secret: string; entry: string }>(
        'SELECT badge_secret AS "secret", entry FROM roster_entries WHERE kiosk_id = ? AND generation = ?',
        [kioskId, generation],
      ),
    async saveRosterEntries(kioskId, generation, entries) {
      // In chunks: one statement per entry would be thousands of round trips on PostgreSQL.
      for (let i = 0; i < entries.length; i += 200) {
        const chunk = entries.slice(i, i + 200);
        await db.run(
          `INSERT INTO roster_entries (kiosk_id, generation, badge_secret, entry)
           VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
          chunk.flatMap((e) => [kioskId, generation, e.secret, e.entry]),
        );
      }
    },

    async loans(filter) {
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
      const sql = `${LOAN_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.borrowed_at DESC, l.id`;
      return (await db.all<LoanRow>(sql, args)).map(toLoan);
    },
    openLoansOf: async (userId) =>
      (
        await db.all<LoanRow>(
          `${LOAN_SELECT} WHERE l.user_id = ? AND l.returned_at IS NULL ORDER BY l.borrowed_at, l.id`,
          [userId],
        )
      ).map(toLoan),

    isEmpty: async () => !(await db.get('SELECT 1 AS one FROM users LIMIT 1')),
  };
}

export function syncSteps(db: SqlRunner, newId: IdFactory): SyncSteps {
  const lock = async (table: 'items' | 'users', ids: string[]) => {
    const sorted = [...new Set(ids)].sort();
    if (sorted.length === 0) return;
    await db.all(
      `SELECT id FROM ${table} WHERE id IN (${sorted.map(() => '?').join(', ')}) ORDER BY id${db.dialect.forUpdate}`,
      sorted,
    );
  };
  return {
    async lockRows(itemIds, userIds) {
      await lock('items', itemIds);
      await lock('users', userIds);
    },
    findRecordedTx: async (id) => {
      const r = await db.get<{ status: RecordedTx['status']; code: string | null; loan_id: string | null }>(
        'SELECT status, code, loan_id FROM transactions WHERE id = ?',
        [id],
      );
      return r ? { status: r.status, code: r.code as ErrorCode | null, loanId: r.loan_id } : null;
    },
    findPriorTx: async (id) => {
      const r = await db.get<{
        kiosk_id: string;
        status: RecordedTx['status'];
        code: string | null;
        loan_id: string | null;
      }>('SELECT kiosk_id, status, code, loan_id FROM transactions WHERE id = ?', [id]);
      return r
        ? { kioskId: r.kiosk_id, status: r.status, code: r.code as ErrorCode | null, loanId: r.loan_id }
        : null;
    },
    offlineProofUsed: async (proof) =>
      !!(await db.get('SELECT 1 AS one FROM transactions WHERE offline_proof = ?', [proof])),
    lastTrustedAt: async (kioskId) =>
      (
        await db.get<{ at: number | null }>(
          // A trusted time the sync did not believe (OFFLINE_TIME_UNBOUNDED) is no floor for others.
          `SELECT MAX(occurred_at) AS at FROM transactions
           WHERE kiosk_id = ? AND clock_trusted = 1 AND (code IS NULL OR code NOT IN ('OFFLINE_TIME_UNBOUNDED', 'TIME_DOUBTFUL'))`,
          [kioskId],
        )
      )?.at ?? null,
    findItem: async (id) => {
      const row = await db.get<ItemRow>(`${ITEM_SELECT} WHERE i.id = ?`, [id]);
      return row ? toItem(row) : null;
    },
    openLoanOfItem: async (itemId) => {
      const r = await db.get<LoanRow>(`${LOAN_SELECT} WHERE l.item_id = ? AND l.returned_at IS NULL`, [
        itemId,
      ]);
      return r ? toLoan(r) : null;
    },
    findLoan: async (loanId) => {
      const r = await db.get<LoanRow>(`${LOAN_SELECT} WHERE l.id = ?`, [loanId]);
      return r ? toLoan(r) : null;
    },
    countOpenLoansOf: async (userId) =>
      (await db.get<{ n: number }>(
        'SELECT COUNT(*) AS n FROM loans WHERE user_id = ? AND returned_at IS NULL',
        [userId],
      ))!.n,
    async insertLoan(l) {
      const id = newId('loan');
      await db.run(
        `INSERT INTO loans (id, item_id, user_id, kiosk_id, borrow_tx_id, borrowed_at, due_at, returned_at,
           return_tx_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          l.itemId,
          l.userId,
          l.kioskId,
          l.borrowTxId,
          l.borrowedAt,
          l.dueAt,
          l.returnedAt ?? null,
          l.returnTxId ?? null,
        ],
      );
      return id;
    },
    closeLoan: async (loanId, at, returnTxId) =>
      (
        await db.run(
          'UPDATE loans SET returned_at = ?, return_tx_id = ? WHERE id = ? AND returned_at IS NULL',
          [at, returnTxId, loanId],
        )
      ).changes === 1,
    renewLoan: async (loanId, dueAt) =>
      (
        await db.run(
          'UPDATE loans SET due_at = ?, renewals = renewals + 1 WHERE id = ? AND returned_at IS NULL',
          [dueAt, loanId],
        )
      ).changes === 1,
    latestItemEventAt: async (itemId) => {
      const r = await db.get<{ tx: number | null; staff: number | null }>(
        `SELECT (SELECT MAX(effective_at) FROM transactions WHERE item_id = ? AND status <> 'rejected' AND kind <> 'renew') AS tx,
                (SELECT MAX(returned_at) FROM loans WHERE item_id = ? AND return_tx_id IS NULL) AS staff`,
        [itemId, itemId],
      );
      const times = [r?.tx, r?.staff].filter((t): t is number => t !== null && t !== undefined).map(Number);
      return times.length ? Math.max(...times) : null;
    },
    itemTimeline: async (itemId) =>
      (
        await db.all<{
          id: string;
          kiosk_id: string;
          kind: TxKind;
          user_id: string;
          effective_at: number;
          status: RecordedTx['status'];
          code: string | null;
          loan_id: string | null;
        }>(
          `SELECT id, kiosk_id, kind, user_id, COALESCE(effective_at, occurred_at) AS effective_at, status, code, loan_id
           FROM transactions WHERE item_id = ? AND status <> 'rejected' AND kind <> 'renew'
           ORDER BY received_at, kiosk_id, seq`,
          [itemId],
        )
      ).map((r) => ({
        id: r.id,
        kioskId: r.kiosk_id,
        kind: r.kind,
        userId: r.user_id,
        effectiveAt: Number(r.effective_at),
        status: r.status,
        code: r.code as ErrorCode | null,
        loanId: r.loan_id,
      })),
    loansOfItem: async (itemId) =>
      (
        await db.all<{
          id: string;
          user_id: string;
          kiosk_id: string | null;
          borrow_tx_id: string;
          borrowed_at: number;
          due_at: number;
          returned_at: number | null;
          return_tx_id: string | null;
        }>(
          `SELECT id, user_id, kiosk_id, borrow_tx_id, borrowed_at, due_at, returned_at, return_tx_id
           FROM loans WHERE item_id = ? ORDER BY borrowed_at, id`,
          [itemId],
        )
      ).map((r) => ({
        id: r.id,
        userId: r.user_id,
        kioskId: r.kiosk_id,
        borrowTxId: r.borrow_tx_id,
        borrowedAt: Number(r.borrowed_at),
        dueAt: Number(r.due_at),
        returnedAt: r.returned_at === null ? null : Number(r.returned_at),
        returnTxId: r.return_tx_id,
      })),
    async setLoanEnd(loanId, returnedAt, returnTxId) {
      await db.run('UPDATE loans SET returned_at = ?, return_tx_id = ? WHERE id = ?', [
        returnedAt,
        returnTxId,
        loanId,
      ]);
    },
    async deleteLoan(loanId) {
      await db.run('DELETE FROM loans WHERE id = ?', [loanId]);
    },
    async setTxLoan(txId, loanId) {
      await db.run('UPDATE transactions SET loan_id = ? WHERE id = ?', [loanId, txId]);
    },
    async touchItem(itemId) {
      await db.run('UPDATE items SET version = ? WHERE id = ?', [await db.versionStamp(), itemId]);
    },
    async setItemCondition(c) {
      if (c.current !== false)
        await db.run(
          `UPDATE items SET condition = ?, condition_report = ?, condition_note = ?, condition_at = ?,
              condition_missing = ?, version = ?
            WHERE id = ?`,
          [
            c.condition,
            c.report,
            c.note,
            c.at,
            partsToColumn(c.missingParts),
            await db.versionStamp(),
            c.itemId,
          ],
        );
      await db.run(
        `INSERT INTO item_conditions (id, item_id, at, condition, report, note, missing_parts, by_kind, by_name, tx_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          newId('cnd'),
          c.itemId,
          c.at,
          c.condition,
          c.report,
          c.note,
          partsToColumn(c.missingParts),
          c.by.kind,
          c.by.name,
          c.txId,
        ],
      );
    },
    async itemConditions(itemId) {
      const rows = await db.all<{
        item_id: string;
        at: number | string;
        condition: ItemCondition;
        report: ReturnCondition | null;
        note: string | null;
        missing_parts: string | null;
        by_kind: 'kiosk' | 'user';
        by_name: string | null;
        kiosk_name: string | null;
        tx_id: string | null;
      }>(
        // A kiosk's report names the kiosk by id; people read its name.
        `SELECT c.item_id, c.at, c.condition, c.report, c.note, c.missing_parts, c.by_kind, c.by_name, c.tx_id,
                k.name AS kiosk_name
           FROM item_conditions c LEFT JOIN kiosks k ON c.by_kind = 'kiosk' AND k.id = c.by_name
          WHERE c.item_id = ? ORDER BY c.at DESC, c.id DESC`,
        [itemId],
      );
      return rows.map((r) => ({
        itemId: r.item_id,
        at: Number(r.at),
        condition: r.condition,
        report: r.report,
        note: r.note,
        missingParts: partsFromColumn(r.missing_parts),
        by: { kind: r.by_kind, name: r.kiosk_name ?? r.by_name },
        txId: r.tx_id,
      }));
    },
    async recordTx(t) {
      await db.run(
        `INSERT INTO transactions (id, kiosk_id, seq, kind, item_id, user_id, occurred_at, clock_trusted,
           received_at, effective_at, note, status, code, loan_id, offline_proof)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          t.id,
          t.kioskId,
          t.seq,
          t.kind,
          t.itemId,
          t.userId,
          t.occurredAt,
          t.clockTrusted ? 1 : 0,
          t.receivedAt,
          t.effectiveAt,
          t.note,
          t.status,
          t.code,
          t.loanId,
          t.offlineProof ?? null,
        ],
      );
    },
  };
}
