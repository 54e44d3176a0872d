/** Conflicts: each with its evidence (both transactions, kiosks, times, offline or online); resolve with a note. */
import { useState } from 'react';
import {
  STAFF_KIOSK_ID,
  type AdminConflict,
  type ConflictsResponse,
  type ErrorCode,
  type TxEvidence,
} from '../../protocol/index.ts';
import { api, qs } from '../api.ts';
import { conflictSentence } from '../audit-words.ts';
import { Chip, Empty, ErrorLine, Field, Loading, Page, TxStatus } from '../components.tsx';
import { useData, useT } from '../context.tsx';
import { KioskSelect } from '../type-ahead.tsx';
import { dayEndIso, dayStartIso, when } from '../format.ts';
import { Pager } from '../paging.tsx';
import { useUrlList } from '../url-pages.ts';

const CONFLICT_PAGE_SIZE = 25;

/** The codes a kiosk's record can be refused or conflict with, for the filter. */
const CONFLICT_CODES: ErrorCode[] = [
  'RETURNED_BY_OTHER',
  'ITEM_UNAVAILABLE',
  'ITEM_NOT_ON_LOAN',
  'ITEM_UNKNOWN',
  'ITEM_NOT_ALLOWED',
  'ITEM_NEEDS_CHECK',
  'USER_UNKNOWN',
  'USER_INACTIVE',
  'LOAN_LIMIT_REACHED',
  'CATEGORY_LIMIT_REACHED',
  'CATEGORY_NOT_ALLOWED',
  'OVERDUE_BLOCK',
  'PERSON_SUSPENDED',
  'OFFLINE_PROOF_INVALID',
  'OFFLINE_TIME_UNBOUNDED',
  'TX_ID_CLASH',
];

