/**
 * A member's own reservations (issue 16), on their page: what they have reserved (cancel
 * with a confirmation), a form to reserve an item or any one of a category, and what is free
 * when for the one chosen. The server limits all of it to their own (/v1/people/me/…).
 */
import { useState } from 'react';
import type { Reservation, ReservationListResponse } from '../../protocol/index.ts';
import { api } from '../api.ts';
import { Empty, ErrorLine, Loading } from '../components.tsx';
import { useData, useT } from '../context.tsx';
import { ReservationTable, ReserveWithAvailability, reservedWhat } from './reservations-parts.tsx';

export function MyReservations() {
  const { t } = useT();
  const [made, setMade] = useState<Reservation | null>(null);
  const [version, setVersion] = useState(0);
  const list = useData(() => api.get<ReservationListResponse>('/v1/people/me/reservations?limit=50'), []);
  return (
    <section data-testid="my-reservations">
      <h2>{t('myReservations')}</h2>
      <ErrorLine error={list.error} />
      {made ? (
        <p className="notice ok" role="status" data-testid="reserve-done">
          {t('resDone', { what: reservedWhat(t, made) })}
        </p>
      ) : null}
      {!list.data ? (
        <Loading />
      ) : list.data.reservations.length === 0 ? (
        <Empty what="resEmpty" />
      ) : (
        <ReservationTable
          rows={list.data.reservations}
          base="/v1/people/me"
          showPerson={false}
          onChanged={() => {
            list.reload();
            setVersion((v) => v + 1);
          }}
        />
      )}
      <h3>{t('resNew')}</h3>
      <ReserveWithAvailability
        base="/v1/people/me"
        version={version}
        onDone={(r) => {
          setMade(r);
          list.reload();
          setVersion((v) => v + 1);
        }}
      />
    </section>
  );
}
