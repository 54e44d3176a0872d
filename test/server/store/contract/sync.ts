/**
 * Contract: the sync use case (server/sync/apply-batch.ts) over the port, and what the
 * dashboard reads of its outcome: loans, overview counts, recent activity, conflicts and
 * the merged audit log.
 */
import { describe, expect, it } from 'vitest';
import type { AdminLoanRow } from '../../../../server/store/admin-store.ts';
import type { OpenLoan } from '../../../../server/store/store.ts';
import { DAY, HOUR, MIN, SEC, T0, gear, id, row, sync, world, type StoreContext } from './fixtures.ts';

export function registerSyncContract(ctx: StoreContext): void {
  describe('sync through applySyncBatch', () => {
    it('applies a borrow with a new loan, and answers a duplicate id with the first result', async () => {
      const { store } = ctx;
      const { ann, cam, k1 } = await world(store);
      const borrow = row({
        id: 'tx-1',
        seq: 1,
        kind: 'borrow',
        itemId: cam.id,
        userId: ann.id,
        occurredAt: T0,
      });
      const [first] = await sync(store, k1.id, [borrow], T0 + MIN);
      expect(first).toEqual({ id: 'tx-1', status: 'applied', loanId: id('loan') });
      const loan: OpenLoan = {
        id: first!.loanId!,
        itemId: cam.id,
        itemName: 'Camera',
        userId: ann.id,
        userName: 'Ann',
        kioskId: k1.id,
        borrowedAt: T0,
        dueAt: T0 + 7 * DAY,
        returnedAt: null,
        renewals: 0,
      };
      expect(await store.loans({ status: 'all' })).toEqual([loan]);
      expect(await store.openLoansOf(ann.id)).toEqual([loan]);
      expect(await store.openLoanOfItem(cam.id)).toEqual(loan);
      expect(await store.countOpenLoansOf(ann.id)).toBe(1);
      expect(await store.findRecordedTx('tx-1')).toEqual({ status: 'applied', code: null, loanId: loan.id });
      expect(await store.findRecordedTx('tx-0')).toBeNull();

      // Sent again (the kiosk missed the answer), even with other fields: the first result.
      expect(await sync(store, k1.id, [{ ...borrow, occurredAt: T0 + HOUR }], T0 + 2 * MIN)).toEqual([
        { id: 'tx-1', status: 'duplicate', first: { status: 'applied', loanId: loan.id } },
      ]);
      expect(await store.loans({ status: 'all' })).toEqual([loan]);
      expect((await store.recentTransactions(10)).map((t) => [t.id, t.receivedAt])).toEqual([
        ['tx-1', T0 + MIN],
      ]);
    });

    it('closes the loan on a return by its holder', async () => {
      const { store } = ctx;
      const { ann, cam, k1, k2 } = await world(store);
      const [b] = await sync(
        store,
        k1.id,
        [row({ id: 'tx-1', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 })],
        T0 + MIN,
      );
      // Returned at another kiosk.
      const [r] = await sync(
        store,
        k2.id,
        [row({ id: 'tx-2', seq: 1, kind: 'return', itemId: cam.id, userId: ann.id, occurredAt: T0 + DAY })],
        T0 + DAY + MIN,
      );
      expect(r).toEqual({ id: 'tx-2', status: 'applied', loanId: b!.loanId });
      expect(await store.openLoansOf(ann.id)).toEqual([]);
      expect(await store.openLoanOfItem(cam.id)).toBeNull();
      expect(await store.loans({ status: 'returned' })).toEqual([
        {
          id: b!.loanId,
          itemId: cam.id,
          itemName: 'Camera',
          userId: ann.id,
          userName: 'Ann',
          kioskId: k1.id,
          borrowedAt: T0,
          dueAt: T0 + 7 * DAY,
          returnedAt: T0 + DAY,
          renewals: 0,
        },
      ]);
      expect(
        await sync(
          store,
          k2.id,
          [row({ id: 'tx-2', seq: 1, kind: 'return', itemId: cam.id, userId: ann.id, occurredAt: T0 })],
          T0 + 2 * DAY,
        ),
      ).toEqual([{ id: 'tx-2', status: 'duplicate', first: { status: 'applied', loanId: b!.loanId } }]);
    });

    it('moves an item on loan to whoever borrows it, as a conflict ITEM_UNAVAILABLE', async () => {
      const { store } = ctx;
      const { ann, bo, cam, k1, k2 } = await world(store);
      const [a] = await sync(
        store,
        k1.id,
        [row({ id: 'tx-1', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 })],
        T0 + MIN,
      );
      const [b] = await sync(
        store,
        k2.id,
        [row({ id: 'tx-2', seq: 1, kind: 'borrow', itemId: cam.id, userId: bo.id, occurredAt: T0 + HOUR })],
        T0 + HOUR,
      );
      expect(b).toEqual({ id: 'tx-2', status: 'conflict', code: 'ITEM_UNAVAILABLE', loanId: id('loan') });
      expect(b!.loanId).not.toBe(a!.loanId);
      expect(await store.loans({ status: 'all', itemId: cam.id })).toEqual([
        {
          id: b!.loanId,
          itemId: cam.id,
          itemName: 'Camera',
          userId: bo.id,
          userName: 'Bo',
          kioskId: k2.id,
          borrowedAt: T0 + HOUR,
          dueAt: T0 + HOUR + 7 * DAY,
          returnedAt: null,
          renewals: 0,
        },
        {
          id: a!.loanId,
          itemId: cam.id,
          itemName: 'Camera',
          userId: ann.id,
          userName: 'Ann',
          kioskId: k1.id,
          borrowedAt: T0,
          dueAt: T0 + 7 * DAY,
          returnedAt: T0 + HOUR,
          renewals: 0,
        },
      ]);
      expect(
        await sync(
          store,
          k2.id,
          [row({ id: 'tx-2', seq: 1, kind: 'borrow', itemId: cam.id, userId: bo.id, occurredAt: T0 })],
          T0 + DAY,
        ),
      ).toEqual([
        {
          id: 'tx-2',
          status: 'duplicate',
          first: { status: 'conflict', code: 'ITEM_UNAVAILABLE', loanId: b!.loanId },
        },
      ]);
      // Borrowing what one already holds changes nothing.
      expect(
        await sync(
          store,
          k2.id,
          [
            row({
              id: 'tx-3',
              seq: 2,
              kind: 'borrow',
              itemId: cam.id,
              userId: bo.id,
              occurredAt: T0 + 2 * HOUR,
            }),
          ],
          T0 + 2 * HOUR,
        ),
      ).toEqual([{ id: 'tx-3', status: 'applied', loanId: b!.loanId }]);
      expect(await store.loans({ status: 'all', itemId: cam.id })).toHaveLength(2);
    });

    it('closes the loan on a return by someone else (RETURNED_BY_OTHER), and flags a return without a loan (ITEM_NOT_ON_LOAN)', async () => {
      const { store } = ctx;
      const { ann, bo, cam, tri, k1 } = await world(store);
      const results = await sync(
        store,
        k1.id,
        [
          row({ id: 'tx-1', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 }),
          row({ id: 'tx-2', seq: 2, kind: 'return', itemId: cam.id, userId: bo.id, occurredAt: T0 + HOUR }),
          row({ id: 'tx-3', seq: 3, kind: 'return', itemId: tri.id, userId: bo.id, occurredAt: T0 + HOUR }),
          row({
            id: 'tx-4',
            seq: 4,
            kind: 'return',
            itemId: cam.id,
            userId: ann.id,
            occurredAt: T0 + 2 * HOUR,
          }),
        ],
        T0 + 3 * HOUR,
      );
      const loanId = results[0]!.loanId!;
      expect(results).toEqual([
        { id: 'tx-1', status: 'applied', loanId },
        { id: 'tx-2', status: 'conflict', code: 'RETURNED_BY_OTHER', loanId },
        { id: 'tx-3', status: 'conflict', code: 'ITEM_NOT_ON_LOAN' },
        { id: 'tx-4', status: 'conflict', code: 'ITEM_NOT_ON_LOAN' },
      ]);
      expect(await store.loans({ status: 'all' })).toEqual([
        expect.objectContaining({ id: loanId, userId: ann.id, returnedAt: T0 + HOUR }),
      ]);
      expect(await store.findRecordedTx('tx-3')).toEqual({
        status: 'conflict',
        code: 'ITEM_NOT_ON_LOAN',
        loanId: null,
      });
      expect(
        await sync(
          store,
          k1.id,
          [row({ id: 'tx-3', seq: 3, kind: 'return', itemId: tri.id, userId: bo.id, occurredAt: T0 })],
          T0 + DAY,
        ),
      ).toEqual([
        { id: 'tx-3', status: 'duplicate', first: { status: 'conflict', code: 'ITEM_NOT_ON_LOAN' } },
      ]);
    });

    it('rejects unknown items and people and failed authentication, changing nothing', async () => {
      const { store } = ctx;
      const { ann, cam, k1 } = await world(store);
      const results = await sync(
        store,
        k1.id,
        [
          row({ id: 'tx-1', seq: 1, kind: 'borrow', itemId: 'itm_gone', userId: ann.id, occurredAt: T0 }),
          row({
            id: 'tx-2',
            seq: 2,
            kind: 'borrow',
            itemId: cam.id,
            userId: 'usr_gone',
            occurredAt: T0 + SEC,
          }),
          row({
            id: 'tx-3',
            seq: 3,
            kind: 'borrow',
            itemId: cam.id,
            userId: ann.id,
            occurredAt: T0 + 2 * SEC,
            authError: 'TOKEN_EXPIRED',
          }),
          row({
            id: 'tx-4',
            seq: 4,
            kind: 'return',
            itemId: cam.id,
            userId: ann.id,
            occurredAt: T0 + 3 * SEC,
            authError: 'TOKEN_INVALID',
          }),
        ],
        T0 + MIN,
      );
      expect(results).toEqual([
        { id: 'tx-1', status: 'rejected', code: 'ITEM_UNKNOWN' },
        { id: 'tx-2', status: 'rejected', code: 'USER_UNKNOWN' },
        { id: 'tx-3', status: 'rejected', code: 'TOKEN_EXPIRED' },
        { id: 'tx-4', status: 'rejected', code: 'TOKEN_INVALID' },
      ]);
      expect(await store.loans({ status: 'all' })).toEqual([]);
      expect(await store.findItem(cam.id)).toEqual(cam); // not even a new version
      expect(
        await sync(
          store,
          k1.id,
          [row({ id: 'tx-3', seq: 3, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 })],
          T0 + DAY,
        ),
      ).toEqual([{ id: 'tx-3', status: 'duplicate', first: { status: 'rejected', code: 'TOKEN_EXPIRED' } }]);
      expect((await store.recentTransactions(10)).map((t) => [t.id, t.status, t.code])).toEqual([
        ['tx-4', 'rejected', 'TOKEN_INVALID'],
        ['tx-3', 'rejected', 'TOKEN_EXPIRED'],
        ['tx-2', 'rejected', 'USER_UNKNOWN'],
        ['tx-1', 'rejected', 'ITEM_UNKNOWN'],
      ]);
    });

    it('lends past the loan limit but flags it LOAN_LIMIT_REACHED', async () => {
      const { store } = ctx;
      const { ann, cam, tri, mic, k1 } = await world(store);
      const results = await sync(
        store,
        k1.id,
        [
          row({ id: 'tx-1', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 }),
          row({ id: 'tx-2', seq: 2, kind: 'borrow', itemId: tri.id, userId: ann.id, occurredAt: T0 + MIN }),
          row({
            id: 'tx-3',
            seq: 3,
            kind: 'borrow',
            itemId: mic.id,
            userId: ann.id,
            occurredAt: T0 + 2 * MIN,
          }),
        ],
        T0 + HOUR,
        2,
      );
      expect(results).toEqual([
        { id: 'tx-1', status: 'applied', loanId: id('loan') },
        { id: 'tx-2', status: 'applied', loanId: id('loan') },
        { id: 'tx-3', status: 'conflict', code: 'LOAN_LIMIT_REACHED', loanId: id('loan') },
      ]);
      expect((await store.openLoansOf(ann.id)).map((l) => [l.itemName, l.id])).toEqual([
        ['Camera', results[0]!.loanId],
        ['Tripod', results[1]!.loanId],
        ['Microphone', results[2]!.loanId],
      ]);
    });

    it('applies rows in seq order whatever order they arrive in', async () => {
      const { store } = ctx;
      const { ann, bo, cam, k1 } = await world(store);
      const results = await sync(
        store,
        k1.id,
        [
          row({
            id: 'tx-c',
            seq: 3,
            kind: 'borrow',
            itemId: cam.id,
            userId: bo.id,
            occurredAt: T0 + 2 * MIN,
          }),
          row({ id: 'tx-a', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 }),
          row({ id: 'tx-b', seq: 2, kind: 'return', itemId: cam.id, userId: ann.id, occurredAt: T0 + MIN }),
        ],
        T0 + HOUR,
      );
      expect(results.map((r) => [r.id, r.status, r.code ?? null])).toEqual([
        ['tx-a', 'applied', null],
        ['tx-b', 'applied', null],
        ['tx-c', 'applied', null],
      ]);
      expect(results[1]!.loanId).toBe(results[0]!.loanId);
      expect(
        (await store.loans({ status: 'all' })).map((l) => [l.userName, l.borrowedAt, l.returnedAt]),
      ).toEqual([
        ['Bo', T0 + 2 * MIN, null],
        ['Ann', T0, T0 + MIN],
      ]);
    });

    it('places a row from an untrusted clock after the kiosk’s last trusted row, and never after now', async () => {
      const { store } = ctx;
      const { ann, bo, cam, tri, mic, k1, k2 } = await world(store);
      const bag = await gear(store, 'BAG-1', { name: 'Bag', loanDays: 1 });
      const now = T0 + HOUR;
      const results = await sync(
        store,
        k1.id,
        [
          row({
            id: 'tx-1',
            seq: 1,
            kind: 'borrow',
            itemId: cam.id,
            userId: ann.id,
            occurredAt: T0 + 10 * MIN,
          }),
          // an untrusted time before the floor: moved up to it
          row({
            id: 'tx-2',
            seq: 2,
            kind: 'borrow',
            itemId: tri.id,
            userId: ann.id,
            occurredAt: T0 - DAY,
            clockTrusted: false,
          }),
          // between the floor and now: kept
          row({
            id: 'tx-3',
            seq: 3,
            kind: 'borrow',
            itemId: mic.id,
            userId: ann.id,
            occurredAt: T0 + 30 * MIN,
            clockTrusted: false,
          }),
          // in the future: now
          row({
            id: 'tx-4',
            seq: 4,
            kind: 'return',
            itemId: cam.id,
            userId: ann.id,
            occurredAt: T0 + 5 * HOUR,
            clockTrusted: false,
          }),
        ],
        now,
      );
      expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
      const times = async () =>
        Object.fromEntries(
          (await store.loans({ status: 'all' })).map((l) => [
            l.itemName,
            [l.borrowedAt, l.dueAt, l.returnedAt],
          ]),
        );
      expect(await times()).toEqual({
        Camera: [T0 + 10 * MIN, T0 + 10 * MIN + 7 * DAY, now],
        Tripod: [T0 + 10 * MIN, T0 + 10 * MIN + 2 * DAY, null],
        Microphone: [T0 + 30 * MIN, T0 + 30 * MIN + 14 * DAY, null],
      });
      // The floor holds across batches; another kiosk's trusted rows do not floor this one,
      // and a trusted time in the future is now too.
      await sync(
        store,
        k1.id,
        [
          row({
            id: 'tx-5',
            seq: 5,
            kind: 'return',
            itemId: tri.id,
            userId: ann.id,
            occurredAt: T0,
            clockTrusted: false,
          }),
        ],
        T0 + 2 * HOUR,
      );
      await sync(
        store,
        k2.id,
        [
          row({
            id: 'tx-6',
            seq: 1,
            kind: 'borrow',
            itemId: bag.id,
            userId: bo.id,
            occurredAt: T0 - DAY,
            clockTrusted: false,
          }),
          row({
            id: 'tx-7',
            seq: 2,
            kind: 'return',
            itemId: mic.id,
            userId: ann.id,
            occurredAt: T0 + 9 * HOUR,
          }),
        ],
        T0 + 3 * HOUR,
      );
      expect(await times()).toEqual({
        Camera: [T0 + 10 * MIN, T0 + 10 * MIN + 7 * DAY, now],
        Tripod: [T0 + 10 * MIN, T0 + 10 * MIN + 2 * DAY, T0 + 10 * MIN],
        Microphone: [T0 + 30 * MIN, T0 + 30 * MIN + 14 * DAY, T0 + 3 * HOUR],
        Bag: [T0 - DAY, T0, null],
      });
      expect(await store.lastTrustedAt(k1.id)).toBe(T0 + 10 * MIN);
      expect(await store.lastTrustedAt(k2.id)).toBe(T0 + 9 * HOUR);
      expect(await store.lastTrustedAt('ksk_nothing')).toBeNull();
      // The transaction keeps the time the kiosk sent.
      const sent = Object.fromEntries(
        (await store.recentTransactions(10)).map((t) => [t.id, [t.occurredAt, t.clockTrusted]]),
      );
      expect(sent).toEqual({
        'tx-1': [T0 + 10 * MIN, true],
        'tx-2': [T0 - DAY, false],
        'tx-3': [T0 + 30 * MIN, false],
        'tx-4': [T0 + 5 * HOUR, false],
        'tx-5': [T0, false],
        'tx-6': [T0 - DAY, false],
        'tx-7': [T0 + 9 * HOUR, true],
      });
    });
  });

  describe('loans, activity and conflicts for the dashboard', () => {
    /**
     * L1 Ann Camera  k1 T0        due T0+7d       returned T0+1d
     * L2 Ann Tripod  k1 T0+1h     due T0+1h+2d    open (overdue at T0+4d)
     * L3 Bo  Mic     k2 T0+2h     due T0+2h+14d   open
     * L4 Bo  Camera  k2 T0+2d     due T0+9d       open
     * and one rejected borrow (k2, T0+3d).
     */
    const lending = async () => {
      const { store } = ctx;
      const w = await world(store);
      const { ann, bo, cam, tri, mic, k1, k2 } = w;
      const one = async (kioskId: string, r: Parameters<typeof row>[0], now: number) =>
        (await sync(store, kioskId, [row(r)], now))[0]!;
      const l1 = await one(
        k1.id,
        { id: 'tx-1', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 },
        T0 + MIN,
      );
      const l2 = await one(
        k1.id,
        { id: 'tx-2', seq: 2, kind: 'borrow', itemId: tri.id, userId: ann.id, occurredAt: T0 + HOUR },
        T0 + HOUR + MIN,
      );
      const l3 = await one(
        k2.id,
        { id: 'tx-3', seq: 1, kind: 'borrow', itemId: mic.id, userId: bo.id, occurredAt: T0 + 2 * HOUR },
        T0 + 2 * HOUR + MIN,
      );
      await one(
        k1.id,
        { id: 'tx-4', seq: 3, kind: 'return', itemId: cam.id, userId: ann.id, occurredAt: T0 + DAY },
        T0 + DAY + MIN,
      );
      const l4 = await one(
        k2.id,
        {
          id: 'tx-5',
          seq: 2,
          kind: 'borrow',
          itemId: cam.id,
          userId: bo.id,
          occurredAt: T0 + 2 * DAY,
          note: 'lens cap missing',
        },
        T0 + 2 * DAY + MIN,
      );
      await one(
        k2.id,
        { id: 'tx-6', seq: 3, kind: 'borrow', itemId: 'itm_gone', userId: bo.id, occurredAt: T0 + 3 * DAY },
        T0 + 3 * DAY,
      );
      const loan = (
        l: { loanId?: string },
        item: { id: string; name: string; tag: string },
        user: { id: string; displayName: string },
        k: { id: string; name: string },
        borrowedAt: number,
        dueAt: number,
        returnedAt: number | null,
      ): AdminLoanRow => ({
        id: l.loanId!,
        itemId: item.id,
        itemName: item.name,
        itemTag: item.tag,
        userId: user.id,
        userName: user.displayName,
        kioskId: k.id,
        kioskName: k.name,
        borrowedAt,
        dueAt,
        returnedAt,
        returnNote: null,
        returnReport: null,
        returnMissingParts: null,
      });
      return {
        ...w,
        L1: loan(l1, cam, ann, k1, T0, T0 + 7 * DAY, T0 + DAY),
        L2: loan(l2, tri, ann, k1, T0 + HOUR, T0 + HOUR + 2 * DAY, null),
        L3: loan(l3, mic, bo, k2, T0 + 2 * HOUR, T0 + 2 * HOUR + 14 * DAY, null),
        L4: loan(l4, cam, bo, k2, T0 + 2 * DAY, T0 + 9 * DAY, null),
      };
    };
    const open = ({
      itemTag: _t,
      kioskName: _k,
      returnNote: _n,
      returnReport: _r,
      returnMissingParts: _m,
      ...l
    }: AdminLoanRow): OpenLoan => ({ ...l, renewals: 0 });

    it('lists loans by status, person and item; open loans of a person oldest first', async () => {
      const { store } = ctx;
      const { ann, bo, cam, L1, L2, L3, L4 } = await lending();
      expect(await store.loans({ status: 'all' })).toEqual([L4, L3, L2, L1].map(open));
      expect(await store.loans({ status: 'open' })).toEqual([L4, L3, L2].map(open));
      expect(await store.loans({ status: 'returned' })).toEqual([L1].map(open));
      expect(await store.loans({ status: 'all', userId: ann.id })).toEqual([L2, L1].map(open));
      expect(await store.loans({ status: 'all', itemId: cam.id })).toEqual([L4, L1].map(open));
      expect(await store.loans({ status: 'open', userId: bo.id })).toEqual([L4, L3].map(open));
      expect(await store.loans({ status: 'returned', userId: bo.id })).toEqual([]);
      expect(await store.openLoansOf(bo.id)).toEqual([L3, L4].map(open));
      expect(await store.openLoansOf(ann.id)).toEqual([L2].map(open));
      expect(await store.openLoansOf('usr_nobody')).toEqual([]);
    });

    it('filters admin loans: open, overdue, returned, person, item, kiosk, time window and limit', async () => {
      const { store } = ctx;
      const { ann, bo, cam, mic, k1, k2, L1, L2, L3, L4 } = await lending();
      const now = T0 + 4 * DAY;
      expect(await store.adminLoans({ status: 'all', now })).toEqual([L4, L3, L2, L1]);
      expect(await store.adminLoans({ status: 'open', now })).toEqual([L4, L3, L2]);
      expect(await store.adminLoans({ status: 'overdue', now })).toEqual([L2]);
      expect(await store.adminLoans({ status: 'overdue', now: T0 + 10 * DAY })).toEqual([L4, L2]);
      expect(await store.adminLoans({ status: 'overdue', now: T0 + 9 * DAY })).toEqual([L2]); // due at is not overdue
      expect(await store.adminLoans({ status: 'returned', now })).toEqual([L1]);
      expect(await store.adminLoans({ status: 'all', now, userId: ann.id })).toEqual([L2, L1]);
      expect(await store.adminLoans({ status: 'open', now, userId: bo.id })).toEqual([L4, L3]);
      expect(await store.adminLoans({ status: 'all', now, itemId: cam.id })).toEqual([L4, L1]);
      expect(await store.adminLoans({ status: 'all', now, itemId: mic.id, userId: ann.id })).toEqual([]);
      expect(await store.adminLoans({ status: 'all', now, kioskId: k1.id })).toEqual([L2, L1]);
      expect(await store.adminLoans({ status: 'open', now, kioskId: k2.id })).toEqual([L4, L3]);
      // from inclusive, to exclusive
      expect(await store.adminLoans({ status: 'all', now, from: T0 + HOUR, to: T0 + 2 * DAY })).toEqual([
        L3,
        L2,
      ]);
      expect(await store.adminLoans({ status: 'all', now, from: T0 + 2 * DAY })).toEqual([L4]);
      expect(await store.adminLoans({ status: 'all', now, to: T0 + HOUR })).toEqual([L1]);
      expect(await store.adminLoans({ status: 'all', now, limit: 2 })).toEqual([L4, L3]);
      expect(await store.adminLoans({ status: 'open', now, limit: 1, kioskId: k2.id })).toEqual([L4]);

      expect(await store.findAdminLoan(L3.id)).toEqual(L3);
      expect(await store.findAdminLoan('loan_nothing')).toBeNull();
    });

    it('closes a loan by hand once', async () => {
      const { store } = ctx;
      const { L2 } = await lending();
      expect(await store.closeLoanManually(L2.id, T0 + 5 * DAY)).toBe(true);
      expect(await store.closeLoanManually(L2.id, T0 + 6 * DAY)).toBe(false);
      expect(await store.closeLoanManually('loan_nothing', T0)).toBe(false);
      expect(await store.findAdminLoan(L2.id)).toEqual({ ...L2, returnedAt: T0 + 5 * DAY });
      expect(await store.findItem(L2.itemId)).toMatchObject({ onLoan: false });
    });

    it('counts the overview', async () => {
      const { store } = ctx;
      const { mic } = await lending();
      await gear(store, 'OLD-1');
      const old = await gear(store, 'OLD-2');
      await store.updateItem(old.id, { retired: true });
      expect(await store.overviewCounts(T0 + 4 * DAY, T0 + HOUR)).toEqual({
        itemsOut: 3,
        itemsTotal: 4,
        overdue: 1,
        conflictsOpen: 1,
        needsAttention: 0,
        borrowsSince: 3,
        returnsSince: 1,
      });
      await store.updateItem(mic.id, { retired: true });
      expect(await store.overviewCounts(T0 + 30 * DAY, T0 + 2 * DAY)).toEqual({
        itemsOut: 3,
        itemsTotal: 3,
        overdue: 3,
        conflictsOpen: 1,
        needsAttention: 0,
        borrowsSince: 1,
        returnsSince: 0,
      });
    });

    it('lists recent transactions newest first, with names', async () => {
      const { store } = ctx;
      const { ann, bo, cam, k1, k2, L1 } = await lending();
      // A return's report rides with its transaction (the overview shows it) and its loan.
      await store.setItemCondition({
        itemId: cam.id,
        at: T0 + DAY,
        condition: 'needs_check',
        report: 'incomplete',
        note: null,
        missingParts: ['lens cap'],
        by: { kind: 'kiosk', name: k1.id },
        txId: 'tx-4',
      });
      expect(await store.findAdminLoan(L1.id)).toEqual({
        ...L1,
        returnReport: 'incomplete',
        returnMissingParts: ['lens cap'],
      });
      const recent = await store.recentTransactions(3);
      expect(recent).toEqual([
        {
          id: 'tx-6',
          kind: 'borrow',
          status: 'rejected',
          code: 'ITEM_UNKNOWN',
          itemId: 'itm_gone',
          itemName: null,
          userId: bo.id,
          userName: 'Bo',
          kioskId: k2.id,
          kioskName: 'Workshop',
          occurredAt: T0 + 3 * DAY,
          receivedAt: T0 + 3 * DAY,
          clockTrusted: true,
          note: null,
          report: null,
          missingParts: null,
        },
        {
          id: 'tx-5',
          kind: 'borrow',
          status: 'applied',
          code: null,
          itemId: cam.id,
          itemName: 'Camera',
          userId: bo.id,
          userName: 'Bo',
          kioskId: k2.id,
          kioskName: 'Workshop',
          occurredAt: T0 + 2 * DAY,
          receivedAt: T0 + 2 * DAY + MIN,
          clockTrusted: true,
          note: 'lens cap missing',
          report: null,
          missingParts: null,
        },
        {
          id: 'tx-4',
          kind: 'return',
          status: 'applied',
          code: null,
          itemId: cam.id,
          itemName: 'Camera',
          userId: ann.id,
          userName: 'Ann',
          kioskId: k1.id,
          kioskName: 'Front desk',
          occurredAt: T0 + DAY,
          receivedAt: T0 + DAY + MIN,
          clockTrusted: true,
          note: null,
          report: 'incomplete',
          missingParts: ['lens cap'],
        },
      ]);
      expect((await store.recentTransactions(100)).map((t) => t.id)).toEqual([
        'tx-6',
        'tx-5',
        'tx-4',
        'tx-3',
        'tx-2',
        'tx-1',
      ]);
      // Same receipt time: the later occurrence first.
      await sync(
        store,
        k1.id,
        [
          row({
            id: 'tx-8',
            seq: 5,
            kind: 'borrow',
            itemId: cam.id,
            userId: ann.id,
            occurredAt: T0 + 5 * DAY,
          }),
          row({
            id: 'tx-7',
            seq: 4,
            kind: 'return',
            itemId: cam.id,
            userId: bo.id,
            occurredAt: T0 + 4 * DAY,
          }),
        ],
        T0 + 6 * DAY,
      );
      expect((await store.recentTransactions(3)).map((t) => t.id)).toEqual(['tx-8', 'tx-7', 'tx-6']);
    });

    it('lists conflicts with the transaction each collided with, and resolves each once', async () => {
      const { store } = ctx;
      const { ann, bo, cam, tri, k1, k2 } = await world(store);
      const one = async (kioskId: string, r: Parameters<typeof row>[0], now: number) =>
        (await sync(store, kioskId, [row(r)], now))[0]!;
      await one(
        k1.id,
        { id: 'c1', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 },
        T0 + MIN,
      );
      await one(
        k2.id,
        { id: 'c2', seq: 1, kind: 'borrow', itemId: cam.id, userId: bo.id, occurredAt: T0 + MIN },
        T0 + 2 * MIN,
      );
      await one(
        k1.id,
        { id: 'c3', seq: 2, kind: 'return', itemId: cam.id, userId: ann.id, occurredAt: T0 + 2 * MIN },
        T0 + 3 * MIN,
      );
      await one(
        k1.id,
        { id: 'c4', seq: 3, kind: 'return', itemId: cam.id, userId: ann.id, occurredAt: T0 + 3 * MIN },
        T0 + 4 * MIN,
      );
      await one(
        k2.id,
        {
          id: 'c5',
          seq: 2,
          kind: 'borrow',
          itemId: tri.id,
          userId: bo.id,
          occurredAt: T0 + 4 * MIN,
          authError: 'TOKEN_EXPIRED',
        },
        T0 + 5 * MIN,
      );
      const tx = (
        txId: string,
        kind: 'borrow' | 'return',
        status: 'applied' | 'conflict' | 'rejected',
        code: string | null,
        item: { id: string; name: string },
        user: { id: string; displayName: string },
        k: { id: string; name: string },
        occurredAt: number,
        receivedAt: number,
      ) => ({
        id: txId,
        kind,
        status,
        code,
        itemId: item.id,
        itemName: item.name,
        userId: user.id,
        userName: user.displayName,
        kioskId: k.id,
        kioskName: k.name,
        occurredAt,
        receivedAt,
        clockTrusted: true,
        note: null,
        report: null,
        missingParts: null,
      });
      const c1 = tx('c1', 'borrow', 'applied', null, cam, ann, k1, T0, T0 + MIN);
      const c2 = tx('c2', 'borrow', 'conflict', 'ITEM_UNAVAILABLE', cam, bo, k2, T0 + MIN, T0 + 2 * MIN);
      const c3 = tx(
        'c3',
        'return',
        'conflict',
        'RETURNED_BY_OTHER',
        cam,
        ann,
        k1,
        T0 + 2 * MIN,
        T0 + 3 * MIN,
      );
      const c4 = tx('c4', 'return', 'conflict', 'ITEM_NOT_ON_LOAN', cam, ann, k1, T0 + 3 * MIN, T0 + 4 * MIN);
      const c5 = tx('c5', 'borrow', 'rejected', 'TOKEN_EXPIRED', tri, bo, k2, T0 + 4 * MIN, T0 + 5 * MIN);
      const unresolved = { resolvedAt: null, resolvedBy: null, resolution: null };
      const rows = {
        // the borrow whose loan it closed
        c2: { ...c2, other: c1, ...unresolved },
        c3: { ...c3, other: c2, ...unresolved },
        // else the item's previous transaction
        c4: { ...c4, other: c3, ...unresolved },
        c5: { ...c5, other: null, ...unresolved },
      };
      expect(await store.conflicts('open')).toEqual([rows.c5, rows.c4, rows.c3, rows.c2]);
      expect(await store.conflicts('all')).toEqual([rows.c5, rows.c4, rows.c3, rows.c2]);
      expect(await store.conflicts('resolved')).toEqual([]);
      expect(await store.findConflict('c3')).toEqual(rows.c3);
      expect(await store.findConflict('c1')).toBeNull(); // applied: not a conflict
      expect(await store.findConflict('nothing')).toBeNull();

      expect(await store.resolveConflict('c3', 'usr_admin', 'spoke to Ann', T0 + HOUR)).toBe(true);
      expect(await store.resolveConflict('c3', 'usr_other', 'again', T0 + 2 * HOUR)).toBe(false);
      expect(await store.resolveConflict('c1', 'usr_admin', 'applied', T0 + HOUR)).toBe(false);
      expect(await store.resolveConflict('nothing', 'usr_admin', 'x', T0 + HOUR)).toBe(false);
      const resolved = {
        ...rows.c3,
        resolvedAt: T0 + HOUR,
        resolvedBy: 'usr_admin',
        resolution: 'spoke to Ann',
      };
      expect(await store.conflicts('resolved')).toEqual([resolved]);
      expect(await store.conflicts('open')).toEqual([rows.c5, rows.c4, rows.c2]);
      expect(await store.conflicts('all')).toEqual([rows.c5, rows.c4, resolved, rows.c2]);
      expect(await store.findConflict('c3')).toEqual(resolved);
      expect((await store.overviewCounts(T0, T0)).conflictsOpen).toBe(3);
    });

    it('merges the audit log with kiosk transactions, newest first, and pages it with `before`', async () => {
      const { store } = ctx;
      const { ann, bo, cam, k1, k2 } = await world(store);
      const admin = { kind: 'user' as const, id: 'usr_admin', name: 'Admin', via: 'ses_1' };
      await store.audit(
        { actor: admin, action: 'item.create', targetKind: 'item', targetId: cam.id, detail: 'Camera' },
        T0,
      );
      await store.audit(
        { actor: { kind: 'system', id: null, name: null, via: null }, action: 'keys.rotate' },
        T0,
      );
      await sync(
        store,
        k1.id,
        [row({ id: 'tx-1', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 })],
        T0,
      );
      await store.audit(
        { actor: admin, action: 'person.update', targetKind: 'user', targetId: bo.id },
        T0 + MIN,
      );
      await sync(
        store,
        k2.id,
        [row({ id: 'tx-2', seq: 1, kind: 'borrow', itemId: cam.id, userId: bo.id, occurredAt: T0 + MIN })],
        T0 + MIN,
      );
      await sync(
        store,
        k2.id,
        [
          row({
            id: 'tx-3',
            seq: 2,
            kind: 'return',
            itemId: 'itm_gone',
            userId: bo.id,
            occurredAt: T0 + MIN,
          }),
        ],
        T0 + 2 * MIN,
      );

      const p = (n: number, w: number) => String(n).padStart(w, '0');
      const log = await store.auditLog({ limit: 100 });
      expect(log).toEqual([
        {
          key: `${p(T0 + 2 * MIN, 15)}:ttx-3`,
          at: T0 + 2 * MIN,
          actorKind: 'kiosk',
          actorId: k2.id,
          actorName: 'Workshop',
          via: `kiosk:${k2.id}`,
          action: 'tx.return',
          targetKind: 'item',
          targetId: 'itm_gone',
          detail: 'rejected ITEM_UNKNOWN · itm_gone · Bo',
        },
        {
          key: `${p(T0 + MIN, 15)}:ttx-2`,
          at: T0 + MIN,
          actorKind: 'kiosk',
          actorId: k2.id,
          actorName: 'Workshop',
          via: `kiosk:${k2.id}`,
          action: 'tx.borrow',
          targetKind: 'item',
          targetId: cam.id,
          detail: 'conflict ITEM_UNAVAILABLE · Camera · Bo',
        },
        {
          key: `${p(T0 + MIN, 15)}:a${p(3, 12)}`,
          at: T0 + MIN,
          actorKind: 'user',
          actorId: 'usr_admin',
          actorName: 'Admin',
          via: 'ses_1',
          action: 'person.update',
          targetKind: 'user',
          targetId: bo.id,
          detail: null,
        },
        {
          key: `${p(T0, 15)}:ttx-1`,
          at: T0,
          actorKind: 'kiosk',
          actorId: k1.id,
          actorName: 'Front desk',
          via: `kiosk:${k1.id}`,
          action: 'tx.borrow',
          targetKind: 'item',
          targetId: cam.id,
          detail: 'applied · Camera · Ann',
        },
        {
          key: `${p(T0, 15)}:a${p(2, 12)}`,
          at: T0,
          actorKind: 'system',
          actorId: null,
          actorName: null,
          via: null,
          action: 'keys.rotate',
          targetKind: null,
          targetId: null,
          detail: null,
        },
        {
          key: `${p(T0, 15)}:a${p(1, 12)}`,
          at: T0,
          actorKind: 'user',
          actorId: 'usr_admin',
          actorName: 'Admin',
          via: 'ses_1',
          action: 'item.create',
          targetKind: 'item',
          targetId: cam.id,
          detail: 'Camera',
        },
      ]);
      expect(await store.auditLog({ limit: 2 })).toEqual(log.slice(0, 2));
      expect(await store.auditLog({ before: log[1]!.key, limit: 3 })).toEqual(log.slice(2, 5));
      expect(await store.auditLog({ before: log[5]!.key, limit: 3 })).toEqual([]);
    });

    it('pages a long audit log without losing or repeating a row', async () => {
      const { store } = ctx;
      const { ann, cam, k1 } = await world(store);
      const actor = { kind: 'user' as const, id: 'usr_admin', name: 'Admin', via: null };
      let seq = 0;
      for (let i = 0; i < 12; i++) {
        const at = T0 + Math.floor(i / 3) * SEC; // three rows share each millisecond
        await store.audit({ actor, action: `edit.${i}` }, at);
        if (i % 2 === 0) {
          seq++;
          await sync(
            store,
            k1.id,
            [
              row({
                id: `tx-${String(seq).padStart(2, '0')}`,
                seq,
                kind: seq % 2 ? 'borrow' : 'return',
                itemId: cam.id,
                userId: ann.id,
                occurredAt: at,
              }),
            ],
            at,
          );
        }
      }
      const all = await store.auditLog({ limit: 1000 });
      expect(all).toHaveLength(18);
      const keys = all.map((r) => r.key);
      expect(new Set(keys).size).toBe(18);
      expect(keys).toEqual([...keys].sort().reverse());
      expect(all.map((r) => r.at)).toEqual([...all.map((r) => r.at)].sort((a, b) => b - a));
      for (const size of [1, 4, 5, 7]) {
        const paged: string[] = [];
        let before: string | undefined;
        for (;;) {
          const page = await store.auditLog({ ...(before ? { before } : {}), limit: size });
          expect(page.length).toBeLessThanOrEqual(size);
          if (page.length === 0) break;
          paged.push(...page.map((r) => r.key));
          before = page[page.length - 1]!.key;
        }
        expect(paged).toEqual(keys);
      }
    });
  });
}
