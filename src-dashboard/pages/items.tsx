/** Items: availability, condition and holder, history, create / edit / retire, CSV import and export. */
import { useState, type FormEvent } from 'react';
import {
  normalizeKitParts,
  type AdminItem,
  type CreateItemRequest,
  type Role,
} from '../../protocol/index.ts';
import { api } from '../api.ts';
import { Chip, Empty, ErrorLine, Field, Loading, Page } from '../components.tsx';
import { itemHref } from './item-link.ts';
import { Pager } from '../paging.tsx';
import { ITEM_PAGE_SIZE, ItemFilters, useItemList } from './items-list.tsx';
import { useApp, useT } from '../context.tsx';
import { useAsk } from '../dialog.tsx';
import { when, whenThisYear } from '../format.ts';
import { ConditionChip, ConditionForm } from './item-condition.tsx';
import { CsvImportButton } from './csv-import.tsx';
import { PartsEditor, partProblem, type PartsDraft } from './item-parts.tsx';

type Draft = {
  tag: string;
  serial: string;
  name: string;
  category: string;
  loanDays: string;
  restrictedTo: '' | Role;
  lockerSlot: string;
  /** A kit's parts, with what is typed and not yet added. */
  kit: PartsDraft;
};
const EMPTY: Draft = {
  tag: '',
  serial: '',
  name: '',
  category: '',
  loanDays: '7',
  restrictedTo: '',
  lockerSlot: '',
  kit: { parts: [], typed: '', problem: null },
};

/** The edit form's values for an item as it is. */
export const itemDraft = (item: AdminItem): Draft => ({
  tag: item.tag,
  serial: item.serial ?? '',
  name: item.name,
  category: item.category,
  loanDays: String(item.loanDays),
  restrictedTo: item.restrictedTo ?? '',
  lockerSlot: item.lockerSlot ?? '',
  kit: { parts: [...item.parts], typed: '', problem: null },
});