function Evidence(props: { title: string; tx: TxEvidence }) {
  const { t, lang, err } = useT();
  const tx = props.tx;
  return (
    <div className="evidence">
      <h3>{props.title}</h3>
      <dl>
        <dt>{t('what')}</dt>
        <dd>
          {t(tx.kind === 'borrow' ? 'txBorrow' : tx.kind === 'renew' ? 'txRenew' : 'txReturn')}{' '}
          <TxStatus status={tx.status} />
          {tx.code ? <span className="muted"> {err(tx.code)}</span> : null}
        </dd>
        <dt>{t('person')}</dt>
        <dd>{tx.userName ?? t('auSomeone')}</dd>
        <dt>{t('kiosk')}</dt>
        <dd>{tx.kioskId === STAFF_KIOSK_ID ? t('staffKiosk') : (tx.kioskName ?? '—')}</dd>
        <dt>{t('occurredAt')}</dt>
        <dd>
          {when(lang, tx.occurredAt)}{' '}
          {tx.clockTrusted ? null : <Chip tone="warn">{t('clockUntrusted')}</Chip>}
        </dd>
        <dt>{t('receivedAt')}</dt>
        <dd>
          {when(lang, tx.receivedAt)}{' '}
          {tx.offline ? (
            <Chip tone="warn">{t('recordedOffline')}</Chip>
          ) : (
            <Chip tone="muted">{t('recordedOnline')}</Chip>
          )}
        </dd>
        {tx.note ? (
          <>
            <dt>{t('note')}</dt>
            <dd>{tx.note}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

/** Where staff may say the item is: back, or with one of the people in the evidence. */
function holderChoices(c: AdminConflict) {
  const people = new Map<string, string>();
  for (const tx of [c.tx, c.other])
    // Someone not registered (no name) cannot be recorded as holding it, nor shown by an id.
    if (tx && tx.userName && tx.userId !== c.holder?.userId) people.set(tx.userId, tx.userName);
  return { back: c.holder !== null, people: [...people] };
}

/** Radio value: 'keep', 'back', or a person's id. */
type Where = string;

function ConflictCard(props: { c: AdminConflict; onResolved: () => void }) {
  const { t, lang } = useT();
  const { c } = props;
  const [note, setNote] = useState('');
  const [where, setWhere] = useState<Where>('keep');
  const [error, setError] = useState<unknown>(null);
  const choices = holderChoices(c);
  const resolve = async () => {
    try {
      await api.post(`/v1/admin/conflicts/${c.id}/resolve`, {
        note: note.trim(),
        ...(where === 'keep' ? {} : { holder: where === 'back' ? null : where }),
      });
      props.onResolved();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <article className="panel conflict" data-testid="conflict">
      <div className="panel-head">
        <h2 data-testid="conflict-sentence">
          {conflictSentence(t, lang, {
            code: c.code,
            kind: c.tx.kind,
            person: c.tx.userName,
            item: c.itemName,
            kiosk: c.tx.kioskId === STAFF_KIOSK_ID ? t('staffKiosk') : c.tx.kioskName,
            other: c.other?.userName ?? null,
          })}
        </h2>
      </div>
      <div className="evidence-pair">
        <Evidence title={t('thisTx')} tx={c.tx} />
        {c.other ? <Evidence title={t('otherTx')} tx={c.other} /> : <p className="muted">{t('noOtherTx')}</p>}
      </div>
      {c.resolvedAt ? (
        <p className="resolution">
          <Chip tone="ok">{t('resolvedConflicts')}</Chip>{' '}
          {t('resolvedBy', { name: c.resolvedBy ?? '', t: when(lang, c.resolvedAt) })}: {c.resolution}
        </p>
      ) : (
        <div className="resolve">
          <p className="holder-now" data-testid="holder-now">
            {c.holder
              ? t('holderNow', { name: c.holder.userName, t: when(lang, c.holder.since) })
              : t('holderNone')}
          </p>
          <fieldset className="where">
            <legend>{t('whereIsItem')}</legend>
            <label>
              <input
                type="radio"
                name={`where-${c.id}`}
                checked={where === 'keep'}
                onChange={() => setWhere('keep')}
              />
              {t('keepLoans')}
            </label>
            {choices.back ? (
              <label>
                <input
                  type="radio"
                  name={`where-${c.id}`}
                  checked={where === 'back'}
                  onChange={() => setWhere('back')}
                />
                {t('itemIsBack')}
              </label>
            ) : null}
            {choices.people.map(([id, name]) => (
              <label key={id}>
                <input
                  type="radio"
                  name={`where-${c.id}`}
                  checked={where === id}
                  onChange={() => setWhere(id)}
                />
                {t('itemWith', { name })}
              </label>
            ))}
          </fieldset>
          <textarea
            aria-label={t('resolutionNote')}
            placeholder={t('resolutionNote')}
            value={note}
            maxLength={1000}
            onChange={(e) => setNote(e.target.value)}
          />
          <button className="primary" disabled={!note.trim()} onClick={() => void resolve()}>
            {t('resolve')}
          </button>
          <ErrorLine error={error} />
        </div>
      )}
    </article>
  );
}

export function ConflictsPage() {
  const { t, err } = useT();
  const { view, setFilters, cursor } = useUrlList({ state: 'open', kiosk: '', code: '', from: '', to: '' });
  const index = cursor.index;
  const query = qs({
    state: view.state,
    kioskId: view.kiosk,
    code: view.code,
    from: dayStartIso(view.from),
    to: dayEndIso(view.to),
    after: cursor.after,
    limit: String(CONFLICT_PAGE_SIZE),
  });
  const { data, error, reload } = useData(
    async () => ({ ...(await api.get<ConflictsResponse>(`/v1/admin/conflicts${query}`)), index }),
    [query],
  );
  const tab = (state: string, key: 'openConflicts' | 'resolvedConflicts' | 'all') => (
    <button role="tab" aria-selected={view.state === state} onClick={() => setFilters({ state })}>
      {t(key)}
    </button>
  );
  const pager = data ? (
    <Pager
      page={{ ...data, rows: data.conflicts }}
      pageSize={CONFLICT_PAGE_SIZE}
      counts="records"
      onBack={cursor.back}
      onForward={cursor.forward}
    />
  ) : null;
  return (
    <Page
      title={t('navConflicts')}
      actions={
        <div className="tabs" role="tablist">
          {tab('open', 'openConflicts')}
          {tab('resolved', 'resolvedConflicts')}
          {tab('all', 'all')}
        </div>
      }
    >
      <div className="filters">
        <Field label={t('kiosk')}>
          <KioskSelect value={view.kiosk} onChange={(kiosk) => setFilters({ kiosk })} withStaff />
        </Field>
        <Field label={t('cfCode')}>
          <select
            aria-label={t('cfCode')}
            data-testid="conflict-code"
            value={view.code}
            onChange={(e) => setFilters({ code: e.target.value })}
          >
            <option value="">{t('anything')}</option>
            {CONFLICT_CODES.map((code) => (
              <option key={code} value={code}>
                {err(code)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('from')}>
          <input
            type="date"
            value={view.from}
            max={view.to || undefined}
            onChange={(e) => setFilters({ from: e.target.value })}
          />
        </Field>
        <Field label={t('to')}>
          <input
            type="date"
            value={view.to}
            min={view.from || undefined}
            onChange={(e) => setFilters({ to: e.target.value })}
          />
        </Field>
      </div>
      <ErrorLine error={error} />
      {!data ? <Loading /> : data.conflicts.length === 0 ? <Empty what="noConflicts" /> : null}
      {data?.conflicts.map((c) => (
        <ConflictCard key={c.id} c={c} onResolved={reload} />
      ))}
      {pager}
    </Page>
  );
}
