/**
 * Reservations at the kiosk before anything reaches the server (issue 16;
 * src-main/core/reservation-check.ts, cart-check.ts): during a reservation's pickup time the
 * item is refused to anyone else with ITEM_RESERVED and when it is free again; one of a
 * category only when no other would be left; the holder's own reservations come first, each
 * with the item one touch borrows.
 */
import { describe, expect, it } from 'vitest';
import type { CatalogItem, CatalogReservations } from '../../../protocol/index.ts';
import type { ItemNow } from '../../../src-main/core/catalog/catalog-cache.ts';
import { checkBorrowCart } from '../../../src-main/core/cart-check.ts';
import { reservedForYou } from '../../../src-main/core/reservation-check.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const START = Date.parse('2026-12-03T01:00:00.000Z');
const iso = (t: number) => new Date(t).toISOString();
const GRACE = 60 * MIN;

const item = (id: string, name: string, category = 'Cameras'): CatalogItem => ({
  id,
  tag: id.toUpperCase(),
  name,
  category,
  loanDays: 3,
  restrictedTo: null,
  onLoan: false,
  retired: false,
  condition: 'ok',
});
const cam1 = item('cam1', 'Sony A7');
const cam2 = item('cam2', 'Canon R6');
const mic = item('mic1', 'Rode mic', 'Audio');
const catalog = [cam1, cam2, mic];
const shelf = (onLoan: string[] = []) =>
  new Map<string, ItemNow>(catalog.map((i) => [i.id, { onLoan: onLoan.includes(i.id), condition: 'ok' }]));

const held = (
  id: string,
  userId: string,
  what: { itemId: string } | { category: string },
  startsAt = START,
  endsAt = START + 4 * HOUR,
) => ({
  id,
  itemId: 'itemId' in what ? what.itemId : null,
  category: 'itemId' in what ? 'Cameras' : what.category,
  userId,
  startsAt: iso(startsAt),
  endsAt: iso(endsAt),
});
const reservations = (...list: ReturnType<typeof held>[]): CatalogReservations => ({
  pickupGraceMs: GRACE,
  held: list,
});

const session = (id: string) => ({
  user: { id, displayName: id, role: 'member' as const },
  maxLoans: 5,
  offline: false,
});
const check = (who: string, itemIds: string[], res: CatalogReservations, at: number, onLoan: string[] = []) =>
  checkBorrowCart({
    itemIds,
    item: (id) => catalog.find((i) => i.id === id) ?? null,
    itemNow: shelf(onLoan),
    session: session(who),
    loans: [],
    policies: null,
    now: at,
    reserved: { reservations: res, catalog },
  });

describe('a reserved item at the kiosk', () => {
  const res = reservations(held('r1', 'bo', { itemId: 'cam1' }));

  it('is refused to anyone else during its pickup time, saying when it is free again', () => {
    expect(check('ann', ['cam1', 'mic1'], res, START + 10 * MIN)).toEqual({
      unknown: false,
      refused: [{ itemId: 'cam1', code: 'ITEM_RESERVED', freeAt: iso(START + 4 * HOUR) }],
    });
  });

  it('goes to its holder, and to anyone before its start or after its pickup time', () => {
    expect(check('bo', ['cam1'], res, START + 10 * MIN)).toEqual({ unknown: false, refused: [] });
    expect(check('ann', ['cam1'], res, START - MIN)).toEqual({ unknown: false, refused: [] });
    expect(check('ann', ['cam1'], res, START + GRACE)).toEqual({ unknown: false, refused: [] });
  });

  it('is refused with no reservation known only for what is on loan, not for the reservation', () => {
    expect(check('ann', ['cam1'], reservations(), START)).toEqual({ unknown: false, refused: [] });
    expect(check('ann', ['cam1'], res, START, ['cam1'])).toEqual({
      unknown: false,
      refused: [{ itemId: 'cam1', code: 'ITEM_UNAVAILABLE' }],
    });
  });

  it('one of a category: lent while another is left, refused when it is the last one free', () => {
    const anyCam = reservations(held('r2', 'bo', { category: 'Cameras' }));
    expect(check('ann', ['cam1'], anyCam, START)).toEqual({ unknown: false, refused: [] });
    // Both at once would leave none: the second of the cart is the one held back.
    expect(check('ann', ['cam2', 'cam1'], anyCam, START)).toEqual({
      unknown: false,
      refused: [{ itemId: 'cam1', code: 'ITEM_RESERVED', freeAt: iso(START + 4 * HOUR) }],
    });
    // The holder may take both (one picks the reservation up).
    expect(check('bo', ['cam1', 'cam2'], anyCam, START)).toEqual({ unknown: false, refused: [] });
    expect(check('ann', ['cam1'], anyCam, START, ['cam2'])).toEqual({
      unknown: false,
      refused: [{ itemId: 'cam1', code: 'ITEM_RESERVED', freeAt: iso(START + 4 * HOUR) }],
    });
  });
});

describe('reserved for you', () => {
  it('lists the person’s reservations in pickup time, soonest first, with the item one touch takes', () => {
    const res = reservations(
      held('late', 'bo', { category: 'Cameras' }, START + 20 * MIN, START + 2 * HOUR),
      held('byName', 'bo', { itemId: 'cam1' }),
      held('notYet', 'bo', { itemId: 'mic1' }, START + 3 * HOUR, START + 5 * HOUR),
      held('ann', 'ann', { itemId: 'mic1' }),
    );
    const at = START + 30 * MIN;
    expect(reservedForYou('bo', { reservations: res, catalog, itemNow: shelf(), at })).toEqual([
      {
        reservationId: 'byName',
        itemId: 'cam1',
        itemName: 'Sony A7',
        category: 'Cameras',
        byName: true,
        startsAt: iso(START),
        endsAt: iso(START + 4 * HOUR),
        pickupUntil: iso(START + GRACE),
      },
      {
        // Any one of the cameras: not the one reserved by name.
        reservationId: 'late',
        itemId: 'cam2',
        itemName: 'Canon R6',
        category: 'Cameras',
        byName: false,
        startsAt: iso(START + 20 * MIN),
        endsAt: iso(START + 2 * HOUR),
        pickupUntil: iso(START + 20 * MIN + GRACE),
      },
    ]);
  });

  it('says so when the reserved item is not on the shelf here: nothing to touch', () => {
    const res = reservations(held('r1', 'bo', { itemId: 'cam1' }), held('r2', 'bo', { category: 'Audio' }));
    const list = reservedForYou('bo', {
      reservations: res,
      catalog,
      itemNow: shelf(['cam1', 'mic1']),
      at: START,
    });
    expect(list.map((r) => [r.reservationId, r.itemId, r.itemName])).toEqual([
      ['r1', null, 'Sony A7'],
      ['r2', null, null],
    ]);
    expect(reservedForYou('ann', { reservations: res, catalog, itemNow: shelf(), at: START })).toEqual([]);
  });
});
