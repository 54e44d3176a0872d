/**
 * Staff's Reservations page (issue 16): every reservation in pages, filtered by state,
 * person and item; cancel any (confirmed in a dialog); reserve for anyone; and what is free
 * when for the item or category being reserved.
 */
import { useState } from 'react';
import type { Reservation, ReservationListResponse } from '../../protocol/index.ts';
import { api, qs } from '../api.ts';
import { Empty, ErrorLine, Loading, Page } from '../components.tsx';
import { useData, useT } from '../context.tsx';
import { Pager, usePageCursor } from '../paging.tsx';
import { ItemPicker, PersonPicker } from '../type-ahead.tsx';
import { ReservationTable, ReserveWithAvailability, reservedWhat } from './reservations-parts.tsx';

const PAGE_SIZE = 20;
const STATES = ['current', 'active', 'picked_up', 'cancelled', 'expired', 'all'] as const;
const STATE_WORDS = {
  current: 'resCurrent',
  active: 'resActive',
  picked_up: 'resPickedUp',
  cancelled: 'resCancelled',
  expired: 'resExpired',
  all: 'anything',
} as const;

export function ReservationsPage() {
  const { t } = useT();
  const [status, setStatus] = useState<(typeof STATES)[number]>('current');
  const [userId, setUserId] = useState('');
  const [itemId, setItemId] = useState('');
  const [made, setMade] = useState<Reservation | null>(null);
  const [version, setVersion] = useState(0);
  const filters = { status, userId, itemId };
  const cursor = usePageCursor(JSON.stringify(filters));
  const list = useData(
    () =>
      api.get<ReservationListResponse>(
        `/v1/admin/reservations${qs({ ...filters, limit: String(PAGE_SIZE), after: cursor.after })}`,
      ),
    [status, userId, itemId, cursor.after],
  );
  return (
    <Page title={t('navReservations')}>
      <div className="filters">
        <select
          className="whole"
          aria-label={t('resState')}
          value={status}
          onChange={(e) => setStatus(e.target.value as typeof status)}
          data-testid="res-status"
        >
          {STATES.map((s) => (
            <option key={s} value={s}>
              {t(STATE_WORDS[s])}
            </option>
          ))}
        </select>
        <PersonPicker value={userId} onChange={setUserId} label={t('person')} />
        <ItemPicker value={itemId} onChange={setItemId} label={t('item')} />
      </div>
      <ErrorLine error={list.error} />
      {!list.data ? (
        <Loading />
      ) : list.data.reservations.length === 0 ? (
        <Empty what="resEmpty" />
      ) : (
        <>
          <ReservationTable
            rows={list.data.reservations}
            base="/v1/admin"
            showPerson
            onChanged={() => {
              list.reload();
              setVersion((v) => v + 1);
            }}
          />
          <Pager
            page={{ ...list.data, rows: list.data.reservations, index: cursor.index }}
            pageSize={PAGE_SIZE}
            counts="records"
            onBack={cursor.back}
            onForward={cursor.forward}
          />
        </>
      )}
      <h2>{t('resNew')}</h2>
      {made ? (
        <p className="notice ok" role="status" data-testid="reserve-done">
          {t('resDone', { what: `${reservedWhat(t, made)} · ${made.userName}` })}
        </p>
      ) : null}
      <ReserveWithAvailability
        base="/v1/admin"
        version={version}
        onDone={(r) => {
          setMade(r);
          list.reload();
          setVersion((v) => v + 1);
        }}
      />
    </Page>
  );
}
