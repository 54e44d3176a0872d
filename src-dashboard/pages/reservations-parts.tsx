/**
 * Reservations on the dashboard, the parts both audiences use (issue 16): the list with a
 * cancel button (an in-app confirmation first), the reserve form (an item by name or any
 * one of a category, a start and an end; staff also pick the person) and the availability
 * grid: the next two weeks, a day a cell, with how many are free at the worst moment of it.
 * `base` is '/v1/admin' for staff, '/v1/people/me' for a member; the server decides what each
 * may do and see (server/routes/reservations.ts).
 */
import { useState } from 'react';
import type {
  AvailabilityResponse,
  Reservation,
  ReservableResponse,
  ReservationResponse,
} from '../../protocol/index.ts';
import { api, qs } from '../api.ts';
import { Chip, ErrorLine, Field } from '../components.tsx';
import { useData, useT } from '../context.tsx';
import { useAsk } from '../dialog.tsx';
import { when } from '../format.ts';
import type { MessageKey } from '../i18n.ts';
import { ItemPicker, PersonPicker } from '../type-ahead.tsx';

export type Base = '/v1/admin' | '/v1/people/me';

const STATUS_WORDS: Record<Reservation['status'], MessageKey> = {
  active: 'resActive',
  picked_up: 'resPickedUp',
  cancelled: 'resCancelled',
  expired: 'resExpired',
};
const STATUS_TONE = { active: 'info', picked_up: 'ok', cancelled: 'muted', expired: 'warn' } as const;

/** What a reservation is for, in words: the item, or any one of its category. */
export function reservedWhat(t: ReturnType<typeof useT>['t'], r: Reservation): string {
  return r.itemId ? `${r.itemName ?? ''}` : t('anyOf', { category: r.category });
}

