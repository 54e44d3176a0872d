/**
 * Reservations (protocol/reservations.ts): windows, double booking of an item or of "any one
 * of a category", what holds an item back at the kiosk, and renewals running into one.
 * Property tests check the booking rule against a brute-force count at every moment.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  PAST_SLACK_MS,
  bookingConflict,
  overlaps,
  renewalCollision,
  reservationBlock,
  reservationPickedUp,
  EARLY_PICKUP_MS,
  windowProblem,
  type Booking,
  type CategoryFacts,
  type ReservationFacts,
} from '../../protocol/reservations.ts';

const H = 3_600_000;
const D = 24 * H;
const NOW = Date.parse('2026-12-01T09:00:00Z');

const booking = (over: Partial<Booking> & Pick<Booking, 'id' | 'startsAt' | 'endsAt'>): Booking => ({
  kind: 'reservation',
  itemId: null,
  category: 'Camera',
  personId: 'p-other',
  ...over,
});

describe('windowProblem', () => {
  it('refuses a reversed or empty window, one in the past, too long or too far ahead', () => {
    expect(windowProblem({ startsAt: NOW + H, endsAt: NOW + H }, NOW)).toEqual({
      code: 'RESERVATION_WINDOW_INVALID',
    });
    expect(windowProblem({ startsAt: NOW + 2 * H, endsAt: NOW + H }, NOW)?.code).toBe(
      'RESERVATION_WINDOW_INVALID',
    );
    expect(windowProblem({ startsAt: NaN, endsAt: NOW + H }, NOW)?.code).toBe('RESERVATION_WINDOW_INVALID');
    expect(windowProblem({ startsAt: NOW - D, endsAt: NOW + H }, NOW)?.code).toBe('RESERVATION_IN_PAST');
    // A form filled in a few minutes ago still means "from now".
    expect(windowProblem({ startsAt: NOW - PAST_SLACK_MS, endsAt: NOW + H }, NOW)).toBeNull();
    expect(windowProblem({ startsAt: NOW - PAST_SLACK_MS - 1, endsAt: NOW + H }, NOW)?.code).toBe(
      'RESERVATION_IN_PAST',
    );
    expect(windowProblem({ startsAt: NOW, endsAt: NOW + 8 * D }, NOW, { maxDays: 7 })).toEqual({
      code: 'RESERVATION_TOO_LONG',
      maxDays: 7,
    });
    expect(windowProblem({ startsAt: NOW, endsAt: NOW + 7 * D }, NOW, { maxDays: 7 })).toBeNull();
    expect(windowProblem({ startsAt: NOW + 31 * D, endsAt: NOW + 32 * D }, NOW, { maxLeadDays: 30 })).toEqual(
      {
        code: 'RESERVATION_TOO_FAR',
        maxLeadDays: 30,
      },
    );
  });

  it('property: a window is accepted exactly when it is ordered, not past, and within the limits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3 * D, max: 60 * D }),
        fc.integer({ min: -D, max: 20 * D }),
        fc.option(fc.integer({ min: 1, max: 14 }), { nil: null }),
        fc.option(fc.integer({ min: 1, max: 45 }), { nil: null }),
        (start, length, maxDays, maxLeadDays) => {
          const w = { startsAt: NOW + start, endsAt: NOW + start + length };
          const ok =
            length > 0 &&
            start >= -PAST_SLACK_MS &&
            (maxDays === null || length <= maxDays * D) &&
            (maxLeadDays === null || start <= maxLeadDays * D);
          expect(windowProblem(w, NOW, { maxDays, maxLeadDays }) === null).toBe(ok);
        },
      ),
    );
  });
});

describe('overlaps (half-open windows)', () => {
  it('back to back is no overlap; sharing a moment is', () => {
    expect(overlaps({ startsAt: 0, endsAt: 10 }, { startsAt: 10, endsAt: 20 })).toBe(false);
    expect(overlaps({ startsAt: 0, endsAt: 11 }, { startsAt: 10, endsAt: 20 })).toBe(true);
    expect(overlaps({ startsAt: 5, endsAt: 6 }, { startsAt: 0, endsAt: 20 })).toBe(true);
  });

  it('property: symmetric, and the same as "some integer moment lies in both"', () => {
    const win = fc
      .tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 10 }))
      .map(([s, l]) => ({ startsAt: s, endsAt: s + l }));
    fc.assert(
      fc.property(win, win, (a, b) => {
        let shared = false;
        for (let t = 0; t < 50; t++)
          if (a.startsAt <= t && t < a.endsAt && b.startsAt <= t && t < b.endsAt) shared = true;
        expect(overlaps(a, b)).toBe(shared);
        expect(overlaps(b, a)).toBe(overlaps(a, b));
      }),
    );
  });
});

describe('bookingConflict', () => {
  const facts = (bookings: Booking[], lendable = ['cam-1', 'cam-2']): CategoryFacts => ({
    category: 'Camera',
    lendable,
    bookings,
  });

  it('an item booked over part of the window is refused, naming the booking and when it is free', () => {
    const r = bookingConflict(
      { itemId: 'cam-1', startsAt: 10, endsAt: 20 },
      facts([booking({ id: 'r1', itemId: 'cam-1', startsAt: 15, endsAt: 30 })]),
    );
    expect(r).toEqual({ code: 'RESERVATION_CONFLICT', bookingId: 'r1', kind: 'reservation', freeAt: 30 });
    // Back to back is fine.
    expect(
      bookingConflict(
        { itemId: 'cam-1', startsAt: 30, endsAt: 40 },
        facts([booking({ id: 'r1', itemId: 'cam-1', startsAt: 15, endsAt: 30 })]),
      ),
    ).toBeNull();
  });

  it('a loan due inside the window blocks the item until its due date', () => {
    const r = bookingConflict(
      { itemId: 'cam-1', startsAt: 10, endsAt: 20 },
      facts([booking({ id: 'l1', kind: 'loan', itemId: 'cam-1', startsAt: 0, endsAt: 12 })]),
    );
    expect(r).toMatchObject({ code: 'RESERVATION_CONFLICT', bookingId: 'l1', kind: 'loan', freeAt: 12 });
  });

  it('"any one of a category" is refused when reservations and named items use up the lendable items', () => {
    const two = [
      booking({ id: 'c1', startsAt: 0, endsAt: 20 }),
      booking({ id: 'i1', itemId: 'cam-2', startsAt: 5, endsAt: 15 }),
    ];
    expect(bookingConflict({ itemId: null, startsAt: 10, endsAt: 12 }, facts(two))).toMatchObject({
      code: 'RESERVATION_CONFLICT',
      bookingId: 'i1',
    });
    // After the named reservation ends there is room again.
    expect(bookingConflict({ itemId: null, startsAt: 15, endsAt: 25 }, facts(two))).toBeNull();
    // An item reservation of the last free item is refused too.
    expect(bookingConflict({ itemId: 'cam-1', startsAt: 6, endsAt: 8 }, facts(two))?.code).toBe(
      'RESERVATION_CONFLICT',
    );
    // No lendable item at all: nothing can be booked.
    expect(bookingConflict({ itemId: null, startsAt: 0, endsAt: 1 }, facts([], []))?.code).toBe(
      'RESERVATION_CONFLICT',
    );
  });

  // A brute-force model over integer moments: a booking fits when, at every moment of its
  // window, its item is not taken and the category's demand does not exceed its items.
  const model = (cand: { itemId: string | null; startsAt: number; endsAt: number }, f: CategoryFacts) => {
    const lendable = new Set(f.lendable);
    for (let t = cand.startsAt; t < cand.endsAt; t++) {
      const at = f.bookings.filter((b) => b.startsAt <= t && t < b.endsAt);
      if (cand.itemId !== null && at.some((b) => b.itemId === cand.itemId)) return false;
      const busy = new Set(
        at.filter((b) => b.itemId !== null && lendable.has(b.itemId)).map((b) => b.itemId),
      );
      if (cand.itemId !== null && lendable.has(cand.itemId)) busy.add(cand.itemId);
      const any = at.filter((b) => b.itemId === null).length + (cand.itemId === null ? 1 : 0);
      if (any > lendable.size - busy.size) return false;
    }
    return true;
  };
  const items = ['cam-1', 'cam-2', 'cam-3'];
  const arbBooking = fc.record({
    s: fc.integer({ min: 0, max: 40 }),
    l: fc.integer({ min: 1, max: 15 }),
    item: fc.option(fc.constantFrom(...items), { nil: null }),
    loan: fc.boolean(),
  });

  it('property: agrees with a count at every moment, for random bookings and candidates', () => {
    fc.assert(
      fc.property(
        fc.array(arbBooking, { maxLength: 8 }),
        fc.integer({ min: 0, max: 3 }),
        arbBooking,
        (raw, nLendable, c) => {
          const bookings = raw.map((b, i) =>
            booking({
              id: `b${i}`,
              kind: b.loan && b.item ? 'loan' : 'reservation',
              itemId: b.item,
              startsAt: b.s,
              endsAt: b.s + b.l,
            }),
          );
          const f = facts(bookings, items.slice(0, nLendable));
          const cand = { itemId: c.item, startsAt: c.s, endsAt: c.s + c.l };
          const refusal = bookingConflict(cand, f);
          expect(refusal === null).toBe(model(cand, f));
          if (refusal && refusal.code === 'RESERVATION_CONFLICT' && refusal.bookingId) {
            const blocker = bookings.find((b) => b.id === refusal.bookingId)!;
            expect(overlaps(blocker, cand)).toBe(true);
            expect(refusal.freeAt).toBeGreaterThanOrEqual(blocker.endsAt);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: bookings accepted one by one never overbook the category at any moment', () => {
    fc.assert(
      fc.property(fc.array(arbBooking, { maxLength: 20 }), fc.integer({ min: 0, max: 3 }), (raw, n) => {
        const f: CategoryFacts = { category: 'Camera', lendable: items.slice(0, n), bookings: [] };
        const accepted: Booking[] = [];
        raw.forEach((b, i) => {
          const cand = { itemId: b.item, startsAt: b.s, endsAt: b.s + b.l };
          if (!bookingConflict(cand, { ...f, bookings: accepted }))
            accepted.push(booking({ id: `a${i}`, ...cand }));
        });
        for (let t = 0; t < 60; t++) {
          const at = accepted.filter((b) => b.startsAt <= t && t < b.endsAt);
          const named = at.filter((b) => b.itemId !== null);
          expect(new Set(named.map((b) => b.itemId)).size).toBe(named.length);
          const namedLendable = named.filter((b) => f.lendable.includes(b.itemId!)).length;
          expect(at.length - named.length).toBeLessThanOrEqual(f.lendable.length - namedLendable);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('reservationBlock and reservationPickedUp (the kiosk borrow)', () => {
  const GRACE = 2 * H;
  const res = (over: Partial<ReservationFacts> & Pick<ReservationFacts, 'id'>): ReservationFacts => ({
    itemId: 'cam-1',
    category: null,
    personId: 'ann',
    startsAt: NOW,
    endsAt: NOW + D,
    ...over,
  });
  const item = { id: 'cam-1', category: 'Camera' };

  it('an item reserved for someone else is held back from its start until the grace time ends', () => {
    const r = res({ id: 'r1' });
    const block = (personId: string, at: number) =>
      reservationBlock({ item, personId, at, graceMs: GRACE, reservations: [r], freeInCategory: ['cam-1'] });
    expect(block('bo', NOW - 1)).toBeNull();
    expect(block('bo', NOW)).toBe(r);
    expect(block('bo', NOW + GRACE - 1)).toBe(r);
    expect(block('bo', NOW + GRACE)).toBeNull();
    expect(block('ann', NOW + H)).toBeNull();
    expect(
      reservationPickedUp({ item, personId: 'ann', at: NOW + H, graceMs: GRACE, reservations: [r] }),
    ).toBe(r);
    expect(
      reservationPickedUp({ item, personId: 'bo', at: NOW + H, graceMs: GRACE, reservations: [r] }),
    ).toBeNull();
    expect(
      reservationPickedUp({ item, personId: 'ann', at: NOW + GRACE, graceMs: GRACE, reservations: [r] }),
    ).toBeNull();
  });

  it('its holder may pick it up a little early (EARLY_PICKUP_MS), which holds nothing back from others', () => {
    const r = res({ id: 'r1' });
    const pickedUp = (at: number) =>
      reservationPickedUp({ item, personId: 'ann', at, graceMs: GRACE, reservations: [r] });
    expect(pickedUp(NOW - EARLY_PICKUP_MS - 1)).toBeNull();
    expect(pickedUp(NOW - EARLY_PICKUP_MS)).toBe(r);
    expect(pickedUp(NOW - 1)).toBe(r);
    expect(
      reservationBlock({
        item,
        personId: 'bo',
        at: NOW - 1,
        graceMs: GRACE,
        reservations: [r],
        freeInCategory: ['cam-1'],
      }),
    ).toBeNull();
  });

  it('a category reservation holds back only the last free items', () => {
    const r = res({ id: 'c1', itemId: null, category: 'Camera' });
    const block = (free: string[], personId = 'bo') =>
      reservationBlock({
        item,
        personId,
        at: NOW + H,
        graceMs: GRACE,
        reservations: [r],
        freeInCategory: free,
      });
    expect(block(['cam-1', 'cam-2'])).toBeNull();
    expect(block(['cam-1'])).toBe(r);
    expect(block(['cam-1'], 'ann')).toBeNull();
    // A second camera reserved by name for someone is not free for the category reservation.
    const named = res({ id: 'i2', itemId: 'cam-2', personId: 'cy' });
    expect(
      reservationBlock({
        item,
        personId: 'bo',
        at: NOW + H,
        graceMs: GRACE,
        reservations: [r, named],
        freeInCategory: ['cam-1', 'cam-2'],
      }),
    ).toBe(r);
    expect(
      reservationPickedUp({ item, personId: 'ann', at: NOW + H, graceMs: GRACE, reservations: [r] }),
    ).toBe(r);
  });

  it('property: the holder is never blocked by their own reservation, and others are exactly inside its pickup time', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3 * H, max: 3 * H }), fc.integer({ min: 1, max: 4 * H }), (dt, len) => {
        const r = res({ id: 'r', endsAt: NOW + len });
        const at = NOW + dt;
        const args = { item, at, graceMs: GRACE, reservations: [r], freeInCategory: ['cam-1'] };
        expect(reservationBlock({ ...args, personId: 'ann' })).toBeNull();
        const inside = at >= NOW && at < Math.min(NOW + len, NOW + GRACE);
        expect(reservationBlock({ ...args, personId: 'bo' }) !== null).toBe(inside);
      }),
    );
  });
});

describe('renewalCollision', () => {
  const loan = { id: 'l1', itemId: 'cam-1', personId: 'ann', dueAt: NOW + D };
  const facts = (bookings: Booking[], lendable = ['cam-1']): CategoryFacts => ({
    category: 'Camera',
    lendable,
    bookings: [
      booking({
        id: 'l1',
        kind: 'loan',
        itemId: 'cam-1',
        personId: 'ann',
        startsAt: NOW - D,
        endsAt: NOW + D,
      }),
      ...bookings,
    ],
  });

  it("refuses a new due date that runs into someone else's reservation of the item, not one that stops before it", () => {
    const r = booking({
      id: 'r1',
      itemId: 'cam-1',
      personId: 'bo',
      startsAt: NOW + 3 * D,
      endsAt: NOW + 4 * D,
    });
    expect(renewalCollision({ loan, newDueAt: NOW + 5 * D, now: NOW, facts: facts([r]) })).toBe(r);
    expect(renewalCollision({ loan, newDueAt: NOW + 3 * D, now: NOW, facts: facts([r]) })).toBeNull();
    // Their own reservation does not stop them keeping it.
    const own = { ...r, personId: 'ann' };
    expect(renewalCollision({ loan, newDueAt: NOW + 5 * D, now: NOW, facts: facts([own]) })).toBeNull();
  });

  it('a category reservation collides only when no other item of the category is left for it', () => {
    const c = booking({ id: 'c1', personId: 'bo', startsAt: NOW + 2 * D, endsAt: NOW + 3 * D });
    expect(renewalCollision({ loan, newDueAt: NOW + 5 * D, now: NOW, facts: facts([c]) })).toBe(c);
    expect(
      renewalCollision({ loan, newDueAt: NOW + 5 * D, now: NOW, facts: facts([c], ['cam-1', 'cam-2']) }),
    ).toBeNull();
  });
});
