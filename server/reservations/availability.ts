/**
 * What is free when, for one item or one category over a range (the dashboard's availability
 * view): the segments of protocol/reservations.ts freeSegments, and what is booked, naming
 * whose only to staff or to the person it belongs to.
 */
import { AppError, toIso } from '../../protocol/index.ts';
import type { AvailabilityResponse } from '../../protocol/wire/reservations.ts';
import { freeSegments } from '../../protocol/reservations.ts';
import type { StoreOps } from '../store/store.ts';
import { loadCategoryFacts } from './reserve.ts';

/** The longest range one view asks for: two months of days. */
export const AVAILABILITY_MAX_DAYS = 62;

export async function availability(
  store: StoreOps,
  q: {
    itemId?: string | undefined;
    category?: string | undefined;
    from: number;
    to: number;
    now: number;
    grace: number;
    /** Null for staff (sees every name); else only this person's bookings are named. */
    viewer: string | null;
  },
): Promise<AvailabilityResponse> {
  if ((q.itemId === undefined) === (q.category === undefined))
    throw new AppError('BAD_REQUEST', 'name an item or a category');
  if (!Number.isFinite(q.from) || !Number.isFinite(q.to) || q.to <= q.from)
    throw new AppError('RESERVATION_WINDOW_INVALID', 'the range must end after it starts');
  if (q.to - q.from > AVAILABILITY_MAX_DAYS * 86_400_000)
    throw new AppError('RESERVATION_TOO_LONG', `at most ${AVAILABILITY_MAX_DAYS} days at once`);
  const item = q.itemId !== undefined ? await store.findItem(q.itemId) : null;
  if (q.itemId !== undefined && !item) throw new AppError('ITEM_UNKNOWN', 'no such item');
  const category = item ? item.category : q.category!;
  const facts = await loadCategoryFacts(store, category, { startsAt: q.from, endsAt: q.to }, q.now, q.grace);
  if (!item && facts.items.length === 0) throw new AppError('ITEM_UNKNOWN', 'no item of this category');
  const names = new Map(facts.items.map((i) => [i.id, i.name]));
  const people = new Map<string, string>();
  for (const r of facts.reservations) people.set(r.id, r.userName);
  for (const l of await store.openLoansIn(category)) people.set(l.id, l.userName);
  const window = { startsAt: q.from, endsAt: q.to };
  const bookings = facts.bookings
    .filter((b) => b.startsAt < q.to && b.endsAt > q.from)
    .filter((b) => !item || b.itemId === item.id)
    .sort((a, b) => a.startsAt - b.startsAt)
    .map((b) => {
      const mine = q.viewer !== null && b.personId === q.viewer;
      return {
        kind: b.kind,
        itemName: b.itemId ? (names.get(b.itemId) ?? null) : null,
        startsAt: toIso(b.startsAt),
        endsAt: toIso(b.endsAt),
        mine,
        who: q.viewer === null || mine ? (people.get(b.id) ?? null) : null,
      };
    });
  return {
    itemId: item?.id ?? null,
    itemName: item?.name ?? null,
    category,
    lendable: item ? (facts.lendable.includes(item.id) ? 1 : 0) : facts.lendable.length,
    from: toIso(q.from),
    to: toIso(q.to),
    segments: freeSegments({ itemId: item?.id ?? null }, facts, window.startsAt, window.endsAt).map((s) => ({
      startsAt: toIso(s.startsAt),
      endsAt: toIso(s.endsAt),
      free: s.free,
    })),
    bookings,
  };
}
