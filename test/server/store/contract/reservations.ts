/**
 * Contract: reservations through the domain (server/reservations/reserve.ts) on every store:
 * double booking refused, two (or thirty) requests racing for the last item never both
 * succeed, nothing half-saved on a refusal, cancel once, keyset pages.
 */
import { describe, expect, it } from 'vitest';
import { defaultPolicies, type PolicySet } from '../../../../protocol/index.ts';
import { previewRenewal, renewFromDashboard } from '../../../../server/sync/renewal.ts';
import {
  RESERVATION_DEFAULTS,
  cancelReservation,
  createReservation,
  type NewReservationInput,
} from '../../../../server/reservations/reserve.ts';
import {
  DAY,
  HOUR,
  MIN,
  T0,
  expectAppError,
  gear,
  person,
  row,
  sync,
  world,
  type StoreContext,
} from './fixtures.ts';

const policies: PolicySet = { ...defaultPolicies(10), timeZone: 'UTC' };
const actor = (id: string, name: string) => ({ kind: 'user' as const, id, name, via: null });

export function registerReservationContract(ctx: StoreContext): void {
  describe('reservations', () => {
    const base = (
      over: Partial<NewReservationInput> & Pick<NewReservationInput, 'userId'>,
    ): NewReservationInput => ({
      startsAt: T0 + DAY,
      endsAt: T0 + 2 * DAY,
      actor: actor(over.userId, 'Someone'),
      now: T0,
      policies,
      settings: RESERVATION_DEFAULTS,
      ...over,
    });

    it('reserves an item once; an overlapping window is refused, a back-to-back one is not; audited', async () => {
      const { store } = ctx;
      const { ann, bo, cam } = await world(store);
      const first = await createReservation(store, base({ userId: ann.id, itemId: cam.id }));
      expect(first).toMatchObject({
        itemId: cam.id,
        itemName: 'Camera',
        category: 'Photo',
        userId: ann.id,
        userName: 'Ann',
        status: 'active',
        startsAt: T0 + DAY,
        endsAt: T0 + 2 * DAY,
        loanId: null,
      });
      expect(await store.findReservation(first.id)).toEqual(first);
      await expectAppError(
        createReservation(store, base({ userId: bo.id, itemId: cam.id, startsAt: T0 + DAY + HOUR })),
        'RESERVATION_CONFLICT',
      );
      const next = await createReservation(
        store,
        base({ userId: bo.id, itemId: cam.id, startsAt: T0 + 2 * DAY, endsAt: T0 + 3 * DAY }),
      );
      expect(next.status).toBe('active');
      const log = await store.auditPage({ kind: 'reservation', limit: 10 });
      expect(
        log.rows
          .filter((r) => r.action === 'reservation.create')
          .map((r) => r.targetId)
          .sort(),
      ).toEqual([first.id, next.id].sort());
    });

    it('bad windows, a retired item, a role that may not borrow it: a typed refusal and nothing saved', async () => {
      const { store } = ctx;
      const { ann, cam, mic } = await world(store);
      const boss = await gear(store, 'BOSS-1', { category: 'Photo', restrictedTo: 'staff' });
      await expectAppError(
        createReservation(store, base({ userId: ann.id, itemId: cam.id, endsAt: T0 + DAY })),
        'RESERVATION_WINDOW_INVALID',
      );
      await expectAppError(
        createReservation(store, base({ userId: ann.id, itemId: cam.id, startsAt: T0 - DAY })),
        'RESERVATION_IN_PAST',
      );
      await expectAppError(
        createReservation(store, base({ userId: ann.id, itemId: cam.id, endsAt: T0 + 30 * DAY })),
        'RESERVATION_TOO_LONG',
      );
      await expectAppError(
        createReservation(store, base({ userId: ann.id, itemId: boss.id })),
        'ITEM_NOT_ALLOWED',
      );
      await store.updateItem(mic.id, { retired: true });
      await expectAppError(
        createReservation(store, base({ userId: ann.id, itemId: mic.id })),
        'ITEM_UNAVAILABLE',
      );
      await expectAppError(
        createReservation(store, base({ userId: ann.id, category: 'Nothing here' })),
        'ITEM_UNKNOWN',
      );
      const noPhoto: PolicySet = {
        ...policies,
        rules: [{ category: 'Photo', role: 'member', mayBorrow: false }],
      };
      await expectAppError(
        createReservation(store, base({ userId: ann.id, itemId: cam.id, policies: noPhoto })),
        'CATEGORY_NOT_ALLOWED',
      );
      expect((await store.reservationsPage({ status: 'all', limit: 50 })).total).toBe(0);
    });

    it('"any one of a category" counts the category and its items reserved by name against its lendable items', async () => {
      const { store } = ctx;
      const { ann, bo, cy, cam } = await world(store); // Photo: Camera and Tripod
      await createReservation(store, base({ userId: ann.id, category: 'Photo' }));
      await createReservation(store, base({ userId: bo.id, itemId: cam.id }));
      await expectAppError(
        createReservation(store, base({ userId: cy.id, category: 'Photo' })),
        'RESERVATION_CONFLICT',
      );
      // The next day both are free again.
      const later = await createReservation(
        store,
        base({ userId: cy.id, category: 'Photo', startsAt: T0 + 2 * DAY, endsAt: T0 + 3 * DAY }),
      );
      expect(later).toMatchObject({ itemId: null, category: 'Photo', itemName: null });
    });

    it('an open loan holds its item until its due date', async () => {
      const { store } = ctx;
      const { ann, bo, cam, k1 } = await world(store);
      const [b] = await sync(
        store,
        k1.id,
        [row({ id: 'b1', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 })],
        T0 + MIN,
      );
      expect(b!.status).toBe('applied'); // Camera: due in 7 days
      await expectAppError(
        createReservation(store, base({ userId: bo.id, itemId: cam.id })),
        'RESERVATION_CONFLICT',
      );
      const after = await createReservation(
        store,
        base({ userId: bo.id, itemId: cam.id, startsAt: T0 + 8 * DAY, endsAt: T0 + 9 * DAY }),
      );
      expect(after.status).toBe('active');
    });

    it('30 requests racing for the last item: exactly one succeeds, the rest are refused as conflicts', async () => {
      const { store } = ctx;
      const { cam } = await world(store);
      const people = [];
      for (let i = 0; i < 30; i++) people.push(await person(store, `Racer ${String(i).padStart(2, '0')}`));
      const outcomes = await Promise.allSettled(
        people.map((p, i) =>
          createReservation(
            store,
            // Windows differ but all share T0 + DAY + 12h: only one can hold the camera.
            base({
              userId: p.id,
              itemId: cam.id,
              startsAt: T0 + DAY + i * MIN,
              endsAt: T0 + 2 * DAY + i * MIN,
            }),
          ),
        ),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((o) => (o.reason as { code?: string }).code)).toEqual(
        new Array(29).fill('RESERVATION_CONFLICT'),
      );
      expect((await store.reservationsPage({ itemId: cam.id, status: 'all', limit: 100 })).total).toBe(1);
    });

    it('racing for the last one of a category, by name and by category at once: never more than the category holds', async () => {
      const { store } = ctx;
      const { cam, tri } = await world(store); // Photo: 2 items
      const people = [];
      for (let i = 0; i < 24; i++) people.push(await person(store, `P${i}`));
      const outcomes = await Promise.allSettled(
        people.map((p, i) =>
          createReservation(
            store,
            base({
              userId: p.id,
              ...(i % 3 === 0
                ? { itemId: cam.id }
                : i % 3 === 1
                  ? { itemId: tri.id }
                  : { category: 'Photo' }),
            }),
          ),
        ),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      expect(won).toHaveLength(2);
      for (const o of outcomes)
        if (o.status === 'rejected')
          expect((o.reason as { code?: string }).code).toBe('RESERVATION_CONFLICT');
      expect((await store.reservationsPage({ category: 'Photo', status: 'active', limit: 100 })).total).toBe(
        2,
      );
    });

    it('cancel: once, own only for a member, audited; the item is free again', async () => {
      const { store } = ctx;
      const { ann, bo, cam } = await world(store);
      const r = await createReservation(store, base({ userId: ann.id, itemId: cam.id }));
      await expectAppError(
        cancelReservation(store, { id: r.id, ownerOnly: bo.id, actor: actor(bo.id, 'Bo'), now: T0 + MIN }),
        'NOT_FOUND',
      );
      const done = await cancelReservation(store, {
        id: r.id,
        ownerOnly: ann.id,
        actor: actor(ann.id, 'Ann'),
        now: T0 + MIN,
      });
      expect(done).toMatchObject({ status: 'cancelled', endedAt: T0 + MIN });
      await expectAppError(
        cancelReservation(store, { id: r.id, ownerOnly: null, actor: actor(bo.id, 'Bo'), now: T0 + 2 * MIN }),
        'RESERVATION_NOT_ACTIVE',
      );
      expect(await store.findReservation(r.id)).toMatchObject({ status: 'cancelled', endedAt: T0 + MIN });
      expect((await createReservation(store, base({ userId: bo.id, itemId: cam.id }))).status).toBe('active');
    });

    it('pages by start then id without skipping or repeating, filtered by person and state', async () => {
      const { store } = ctx;
      const { ann, bo, cam, tri, mic } = await world(store);
      const made = [];
      for (let d = 0; d < 4; d++)
        for (const [item, who] of [
          [cam, ann],
          [tri, bo],
          [mic, ann],
        ] as const)
          made.push(
            await createReservation(
              store,
              base({
                userId: who.id,
                itemId: item.id,
                startsAt: T0 + (d + 1) * DAY,
                endsAt: T0 + (d + 1) * DAY + HOUR,
              }),
            ),
          );
      const every = made.map((r) => r.id);
      for (const size of [1, 2, 5]) {
        const seen: string[] = [];
        let after: { at: number; id: string } | null = null;
        for (let n = 0; n < 20; n++) {
          const page = await store.reservationsPage({ status: 'all', after, limit: size });
          expect(page.total).toBe(12);
          seen.push(...page.rows.map((r) => r.id));
          if (!page.next) break;
          after = page.next;
        }
        expect(seen.sort()).toEqual([...every].sort());
        const starts = (await store.reservationsPage({ status: 'all', limit: 50 })).rows.map(
          (r) => r.startsAt,
        );
        expect(starts).toEqual([...starts].sort((a, b) => a - b));
      }
      expect((await store.reservationsPage({ userId: ann.id, status: 'active', limit: 50 })).total).toBe(8);
      await cancelReservation(store, {
        id: made[0]!.id,
        ownerOnly: null,
        actor: actor(bo.id, 'Bo'),
        now: T0,
      });
      expect(
        (await store.reservationsPage({ status: 'cancelled', limit: 50 })).rows.map((r) => r.id),
      ).toEqual([made[0]!.id]);
      // Day 1's are over by then; days 2-4 are current.
      expect((await store.reservationsPage({ status: 'current', now: T0 + 2 * DAY, limit: 50 })).total).toBe(
        9,
      );
    });

    it('a kiosk borrow of an item held for someone else is applied as a conflict ITEM_RESERVED naming the reservation', async () => {
      const { store } = ctx;
      const { ann, bo, cam, k1 } = await world(store);
      const r = await createReservation(store, base({ userId: ann.id, itemId: cam.id }));
      // Before the window the camera lends freely (and comes back).
      const early = await sync(
        store,
        k1.id,
        [
          row({ id: 'e1', seq: 1, kind: 'borrow', itemId: cam.id, userId: bo.id, occurredAt: T0 + HOUR }),
          row({ id: 'e2', seq: 2, kind: 'return', itemId: cam.id, userId: bo.id, occurredAt: T0 + 2 * HOUR }),
        ],
        T0 + 3 * HOUR,
      );
      expect(early.map((x) => x.status)).toEqual(['applied', 'applied']);
      const [during] = await sync(
        store,
        k1.id,
        [
          row({
            id: 'd1',
            seq: 3,
            kind: 'borrow',
            itemId: cam.id,
            userId: bo.id,
            occurredAt: T0 + DAY + 10 * MIN,
          }),
        ],
        T0 + DAY + 11 * MIN,
      );
      expect(during).toMatchObject({ status: 'conflict', code: 'ITEM_RESERVED' });
      // Physical truth: Bo has it.
      expect((await store.openLoanOfItem(cam.id))?.userId).toBe(bo.id);
      const log = await store.auditPage({ kind: 'reservation', limit: 10 });
      const named = log.rows.find((e) => e.action === 'reservation.conflict');
      expect(named).toMatchObject({ targetId: r.id });
      expect(named?.detail).toContain('d1');
      // The reservation still waits for Ann (staff sort it out).
      expect((await store.findReservation(r.id))?.status).toBe('active');
    });

    it("the holder's borrow picks the reservation up with its loan, exactly once", async () => {
      const { store } = ctx;
      const { ann, bo, cam, tri, k1 } = await world(store);
      const r = await createReservation(store, base({ userId: ann.id, itemId: cam.id }));
      const c = await createReservation(store, base({ userId: bo.id, category: 'Photo' }));
      const borrow = row({
        id: 'p1',
        seq: 1,
        kind: 'borrow',
        itemId: cam.id,
        userId: ann.id,
        occurredAt: T0 + DAY + 5 * MIN,
      });
      const [first] = await sync(store, k1.id, [borrow], T0 + DAY + 6 * MIN);
      expect(first).toMatchObject({ status: 'applied' });
      expect(await store.findReservation(r.id)).toMatchObject({
        status: 'picked_up',
        loanId: first!.loanId,
        endedAt: T0 + DAY + 5 * MIN,
      });
      const [again] = await sync(store, k1.id, [borrow], T0 + DAY + 7 * MIN);
      expect(again).toMatchObject({ status: 'duplicate' });
      expect(await store.findReservation(r.id)).toMatchObject({ status: 'picked_up', loanId: first!.loanId });
      // Bo's "any one of Photo" is picked up by the tripod, the one left.
      const [bos] = await sync(
        store,
        k1.id,
        [
          row({
            id: 'p2',
            seq: 2,
            kind: 'borrow',
            itemId: tri.id,
            userId: bo.id,
            occurredAt: T0 + DAY + 8 * MIN,
          }),
        ],
        T0 + DAY + 9 * MIN,
      );
      expect(bos).toMatchObject({ status: 'applied' });
      expect(await store.findReservation(c.id)).toMatchObject({ status: 'picked_up', loanId: bos!.loanId });
    });

    it('a borrow by the holder a little before the start picks it up; earlier than that it does not', async () => {
      const { store } = ctx;
      const { ann, cam, tri, k1 } = await world(store);
      const r = await createReservation(store, base({ userId: ann.id, itemId: cam.id }));
      const t = await createReservation(store, base({ userId: ann.id, itemId: tri.id }));
      // The tripod three hours before its start: a loan of its own, the reservation still waits.
      const [early] = await sync(
        store,
        k1.id,
        [
          row({
            id: 'e1',
            seq: 1,
            kind: 'borrow',
            itemId: tri.id,
            userId: ann.id,
            occurredAt: T0 + DAY - 3 * HOUR,
          }),
        ],
        T0 + DAY - 3 * HOUR,
      );
      expect(early).toMatchObject({ status: 'applied' });
      expect(await store.findReservation(t.id)).toMatchObject({ status: 'active' });
      // The camera an hour before: picked up by that loan.
      const [first] = await sync(
        store,
        k1.id,
        [
          row({
            id: 'e2',
            seq: 2,
            kind: 'borrow',
            itemId: cam.id,
            userId: ann.id,
            occurredAt: T0 + DAY - HOUR,
          }),
        ],
        T0 + DAY - HOUR,
      );
      expect(first).toMatchObject({ status: 'applied' });
      expect(await store.findReservation(r.id)).toMatchObject({ status: 'picked_up', loanId: first!.loanId });
    });

    it('taken early, a reservation gives way to someone else’s that holds the item now: a conflict naming theirs', async () => {
      const { store } = ctx;
      const { ann, bo, cam, k1 } = await world(store);
      // Bo has the camera first; Ann's starts when Bo's ends (back to back).
      const bos = await createReservation(
        store,
        base({ userId: bo.id, itemId: cam.id, startsAt: T0 + DAY, endsAt: T0 + DAY + 2 * HOUR }),
      );
      const anns = await createReservation(
        store,
        base({ userId: ann.id, itemId: cam.id, startsAt: T0 + DAY + 2 * HOUR, endsAt: T0 + DAY + 4 * HOUR }),
      );
      // Half an hour into Bo's pickup time, Ann (an hour and a half early) takes it.
      const [taken] = await sync(
        store,
        k1.id,
        [
          row({
            id: 'x1',
            seq: 1,
            kind: 'borrow',
            itemId: cam.id,
            userId: ann.id,
            occurredAt: T0 + DAY + 30 * MIN,
          }),
        ],
        T0 + DAY + 31 * MIN,
      );
      expect(taken).toMatchObject({ status: 'conflict', code: 'ITEM_RESERVED' });
      expect(await store.findReservation(bos.id)).toMatchObject({ status: 'active' });
      expect(await store.findReservation(anns.id)).toMatchObject({ status: 'active' });
    });

    it('a category reservation holds back only the last free item of the category', async () => {
      const { store } = ctx;
      const { ann, bo, cy, cam, tri, k1 } = await world(store);
      await createReservation(store, base({ userId: ann.id, category: 'Photo' }));
      const at = T0 + DAY + 10 * MIN;
      const [one] = await sync(
        store,
        k1.id,
        [row({ id: 'c1', seq: 1, kind: 'borrow', itemId: cam.id, userId: bo.id, occurredAt: at })],
        at,
      );
      expect(one).toMatchObject({ status: 'applied' });
      const [two] = await sync(
        store,
        k1.id,
        [row({ id: 'c2', seq: 2, kind: 'borrow', itemId: tri.id, userId: cy.id, occurredAt: at + MIN })],
        at + MIN,
      );
      expect(two).toMatchObject({ status: 'conflict', code: 'ITEM_RESERVED' });
    });

    it("a renewal that would run into someone else's reservation is refused with when it is needed back, at sync and on the dashboard", async () => {
      const { store } = ctx;
      const { ann, bo, cam, k1 } = await world(store);
      const [b] = await sync(
        store,
        k1.id,
        [row({ id: 'b1', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 })],
        T0 + MIN,
      );
      const loanId = b!.loanId!; // due T0 + 7 days; a renewal would make it T0 + 14 days
      const r = await createReservation(
        store,
        base({ userId: bo.id, itemId: cam.id, startsAt: T0 + 10 * DAY, endsAt: T0 + 11 * DAY }),
      );
      const [renew] = await sync(
        store,
        k1.id,
        [row({ id: 'r1', seq: 2, kind: 'renew', itemId: cam.id, userId: ann.id, occurredAt: T0 + DAY })],
        T0 + DAY,
      );
      expect(renew).toMatchObject({ status: 'conflict', code: 'RENEWAL_RESERVED', loanId });
      expect(await store.findLoan(loanId)).toMatchObject({ dueAt: T0 + 7 * DAY, renewals: 0 });
      await expectAppError(
        renewFromDashboard(store, {
          loanId,
          ownerOnly: ann.id,
          actor: actor(ann.id, 'Ann'),
          now: T0 + DAY,
          policies,
          maxLoans: 10,
        }),
        'RENEWAL_RESERVED',
      );
      const preview = await previewRenewal(store, {
        loanId,
        ownerOnly: null,
        now: T0 + DAY,
        policies,
        maxLoans: 10,
      });
      expect(preview.verdict).toEqual({
        ok: false,
        refusal: { code: 'RENEWAL_RESERVED', dueAt: T0 + 10 * DAY },
      });
      // Cancelled, the reservation no longer stands in the way.
      await cancelReservation(store, { id: r.id, ownerOnly: null, actor: actor(bo.id, 'Bo'), now: T0 + DAY });
      const again = await renewFromDashboard(store, {
        loanId,
        ownerOnly: ann.id,
        actor: actor(ann.id, 'Ann'),
        now: T0 + DAY,
        policies,
        maxLoans: 10,
      });
      expect(again?.dueAt).toBe(T0 + 14 * DAY);
    });
  });
}
