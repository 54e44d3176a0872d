/**
 * What a kiosk's catalog pull carries of the reservations (protocol 6, issue 16): the active
 * ones whose pickup time is now or within KIOSK_RESERVATION_DAYS, so a kiosk holds an item
 * back for its holder online and offline alike, by the rule the sync judges by again
 * (protocol/reservations.ts reservationBlock). Whose each is goes as the person's id only.
 */
import { KIOSK_RESERVATION_DAYS, toIso, type CatalogReservations } from '../../protocol/index.ts';
import { pickupWindow } from '../../protocol/reservations.ts';
import type { Store } from '../store/store.ts';

const DAY_MS = 24 * 60 * 60_000;

export async function kioskReservations(
  store: Pick<Store, 'activeReservationsBetween'>,
  now: number,
  /** The server's pickup grace (config), the same the sync judges by. */
  grace: number,
): Promise<CatalogReservations> {
  const rows = await store.activeReservationsBetween(now - grace, now + KIOSK_RESERVATION_DAYS * DAY_MS);
  return {
    pickupGraceMs: grace,
    held: rows
      // One whose pickup time is over is on its way to expiring: it holds nothing back.
      .filter((r) => pickupWindow(r, grace).endsAt > now)
      .map((r) => ({
        id: r.id,
        itemId: r.itemId,
        category: r.category,
        userId: r.userId,
        startsAt: toIso(r.startsAt),
        endsAt: toIso(r.endsAt),
      })),
  };
}
