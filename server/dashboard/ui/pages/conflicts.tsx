/** Conflicts: each with its evidence (both transactions, kiosks, times, offline or online); resolve with a note. */
import { useState } from 'react';
import {
  STAFF_KIOSK_ID,
  type AdminConflict,
  type ConflictsResponse,
  type TxEvidence,
} from '../../../../protocol/index.ts';
import { api } from '../api.ts';
import { Chip, Empty, ErrorLine, Loading, Page, TxStatus } from '../components.tsx';
import { useData, useT } from '../context.tsx';
import { when } from '../format.ts';

function Evidence(props: { title: string; tx: TxEvidence }) {
  const { t, lang, err } = useT();
  const tx = props.tx;
  return (
    <div className="evidence">
      <h3>{props.title}</h3>
      <dl>
        <dt>{t('what')}</dt>
        <dd>
          {t(tx.kind === 'borrow' ? 'txBorrow' : 'txReturn')} <TxStatus status={tx.status} />
          {tx.code ? <span className="muted"> {err(tx.code)}</span> : null}
        </dd>
        <dt>{t('person')}</dt>
        <dd>{tx.userName ?? tx.userId}</dd>
        <dt>{t('kiosk')}</dt>
        <dd>{tx.kioskId === STAFF_KIOSK_ID ? t('staffKiosk') : (tx.kioskName ?? tx.kioskId)}</dd>
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
    if (tx && tx.userId !== c.holder?.userId) people.set(tx.userId, tx.userName ?? tx.userId);
  return { back: c.holder !== null, people: [...people] };
}

/** Radio value: 'keep', 'back', or a person's id. */
type Where = string;

function ConflictCard(props: { c: AdminConflict; onResolved: () => void }) {
  const { t, lang, err } = useT();
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
        <h2>
          {c.itemName ?? c.itemId} — {c.code ? err(c.code) : c.status}
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
  const { t } = useT();
  const [state, setState] = useState<'open' | 'resolved'>('open');
  const { data, error, reload } = useData(
    () => api.get<ConflictsResponse>(`/v1/admin/conflicts?state=${state}`),
    [state],
  );
  return (
    <Page
      title={t('navConflicts')}
      actions={
        <div className="tabs" role="tablist">
          <button role="tab" aria-selected={state === 'open'} onClick={() => setState('open')}>
            {t('openConflicts')}
          </button>
          <button role="tab" aria-selected={state === 'resolved'} onClick={() => setState('resolved')}>
            {t('resolvedConflicts')}
          </button>
        </div>
      }
    >
      <ErrorLine error={error} />
      {!data ? <Loading /> : data.conflicts.length === 0 ? <Empty what="noConflicts" /> : null}
      {data?.conflicts.map((c) => (
        <ConflictCard key={c.id} c={c} onResolved={reload} />
      ))}
    </Page>
  );
}
