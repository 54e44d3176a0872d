/**
 * One item's page (#/items/<id>): its photo, what it is (tag, serial number, category, a
 * kit's parts, condition with the parts a return said were missing), who holds it now and
 * until when, notes, and its history: loans newest first in pages from the server, and every
 * change of its condition. Staff put or remove the photo and set the condition here; admins
 * edit and retire it.
 */
import { useState } from 'react';
import type { AdminItem, AdminLoansResponse, ItemDetailResponse } from '../../protocol/index.ts';
import { api, qs } from '../api.ts';
import { Chip, ErrorLine, Loading, Page } from '../components.tsx';
import { useApp, useData, useT } from '../context.tsx';
import { useAsk } from '../dialog.tsx';
import { when } from '../format.ts';
import { Pager, usePageCursor } from '../paging.tsx';
import { ConditionChip, ConditionForm, ConditionHistory } from './item-condition.tsx';
import { PartChips } from './item-parts.tsx';
import { ItemForm, itemDraft, toBody, useRetire } from './items.tsx';
import { LoanTable } from './loans.tsx';

const LOAN_PAGE = 10;

function ItemPhoto(props: { item: AdminItem; onChange: () => void }) {
  const { t } = useT();
  const ask = useAsk();
  const { item } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const label = `${item.tag} ${item.name}`;
  const upload = async (file: File) => {
    setBusy(true);
    try {
      await api.upload(`/v1/admin/items/${item.id}/photo`, file);
      setError(null);
      props.onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    const { ok } = await ask({
      title: t('removePhotoTitle', { item: label }),
      body: t('removePhotoBody'),
      confirm: t('removePhoto'),
      danger: true,
    });
    if (!ok) return;
    try {
      await api.del(`/v1/admin/items/${item.id}/photo`);
      setError(null);
      props.onChange();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="panel item-photo-panel" data-testid="item-photo">
      {item.photo ? (
        <img className="item-photo" src={item.photo} alt={t('photoOf', { item: item.name })} />
      ) : (
        <div className="item-photo empty">{t('noPhoto')}</div>
      )}
      <div className="form-actions">
        <label className={`button ${busy ? 'disabled' : ''}`}>
          {busy ? t('uploading') : t(item.photo ? 'replacePhoto' : 'uploadPhoto')}
          <input
            type="file"
            accept="image/jpeg,image/png,image/webp"
            hidden
            disabled={busy}
            data-testid="photo-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void upload(f);
              e.target.value = '';
            }}
          />
        </label>
        {item.photo ? (
          <button type="button" onClick={() => void remove()}>
            {t('removePhoto')}
          </button>
        ) : null}
      </div>
      <p className="field-hint">{t('photoHint')}</p>
      <ErrorLine error={error} />
    </div>
  );
}

function Holder(props: { item: AdminItem }) {
  const { t, lang } = useT();
  const h = props.item.holder;
  if (!h) return <p className="muted">{t('notOnLoan')}</p>;
  const overdue = Date.parse(h.dueAt) < Date.now();
  return (
    <div data-testid="holder">
      <p className="holder-name">{h.userName}</p>
      <p className="muted">{t('since', { t: when(lang, h.since) })}</p>
      <p>
        {t('dueOn', { t: when(lang, h.dueAt) })} {overdue ? <Chip tone="bad">{t('overdue')}</Chip> : null}
      </p>
    </div>
  );
}

