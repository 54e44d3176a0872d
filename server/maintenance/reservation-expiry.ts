/**
 * Reservations not picked up within their grace time expire and free their item (issue 16):
 * each in its own transaction with its audit entry (ended once: a kiosk borrow picking it up
 * at the same moment wins or loses cleanly, never both), then the person is told through the
 * reminder channels that carry notices. On a schedule; with several replicas one of them
 * does each round (a claim in SharedState), as the purge does.
 */
import type { Clock } from '../../protocol/index.ts';
import { pickupWindow } from '../../protocol/reservations.ts';
import type { SetTimer } from '../notify/daily-schedule.ts';
import { startFleetJob } from './fleet-job.ts';
import type { Notifier, PersonNotice } from '../notify/notifier.ts';
import {
  describe,
  graceMs,
  RESERVATION_DEFAULTS,
  type ReservationSettings,
} from '../reservations/reserve.ts';
import type { SharedState } from '../shared/shared-state.ts';
import type { ReservationRecord } from '../store/reservation-store.ts';
import type { Store } from '../store/store.ts';

export const EXPIRY_EVERY_MS = 5 * 60_000;

export type ExpiryRound = { expired: number; told: number; failed: number };

/** The notice's words, Korean first and English after (a person's language is not stored). */
export function expiryNotice(
  r: ReservationRecord,
  person: PersonNotice['person'],
  grace: number,
): PersonNotice {
  const what = r.itemId ? `${r.itemName} (${r.itemTag})` : r.category;
  const until = new Date(pickupWindow(r, grace).endsAt).toISOString().slice(0, 16).replace('T', ' ');
  return {
    type: 'reservation.expired',
    person,
    subject: `[장비 대여] 예약이 만료되었습니다 / Reservation expired: ${what}`,
    text: [
      `${person.displayName}님, ${what} 예약을 수령 기한(${until} UTC)까지 가져가지 않아 예약이 만료되었습니다. 다른 사람이 빌릴 수 있게 되었습니다.`,
      '',
      `${person.displayName}, your reservation of ${what} was not picked up by ${until} UTC, so it has expired and the item is free for others.`,
    ].join('\n'),
  };
}

export async function expireReservations(deps: {
  store: Store;
  clock: Clock;
  notifiers?: Notifier[] | undefined;
  settings?: ReservationSettings | undefined;
}): Promise<ExpiryRound> {
  const now = deps.clock.now();
  const grace = graceMs(deps.settings ?? RESERVATION_DEFAULTS);
  const round: ExpiryRound = { expired: 0, told: 0, failed: 0 };
  for (const r of await deps.store.reservationsToExpire(now - grace, now)) {
    const ended = await deps.store.withTransaction(async (tx) => {
      if (!(await tx.endReservation(r.id, 'expired', now))) return false;
      await tx.audit(
        {
          actor: { kind: 'system', id: null, name: 'reservations', via: null },
          action: 'reservation.expire',
          targetKind: 'reservation',
          targetId: r.id,
          detail: `${describe(r)} · ${r.userName} · ${new Date(r.startsAt).toISOString()} -> ${new Date(r.endsAt).toISOString()}`,
        },
        now,
      );
      return true;
    });
    if (!ended) continue;
    round.expired++;
    const user = await deps.store.findUserById(r.userId);
    if (!user) continue;
    const notice = expiryNotice(r, { id: user.id, displayName: user.displayName, email: user.email }, grace);
    for (const n of deps.notifiers ?? []) {
      if (!n.tell) continue;
      try {
        await n.tell(notice);
        round.told++;
      } catch {
        round.failed++;
      }
    }
  }
  return round;
}

export function startReservationExpiry(opts: {
  store: Store;
  shared: SharedState;
  clock: Clock;
  notifiers?: Notifier[] | undefined;
  settings?: ReservationSettings | undefined;
  everyMs?: number;
  setTimer?: SetTimer;
  onRound?: (round: ExpiryRound | null) => void;
  onError?: (err: unknown) => void;
}): { stop(): void } {
  return startFleetJob({
    name: 'reservation-expiry',
    everyMs: opts.everyMs ?? EXPIRY_EVERY_MS,
    shared: opts.shared,
    clock: opts.clock,
    work: () => expireReservations(opts),
    setTimer: opts.setTimer,
    onRound: opts.onRound,
    onError: opts.onError,
  });
}
