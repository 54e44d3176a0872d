/**
 * Reservations at the kiosk (issue 16), by the rules of protocol/reservations.ts that the
 * server's sync judges by again: during a reservation's pickup time its item (or one of its
 * category, when no other would be left) is not lent to anyone else here, online or offline;
 * the holder sees it first and takes it with one touch. Pure: the caller reads the facts.
 */
import {
  borrowBlock,
  pickableAt,
  pickupWindow,
  reservationBlock,
  toIso,
  type CartRefusal,
  type CatalogItem,
  type CatalogReservations,
  type ReservationFacts,
  type ReservedForYou,
} from '../../protocol/index.ts';
import type { ItemNow } from './catalog/catalog-cache.ts';

type Facts = { graceMs: number; facts: ReservationFacts[] };
// One parse per set read from the catalog: the view judges every item of the list by it.
const parsed = new WeakMap<CatalogReservations, Facts>();

/** The reservations as the rules take them: a category only for "any one of" it (as the server). */
export function reservationFacts(r: CatalogReservations | null): Facts {
  if (r && parsed.has(r)) return parsed.get(r)!;
  const out = {
    graceMs: r?.pickupGraceMs ?? 0,
    facts: (r?.held ?? []).map((h) => ({
      id: h.id,
      itemId: h.itemId,
      category: h.itemId === null ? h.category : null,
      personId: h.userId,
      startsAt: Date.parse(h.startsAt),
      endsAt: Date.parse(h.endsAt),
    })),
  };
  if (r) parsed.set(r, out);
  return out;
}

export type ReservationScene = {
  reservations: CatalogReservations | null;
  /** Every item not retired (the catalog), and where each is now (with this kiosk's rows). */
  catalog: readonly CatalogItem[];
  itemNow: ReadonlyMap<string, ItemNow>;
  at: number;
};

/** On the shelf here and lendable at all (not on loan, condition ok). */
const onShelf = (i: CatalogItem, itemNow: ReadonlyMap<string, ItemNow>) => {
  const now = itemNow.get(i.id);
  return !!now && !now.onLoan && borrowBlock({ ...i, condition: now.condition }, null) === null;
};

/**
 * Why `personId` may not borrow `item` at `scene.at` because it is held for someone else's
 * reservation: ITEM_RESERVED with when that reservation ends (the item is free again then),
 * or null.
 */
export function reservedRefusal(
  item: CatalogItem,
  personId: string,
  scene: ReservationScene,
): CartRefusal | null {
  const { graceMs, facts } = reservationFacts(scene.reservations);
  // Most items have no reservation of theirs or their category: not worth listing the shelf.
  if (!facts.some((r) => r.personId !== personId && (r.itemId === item.id || r.category === item.category)))
    return null;
  const block = reservationBlock({
    item,
    personId,
    at: scene.at,
    graceMs,
    reservations: facts,
    freeInCategory: scene.catalog
      .filter((i) => i.category === item.category && (i.id === item.id || onShelf(i, scene.itemNow)))
      .map((i) => i.id),
  });
  return block ? { itemId: item.id, code: 'ITEM_RESERVED', freeAt: toIso(block.endsAt) } : null;
}

/**
 * The person's reservations in their pickup time at `scene.at` (or starting within
 * EARLY_PICKUP_MS of it), soonest first, each with the
 * item one touch borrows: the one reserved by name when it is on the shelf here, or for any
 * one of a category the first free one no one else's reservation holds; null when none is.
 */
export function reservedForYou(personId: string, scene: ReservationScene): ReservedForYou[] {
  const { graceMs, facts } = reservationFacts(scene.reservations);
  const mine = facts
    // In their pickup time, or a little before it (an early pickup, as the server takes it).
    .filter((r) => r.personId === personId && pickableAt(r, scene.at, graceMs))
    // Soonest first; of two from the same moment, the one by name (its item is certain).
    .sort(
      (a, b) =>
        a.startsAt - b.startsAt ||
        Number(a.itemId === null) - Number(b.itemId === null) ||
        a.id.localeCompare(b.id),
    );
  const taken = new Set<string>();
  return mine.map((r) => {
    const named = r.itemId === null ? null : (scene.catalog.find((i) => i.id === r.itemId) ?? null);
    const candidates = named
      ? [named]
      : scene.catalog.filter((i) => i.category === r.category && !facts.some((f) => f.itemId === i.id));
    const pick =
      candidates.find(
        (i) => !taken.has(i.id) && onShelf(i, scene.itemNow) && reservedRefusal(i, personId, scene) === null,
      ) ?? null;
    if (pick) taken.add(pick.id);
    return {
      reservationId: r.id,
      itemId: pick?.id ?? null,
      itemName: pick?.name ?? named?.name ?? null,
      category: named?.category ?? r.category ?? '',
      byName: r.itemId !== null,
      startsAt: toIso(r.startsAt),
      endsAt: toIso(r.endsAt),
      pickupUntil: toIso(pickupWindow(r, graceMs).endsAt),
    };
  });
}