export function ItemForm(props: {
  initial: Draft;
  onSubmit: (d: Draft) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useT();
  const [d, setD] = useState(props.initial);
  const [error, setError] = useState<unknown>(null);
  const set = (k: Exclude<keyof Draft, 'kit'>) => (e: { target: { value: string } }) =>
    setD({ ...d, [k]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // A part typed but not added goes with Save, unless it breaks a limit: then say which.
    const problem = partProblem(d.kit.parts, d.kit.typed);
    if (problem) return setD({ ...d, kit: { ...d.kit, problem } });
    try {
      await props.onSubmit(d);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="panel form-grid" onSubmit={(e) => void submit(e)} data-testid="item-form">
      <Field label={t('tag')}>
        <input name="tag" required value={d.tag} onChange={set('tag')} />
      </Field>
      <Field label={`${t('serial')} (${t('optional')})`}>
        <input name="serial" maxLength={100} value={d.serial} onChange={set('serial')} />
      </Field>
      <Field label={t('name')}>
        <input name="name" required value={d.name} onChange={set('name')} />
      </Field>
      <Field label={t('category')}>
        <input name="category" required value={d.category} onChange={set('category')} />
      </Field>
      <Field label={t('loanDays')}>
        <input
          name="loanDays"
          type="number"
          min={1}
          max={365}
          required
          value={d.loanDays}
          onChange={set('loanDays')}
        />
      </Field>
      <Field label={t('restrictedTo')}>
        <select name="restrictedTo" value={d.restrictedTo} onChange={set('restrictedTo')}>
          <option value="">{t('everyone')}</option>
          <option value="staff">{t('staffAndAdmins')}</option>
          <option value="admin">{t('adminsOnly')}</option>
        </select>
      </Field>
      <Field label={`${t('lockerSlot')} (${t('optional')})`}>
        <input name="lockerSlot" value={d.lockerSlot} onChange={set('lockerSlot')} />
      </Field>
      <PartsEditor value={d.kit} onChange={(kit) => setD({ ...d, kit })} />
      <ErrorLine error={error} />
      <div className="form-actions">
        <button type="submit" className="primary">
          {t('save')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

export const toBody = (d: Draft): CreateItemRequest => ({
  tag: d.tag.trim(),
  serial: d.serial.trim() || null,
  name: d.name.trim(),
  category: d.category.trim(),
  loanDays: Number(d.loanDays),
  restrictedTo: d.restrictedTo || null,
  lockerSlot: d.lockerSlot.trim() || null,
  parts: normalizeKitParts([...d.kit.parts, d.kit.typed]),
});

/** Retire or bring back an item; retiring one that someone holds asks first, saying who. */
export function useRetire(reload: () => void, onError: (e: unknown) => void) {
  const { t } = useT();
  const ask = useAsk();
  return async (item: AdminItem, retired: boolean) => {
    if (retired && item.holder) {
      const { ok } = await ask({
        title: t('retireOnLoanTitle', { item: `${item.tag} ${item.name}` }),
        body: t('retireOnLoanBody', { name: item.holder.userName }),
        confirm: t('retire'),
        danger: true,
      });
      if (!ok) return;
    }
    try {
      await api.patch(`/v1/admin/items/${item.id}`, { retired });
      reload();
    } catch (e) {
      onError(e);
    }
  };
}

export function ItemsPage() {
  const { t, lang } = useT();
  const { me } = useApp();
  const isAdmin = me.role === 'admin';
  const list = useItemList();
  const { data, error, reload, cursor } = list;
  const [mode, setMode] = useState<
    | { kind: 'none' }
    | { kind: 'new' }
    | { kind: 'edit'; item: AdminItem }
    | { kind: 'condition'; item: AdminItem }
  >({
    kind: 'none',
  });
  const [actionError, setActionError] = useState<unknown>(null);
  const setRetired = useRetire(reload, setActionError);

  return (
    <Page
      title={t('navItems')}
      actions={
        <>
          {isAdmin ? (
            <button className="primary" onClick={() => setMode({ kind: 'new' })}>
              {t('newItem')}
            </button>
          ) : null}
          {isAdmin ? <CsvImportButton kind="items" onImported={reload} /> : null}
          <button onClick={() => void api.download('/v1/admin/items.csv', 'items.csv').catch(setActionError)}>
            {t('exportCsv')}
          </button>
        </>
      }
    >
      <ErrorLine error={error ?? actionError} />
      {mode.kind === 'new' ? (
        <ItemForm
          initial={EMPTY}
          onCancel={() => setMode({ kind: 'none' })}
          onSubmit={async (d) => {
            await api.post('/v1/admin/items', toBody(d));
            setMode({ kind: 'none' });
            reload();
          }}
        />
      ) : null}
      {mode.kind === 'edit' ? (
        <ItemForm
          key={mode.item.id}
          initial={itemDraft(mode.item)}
          onCancel={() => setMode({ kind: 'none' })}
          onSubmit={async (d) => {
            await api.patch(`/v1/admin/items/${mode.item.id}`, toBody(d));
            setMode({ kind: 'none' });
            reload();
          }}
        />
      ) : null}
      {mode.kind === 'condition' ? (
        <ConditionForm
          key={mode.item.id}
          item={mode.item}
          onCancel={() => setMode({ kind: 'none' })}
          onDone={() => {
            setMode({ kind: 'none' });
            reload();
          }}
        />
      ) : null}
      <ItemFilters list={list} />
      {!data ? (
        <Loading />
      ) : data.rows.length === 0 ? (
        <Empty what="noMatches" />
      ) : (
        <table data-testid="items">
          <thead>
            <tr>
              <th>{t('tag')}</th>
              <th>{t('name')}</th>
              <th>{t('category')}</th>
              <th>{t('availability')}</th>
              <th>{t('dueAt')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.rows.map((i) => (
              <tr key={i.id} className={i.retired ? 'row-muted' : ''}>
                <td className="mono">{i.tag}</td>
                <td className="cut" title={i.name}>
                  <a href={itemHref(i.id)} className="item-link">
                    {i.photo ? <img className="item-thumb" src={i.photo} alt="" /> : null}
                    {i.name}
                  </a>
                  {i.serial ? <span className="muted item-serial">{i.serial}</span> : null}
                </td>
                <td className="cut" title={i.category}>
                  {i.category}
                </td>
                <td>
                  {i.retired ? (
                    <Chip tone="muted">{t('retired')}</Chip>
                  ) : i.holder ? (
                    <>
                      {/* A long name is cut inside its chip, the whole of it on hover. */}
                      <span className="chip info cut-chip" title={t('onLoanTo', { name: i.holder.userName })}>
                        {t('onLoanTo', { name: i.holder.userName })}
                      </span>{' '}
                      <span className="muted since" title={when(lang, i.holder.since)}>
                        {t('since', { t: whenThisYear(lang, i.holder.since) })}
                      </span>
                    </>
                  ) : i.condition === 'ok' ? (
                    <Chip tone="ok">{t('available')}</Chip>
                  ) : null}
                  <ConditionChip item={i} />
                </td>
                <td className="date" title={i.holder ? when(lang, i.holder.dueAt) : undefined}>
                  {i.holder ? whenThisYear(lang, i.holder.dueAt) : ''}
                </td>
                <td className="row-actions">
                  <a className="button small" href={itemHref(i.id)}>
                    {t('history')}
                  </a>
                  <button className="small" onClick={() => setMode({ kind: 'condition', item: i })}>
                    {t('setCondition')}
                  </button>
                  {isAdmin ? (
                    <>
                      <button className="small" onClick={() => setMode({ kind: 'edit', item: i })}>
                        {t('edit')}
                      </button>
                      <button className="small" onClick={() => void setRetired(i, !i.retired)}>
                        {t(i.retired ? 'unretire' : 'retire')}
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data ? (
        <Pager
          page={data}
          pageSize={ITEM_PAGE_SIZE}
          counts="items"
          onBack={cursor.back}
          onForward={cursor.forward}
        />
      ) : null}
    </Page>
  );
}
