/**
 * Contract: what concurrent callers see. On SQLite one connection runs one transaction at a
 * time; on PostgreSQL transactions run at once on a pool, SERIALIZABLE and retried. Either
 * way each outcome must be one some serial order could give.
 */
import { describe, expect, it } from 'vitest';
import type { TxResult } from '../../../../protocol/index.ts';
import { rotateRefresh } from '../../../../server/auth/refresh-rotation.ts';
import { DAY, HOUR, MIN, T0, hash, person, row, sync, world, type StoreContext } from './fixtures.ts';

const count = <T extends string>(values: T[]) =>
  values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});

export function registerConcurrencyContract(ctx: StoreContext): void {
  describe('concurrency', () => {
    it('20 batches from two kiosks racing for one item: one open loan, every row recorded once', async () => {
      const { store } = ctx;
      const { cam, k1, k2 } = await world(store);
      const people = [];
      for (let i = 0; i < 20; i++) people.push(await person(store, `Racer ${String(i).padStart(2, '0')}`));
      const results = await Promise.all(
        people.map((p, i) => {
          const k = i % 2 === 0 ? k1 : k2;
          const seq = Math.floor(i / 2) + 1;
          return sync(
            store,
            k.id,
            [
              row({
                id: `race-${i}`,
                seq,
                kind: 'borrow',
                itemId: cam.id,
                userId: p.id,
                occurredAt: T0 + i * MIN,
              }),
            ],
            T0 + HOUR,
          );
        }),
      );
      const flat = results.flat();
      expect(flat).toHaveLength(20);
      // Each kiosk's rows go in its own order, each later in time than the one before. A row
      // earlier in time than every row applied before it is placed before them on the item's
      // timeline, where the item was free: applied too. That happens only to the first row of
      // each kiosk (kiosk B's first row may be applied before kiosk A's earlier one arrives), so
      // one or two rows are applied, the earliest of all always, and the rest are conflicts.
      const outcomes = count(flat.map((r) => `${r.status}:${r.code ?? ''}`));
      const appliedRows = flat.filter((r) => r.status === 'applied');
      expect([1, 2]).toContain(appliedRows.length);
      expect(outcomes).toEqual({
        'applied:': appliedRows.length,
        'conflict:ITEM_UNAVAILABLE': 20 - appliedRows.length,
      });
      expect(flat[0]).toMatchObject({ id: 'race-0', status: 'applied' });
      expect(appliedRows.every((r) => r.id === 'race-0' || r.id === 'race-1')).toBe(true);
      expect(new Set(flat.map((r) => r.loanId)).size).toBe(20);

      const open = await store.loans({ status: 'open', itemId: cam.id });
      expect(open).toHaveLength(1);
      expect(await store.loans({ status: 'returned', itemId: cam.id })).toHaveLength(19);
      expect((await store.findItem(cam.id))?.onLoan).toBe(true);
      const recorded = await store.recentTransactions(100);
      expect(recorded.map((t) => t.id).sort()).toEqual(people.map((_, i) => `race-${i}`).sort());
      // Each conflict closed the loan of the borrow before it on the timeline: a single chain.
      const conflicts = await store.conflicts('all');
      expect(conflicts).toHaveLength(20 - appliedRows.length);
      const others = conflicts.map((c) => c.other?.id);
      expect(new Set(others).size).toBe(20 - appliedRows.length);
      // The first conflict is the row after the applied ones, and met the last of them.
      expect(others).toContain(`race-${appliedRows.length - 1}`);
      const last = flat.find((r) => r.loanId === open[0]!.id)!;
      expect(others).not.toContain(last.id);
    });

    it('the same batch sent 10 times at once is applied once; the rest are duplicates of it', async () => {
      const { store } = ctx;
      const { ann, cam, tri, k1 } = await world(store);
      const batch = [
        row({ id: 'same-1', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 }),
        row({ id: 'same-2', seq: 2, kind: 'borrow', itemId: tri.id, userId: ann.id, occurredAt: T0 + MIN }),
        row({
          id: 'same-3',
          seq: 3,
          kind: 'return',
          itemId: cam.id,
          userId: ann.id,
          occurredAt: T0 + 2 * MIN,
        }),
      ];
      const all = await Promise.all(Array.from({ length: 10 }, () => sync(store, k1.id, batch, T0 + HOUR)));
      const firsts = all.filter((rs) => rs.every((r) => r.status !== 'duplicate'));
      expect(firsts).toHaveLength(1);
      const [first] = firsts as [TxResult[]];
      const [camLoan, triLoan] = [first[0]!.loanId!, first[1]!.loanId!];
      expect(first).toEqual([
        { id: 'same-1', status: 'applied', loanId: camLoan },
        { id: 'same-2', status: 'applied', loanId: triLoan },
        { id: 'same-3', status: 'applied', loanId: camLoan },
      ]);
      const duplicates = all.filter((rs) => rs !== first);
      expect(duplicates).toHaveLength(9);
      for (const rs of duplicates) {
        expect(rs).toEqual([
          { id: 'same-1', status: 'duplicate', first: { status: 'applied', loanId: camLoan } },
          { id: 'same-2', status: 'duplicate', first: { status: 'applied', loanId: triLoan } },
          { id: 'same-3', status: 'duplicate', first: { status: 'applied', loanId: camLoan } },
        ]);
      }
      expect((await store.recentTransactions(100)).map((t) => t.id).sort()).toEqual([
        'same-1',
        'same-2',
        'same-3',
      ]);
      expect((await store.loans({ status: 'all' })).map((l) => [l.id, l.returnedAt])).toEqual([
        [triLoan, null],
        [camLoan, T0 + 2 * MIN],
      ]);
    });

    it('10 rotations of one refresh token at once: exactly one rotates', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      await store.createSession(
        {
          id: 'ses_1',
          userId: ann.id,
          mode: 'bearer',
          csrfHash: 'c',
          createdAt: T0,
          expiresAt: T0 + 30 * DAY,
        },
        { tokenHash: 'rt-0', expiresAt: T0 + DAY },
      );
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          rotateRefresh(store, 'rt-0', { tokenHash: `rt-next-${i}`, expiresAt: T0 + 2 * DAY }, T0 + MIN),
        ),
      );
      // In any serial order: the first rotates, the second finds it spent and revokes the
      // family (reuse detection), the rest find the family revoked.
      expect(count(outcomes.map((o) => o.status))).toEqual({ rotated: 1, reused: 1, invalid: 8 });
      const winner = outcomes.findIndex((o) => o.status === 'rotated');
      for (let i = 0; i < 10; i++) {
        expect(await store.findRefresh(`rt-next-${i}`)).toEqual(
          i === winner
            ? { tokenHash: `rt-next-${i}`, sessionId: 'ses_1', expiresAt: T0 + 2 * DAY, usedAt: null }
            : null,
        );
      }
      expect(await store.findRefresh('rt-0')).toMatchObject({ usedAt: T0 + MIN });
      expect(await store.findSession('ses_1')).toMatchObject({
        revokedAt: T0 + MIN,
        revokedReason: 'refresh token reused',
      });
    });

    it('one enrollment code used by several kiosks at once enrolls exactly one', async () => {
      const { store } = ctx;
      const created = await store.createKiosk('Front desk', hash('code'), T0 + HOUR);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.enrollKiosk(hash('code'), `{"x":"${i}"}`, T0 + MIN)),
      );
      const enrolled = results.filter((r) => r !== null);
      expect(enrolled).toHaveLength(1);
      expect(enrolled[0]).toEqual({
        ...created,
        publicJwk: expect.stringMatching(/^\{"x":"\d"\}$/),
        enrolledAt: T0 + MIN,
      });
      expect(await store.findKiosk(created.id)).toEqual(enrolled[0]);
    });

    it('a secret written by 5 callers at once: every caller gets the one stored', async () => {
      const { store } = ctx;
      const values = await Promise.all(
        Array.from({ length: 5 }, (_, i) => store.putSecretOnce('badge-pepper', `sealed-${i}`, T0 + i)),
      );
      const stored = await store.getSecret('badge-pepper');
      expect(stored).toMatch(/^sealed-[0-4]$/);
      expect(values).toEqual(Array.from({ length: 5 }, () => stored));
    });

    it('a key claimed by 10 callers at once is claimed once', async () => {
      const { store } = ctx;
      const claims = await Promise.all(
        Array.from({ length: 10 }, () => store.claimOnce('job:daily', T0 + DAY, T0)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('read-modify-write in withTransaction loses no update under concurrency', async () => {
      const { store } = ctx;
      await store.putShared('counter', { value: '0', expiresAt: T0 + DAY });
      await Promise.all(
        Array.from({ length: 10 }, () =>
          store.withTransaction(async (tx) => {
            const e = await tx.getShared('counter', T0);
            await tx.putShared('counter', { value: String(Number(e!.value) + 1), expiresAt: T0 + DAY });
          }),
        ),
      );
      expect(await store.getShared('counter', T0)).toEqual({ value: '10', expiresAt: T0 + DAY });
    });
  });
}