function Notes(props: { item: AdminItem; canEdit: boolean; onSaved: () => void }) {
  const { t } = useT();
  const [text, setText] = useState(props.item.notes ?? '');
  const [state, setState] = useState<'idle' | 'saved'>('idle');
  const [error, setError] = useState<unknown>(null);
  if (!props.canEdit)
    return <p className="item-notes">{props.item.notes ?? <span className="muted">—</span>}</p>;
  const save = async () => {
    try {
      await api.patch(`/v1/admin/items/${props.item.id}`, { notes: text.trim() || null });
      setError(null);
      setState('saved');
      props.onSaved();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="item-notes-edit">
      <textarea
        rows={3}
        maxLength={2000}
        value={text}
        placeholder={t('itemNotesHint')}
        aria-label={t('itemNotes')}
        data-testid="item-notes"
        onChange={(e) => {
          setText(e.target.value);
          setState('idle');
        }}
      />
      <div className="form-actions">
        <button
          type="button"
          className="small"
          disabled={text.trim() === (props.item.notes ?? '')}
          onClick={() => void save()}
        >
          {t('saveNotes')}
        </button>
        {state === 'saved' ? <span className="muted">{t('notesSaved')}</span> : null}
      </div>
      <ErrorLine error={error} />
    </div>
  );
}

function LoanHistory(props: { itemId: string }) {
  const { t } = useT();
  const cursor = usePageCursor(props.itemId);
  const index = cursor.index;
  const { data, error } = useData(async () => {
    const res = await api.get<AdminLoansResponse>(
      `/v1/admin/loans${qs({ status: 'all', itemId: props.itemId, after: cursor.after, limit: String(LOAN_PAGE) })}`,
    );
    return { rows: res.loans, total: res.total, next: res.next, index };
  }, [props.itemId, cursor.after]);
  return (
    <section data-testid="loan-history">
      <h2>{t('loanHistory')}</h2>
      <ErrorLine error={error} />
      {!data ? (
        <Loading />
      ) : data.rows.length === 0 ? (
        <p className="muted">{t('noLoansYet')}</p>
      ) : (
        <LoanTable loans={data.rows} showItem={false} />
      )}
      {data ? (
        <Pager
          page={data}
          pageSize={LOAN_PAGE}
          counts="records"
          onBack={cursor.back}
          onForward={cursor.forward}
        />
      ) : null}
    </section>
  );
}

export function ItemPage(props: { id: string }) {
  const { t } = useT();
  const { me } = useApp();
  const isAdmin = me.role === 'admin';
  const { data, error, reload } = useData(
    () => api.get<ItemDetailResponse>(`/v1/admin/items/${encodeURIComponent(props.id)}`),
    [props.id],
  );
  const [mode, setMode] = useState<'none' | 'edit' | 'condition'>('none');
  const [actionError, setActionError] = useState<unknown>(null);
  const retire = useRetire(reload, setActionError);
  const item = data?.item;
  return (
    <Page
      title={item ? item.name : t('navItems')}
      actions={
        <>
          <a className="button" href="#/items">
            ← {t('allItems')}
          </a>
          {item ? (
            <button onClick={() => setMode('condition')} data-testid="set-condition">
              {t('setCondition')}
            </button>
          ) : null}
          {item && isAdmin ? (
            <>
              <button onClick={() => setMode('edit')}>{t('edit')}</button>
              <button onClick={() => void retire(item, !item.retired)}>
                {t(item.retired ? 'unretire' : 'retire')}
              </button>
            </>
          ) : null}
        </>
      }
    >
      <ErrorLine error={error ?? actionError} />
      {!item ? (
        error ? null : (
          <Loading />
        )
      ) : (
        <>
          {mode === 'edit' ? (
            <ItemForm
              initial={itemDraft(item)}
              onCancel={() => setMode('none')}
              onSubmit={async (d) => {
                await api.patch(`/v1/admin/items/${item.id}`, toBody(d));
                setMode('none');
                reload();
              }}
            />
          ) : null}
          {mode === 'condition' ? (
            <ConditionForm
              item={item}
              onCancel={() => setMode('none')}
              onDone={() => {
                setMode('none');
                reload();
              }}
            />
          ) : null}
          <div className="item-page" data-testid="item-page">
            <ItemPhoto item={item} onChange={reload} />
            <div className="item-facts">
              <div className="panel">
                <h2 className="panel-title">{t('itemDetails')}</h2>
                <dl className="facts">
                  <dt>{t('tag')}</dt>
                  <dd className="mono">{item.tag}</dd>
                  <dt>{t('serial')}</dt>
                  <dd className="mono" data-testid="item-serial">
                    {item.serial ?? '—'}
                  </dd>
                  <dt>{t('category')}</dt>
                  <dd>{item.category}</dd>
                  <dt>{t('loanDays')}</dt>
                  <dd>{item.loanDays}</dd>
                  {item.lockerSlot ? (
                    <>
                      <dt>{t('lockerSlot')}</dt>
                      <dd>{item.lockerSlot}</dd>
                    </>
                  ) : null}
                  {item.parts.length > 0 ? (
                    <>
                      <dt>{t('kitPartsShort')}</dt>
                      <dd>
                        <PartChips parts={item.parts} />
                      </dd>
                    </>
                  ) : null}
                  <dt>{t('condition')}</dt>
                  <dd>
                    {item.retired ? <Chip tone="muted">{t('retired')}</Chip> : null}
                    {item.condition === 'ok' ? <Chip tone="ok">{t('conditionOk')}</Chip> : null}
                    <ConditionChip item={item} />
                  </dd>
                </dl>
              </div>
              <div className="panel">
                <h2 className="panel-title">{t('currentHolder')}</h2>
                <Holder item={item} />
              </div>
              <div className="panel">
                <h2 className="panel-title">{t('itemNotes')}</h2>
                <Notes key={item.notes ?? ''} item={item} canEdit={isAdmin} onSaved={reload} />
              </div>
            </div>
          </div>
          <LoanHistory itemId={item.id} />
          <ConditionHistory entries={data.conditions} />
        </>
      )}
    </Page>
  );
}
