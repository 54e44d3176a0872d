/**
 * "Reserved for you" (issue 16): the person's reservations in their pickup time, first on
 * their session home, each borrowed with one touch (the borrow goes through the outbox like
 * any other). Which item that touch takes, and whether there is one here, is the core's
 * (src-main/core/reservation-check.ts); this only shows it.
 */
import type { ReservedForYou as Reserved } from '../../protocol/kiosk-api.ts';
import { useI18n } from '../i18n/i18n-context.tsx';

type Props = {
  reservations: readonly Reserved[];
  onBorrow: (itemId: string) => void;
};

export function ReservedForYou({ reservations, onBorrow }: Props) {
  const { t, dateTime } = useI18n();
  if (reservations.length === 0) return null;
  return (
    <section className="panel reserved-panel" aria-labelledby="reserved-title" data-testid="reserved-for-you">
      <h2 id="reserved-title">{t('reservedTitle')}</h2>
      <ul className="reserved-list">
        {reservations.map((r) => {
          const title = r.byName ? (r.itemName ?? '') : t('reservedAnyOf', { category: r.category });
          // The item one touch takes: by name, or the one of the category chosen here.
          const name = r.itemName ?? title;
          return (
            <li key={r.reservationId} className="reserved-row" data-reservation={r.reservationId}>
              <div className="reserved-what">
                <strong className="reserved-name">{title}</strong>
                {!r.byName && r.itemName && <span className="reserved-item">{r.itemName}</span>}
                <span className="muted reserved-when">
                  {r.itemId ? t('reservedPickUpBy', { time: dateTime(r.pickupUntil) }) : t('reservedNotHere')}
                </span>
              </div>
              {r.itemId && (
                <button
                  type="button"
                  className="btn btn-primary reserved-borrow"
                  onClick={() => onBorrow(r.itemId!)}
                  aria-label={t('reservedBorrowLabel', { name })}
                  data-testid={`reserved-borrow-${r.reservationId}`}
                >
                  {t('reservedBorrow')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