export function ReservationTable(props: {
  rows: Reservation[];
  base: Base;
  showPerson: boolean;
  onChanged: () => void;
}) {
  const { t, lang } = useT();
  const ask = useAsk();
  const [failure, setFailure] = useState<unknown>(null);
  const cancel = async (r: Reservation) => {
    setFailure(null);
    const { ok } = await ask({
      title: t('resCancelTitle'),
      body: t('resCancelBody', {
        what: reservedWhat(t, r),
        from: when(lang, r.startsAt),
        to: when(lang, r.endsAt),
      }),
      confirm: t('resCancel'),
      danger: true,
    });
    if (!ok) return;
    try {
      await api.post<ReservationResponse>(`${props.base}/reservations/${r.id}/cancel`);
    } catch (e) {
      setFailure(e);
    }
    props.onChanged();
  };
  return (
    <>
      <ErrorLine error={failure} />
      <table data-testid="reservations">
        <thead>
          <tr>
            <th>{t('resWhat')}</th>
            {props.showPerson ? <th>{t('person')}</th> : null}
            <th>{t('resStarts')}</th>
            <th>{t('resEnds')}</th>
            <th>{t('resPickupBy')}</th>
            <th>{t('resState')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.id} data-reservation={r.id}>
              <td className="cut" title={reservedWhat(t, r)}>
                {r.itemTag ? <span className="mono">{r.itemTag} </span> : null}
                {reservedWhat(t, r)}
              </td>
              {props.showPerson ? <td>{r.userName}</td> : null}
              <td className="nowrap">{when(lang, r.startsAt)}</td>
              <td className="nowrap">{when(lang, r.endsAt)}</td>
              <td className="nowrap">{r.status === 'active' ? when(lang, r.pickupUntil) : '—'}</td>
              <td>
                <Chip tone={STATUS_TONE[r.status]}>{t(STATUS_WORDS[r.status])}</Chip>
              </td>
              <td>
                {r.status === 'active' ? (
                  <button className="small" onClick={() => void cancel(r)} data-testid="cancel-reservation">
                    {t('resCancel')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** 'YYYY-MM-DDTHH:MM' in the browser's time, for a datetime-local input. */
const localInput = (ms: number) => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};
/** A datetime-local value as the wire's ISO time (an unreadable one stays unreadable: the server says so). */
const isoOf = (local: string) => {
  const ms = new Date(local).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : local;
};

export type Target = { itemId: string; category: string };

export function ReserveForm(props: {
  base: Base;
  target: Target;
  onTarget: (t: Target) => void;
  onDone: (r: Reservation) => void;
}) {
  const { t } = useT();
  const staff = props.base === '/v1/admin';
  const reservable = useData(() => api.get<ReservableResponse>(`${props.base}/reservable`), [props.base]);
  const tomorrow = new Date();
  tomorrow.setDate(tomorrow.getDate() + 1);
  tomorrow.setHours(10, 0, 0, 0);
  const [userId, setUserId] = useState('');
  const [by, setBy] = useState<'item' | 'category'>(
    props.target.category && !props.target.itemId ? 'category' : 'item',
  );
  const [startsAt, setStartsAt] = useState(localInput(tomorrow.getTime()));
  const [endsAt, setEndsAt] = useState(localInput(tomorrow.getTime() + 8 * 3_600_000));
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { itemId, category } = props.target;
  const items = reservable.data?.categories.flatMap((c) => c.items) ?? [];

  const submit = async () => {
    setFailure(null);
    setBusy(true);
    try {
      const res = await api.post<ReservationResponse>(`${props.base}/reservations`, {
        ...(by === 'item' ? { itemId } : { category }),
        ...(staff && userId ? { userId } : {}),
        startsAt: isoOf(startsAt),
        endsAt: isoOf(endsAt),
      });
      props.onDone(res.reservation);
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="form reserve-form"
      data-testid="reserve-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {staff ? (
        <Field label={t('person')}>
          <PersonPicker value={userId} onChange={setUserId} label={t('person')} />
        </Field>
      ) : null}
      <fieldset className="choice">
        <legend>{t('resWhat')}</legend>
        <label>
          <input type="radio" name="by" checked={by === 'item'} onChange={() => setBy('item')} />{' '}
          {t('resByItem')}
        </label>
        <label>
          <input
            type="radio"
            name="by"
            checked={by === 'category'}
            onChange={() => setBy('category')}
            data-testid="by-category"
          />{' '}
          {t('resByCategory')}
        </label>
      </fieldset>
      {by === 'item' ? (
        <Field label={t('item')}>
          {staff ? (
            <ItemPicker
              value={itemId}
              onChange={(id) => props.onTarget({ itemId: id, category: '' })}
              label={t('item')}
            />
          ) : (
            <select
              aria-label={t('item')}
              value={itemId}
              data-testid="reserve-item"
              onChange={(e) => props.onTarget({ itemId: e.target.value, category: '' })}
            >
              <option value="">—</option>
              {items.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.tag} · {i.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <Field label={t('category')}>
          <select
            aria-label={t('category')}
            value={category}
            data-testid="reserve-category"
            onChange={(e) => props.onTarget({ itemId: '', category: e.target.value })}
          >
            <option value="">—</option>
            {reservable.data?.categories.map((c) => (
              <option key={c.category} value={c.category}>
                {c.category} ({c.items.length})
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field label={t('resStarts')}>
        <input
          type="datetime-local"
          value={startsAt}
          onChange={(e) => setStartsAt(e.target.value)}
          data-testid="reserve-start"
        />
      </Field>
      <Field label={t('resEnds')}>
        <input
          type="datetime-local"
          value={endsAt}
          onChange={(e) => setEndsAt(e.target.value)}
          data-testid="reserve-end"
        />
      </Field>
      <ErrorLine error={failure ?? reservable.error} />
      <div className="form-actions">
        <button
          type="submit"
          className="primary"
          disabled={busy || (by === 'item' ? !itemId : !category) || (staff && !userId)}
          data-testid="reserve-submit"
        >
          {t('resSubmit')}
        </button>
      </div>
    </form>
  );
}

/**
 * The reserve form beside the availability of what it names: the page's own and the
 * member's. `version` moves when the page changed a reservation, so the grid reads again.
 */
export function ReserveWithAvailability(props: {
  base: Base;
  version: number;
  onDone: (r: Reservation) => void;
}) {
  const { t } = useT();
  const [target, setTarget] = useState<Target>({ itemId: '', category: '' });
  return (
    <div className="reserve-columns">
      <ReserveForm base={props.base} target={target} onTarget={setTarget} onDone={props.onDone} />
      <section>
        <h3>{t('resAvailability')}</h3>
        <AvailabilityGrid base={props.base} target={target} version={props.version} />
      </section>
    </div>
  );
}

const DAY = 86_400_000;
const GRID_DAYS = 14;

/** The next two weeks, a day a cell: how many are free at the busiest moment of the day. */
export function AvailabilityGrid(props: {
  base: Base;
  target: Target;
  /** Bumped after a change here, to load again. */ version?: number;
}) {
  const { t, lang } = useT();
  const { itemId, category } = props.target;
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  const from = start.getTime();
  const to = from + GRID_DAYS * DAY;
  const q = itemId ? { item: itemId } : category ? { category } : null;
  const data = useData(
    () =>
      q
        ? api.get<AvailabilityResponse>(
            `${props.base}/availability${qs({ ...q, from: new Date(from).toISOString(), to: new Date(to).toISOString() })}`,
          )
        : Promise.resolve(null),
    [props.base, itemId, category, from, props.version],
  );
  if (!q) return <p className="muted">{t('availPick')}</p>;
  const a = data.data;
  const days = Array.from({ length: GRID_DAYS }, (_, i) => from + i * DAY);
  const freeOn = (day: number) => {
    if (!a) return null;
    const inDay = a.segments.filter((s) => Date.parse(s.startsAt) < day + DAY && Date.parse(s.endsAt) > day);
    return inDay.length ? Math.min(...inDay.map((s) => s.free)) : null;
  };
  const fmt = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', {
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
  });
  return (
    <div data-testid="availability">
      <ErrorLine error={data.error} />
      <p className="muted">
        {a ? (a.itemName ?? t('anyOf', { category: a.category })) : ''} · {t('availTwoWeeks')}
        {a && !itemId ? ` · ${t('availOf', { n: a.lendable })}` : ''}
      </p>
      <ol
        className="avail-grid"
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(7, 1fr)',
          gap: 4,
          padding: 0,
          listStyle: 'none',
        }}
      >
        {days.map((day) => {
          const free = freeOn(day);
          const tone = free === null ? 'muted' : free === 0 ? 'bad' : 'ok';
          return (
            <li
              key={day}
              className={`avail-day chip ${tone}`}
              data-free={free ?? ''}
              style={{
                display: 'flex',
                flexDirection: 'column',
                alignItems: 'center',
                padding: '6px 2px',
                borderRadius: 6,
              }}
            >
              <span className="nowrap">{fmt.format(new Date(day))}</span>
              <strong>
                {free === null
                  ? '…'
                  : itemId
                    ? t(free > 0 ? 'availFree' : 'availTaken')
                    : t('availFreeN', { n: free })}
              </strong>
            </li>
          );
        })}
      </ol>
      {a && a.bookings.length > 0 ? (
        <ul className="avail-bookings" data-testid="availability-bookings">
          {a.bookings.map((b, i) => (
            <li key={i}>
              {t(b.kind === 'loan' ? 'availLoan' : 'availReservation')}
              {b.itemName ? ` · ${b.itemName}` : ''} · {when(lang, b.startsAt)} – {when(lang, b.endsAt)}
              {b.who ? ` · ${b.who}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
