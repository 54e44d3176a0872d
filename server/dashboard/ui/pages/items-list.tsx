/**
 * The items list's view: a search box, filters and sort kept in the URL, and the page of
 * items the server found for them (GET /v1/admin/items, keyset pages).
 */
import { useEffect, useState } from 'react';
import type {
  AdminItemsPage,
  ItemCategoriesResponse,
  ItemListSort,
  ItemListStatus,
} from '../../../../protocol/index.ts';
import { api, qs } from '../api.ts';
import { Field } from '../components.tsx';
import { useData, useT } from '../context.tsx';
import type { MessageKey } from '../i18n.ts';
import { usePageCursor } from '../paging.tsx';
import { useUrlState } from '../url-state.ts';

export const ITEM_PAGE_SIZE = 50;
const VIEW = { q: '', category: '', status: 'active', sort: 'tag' };

const STATUS_WORDS: [ItemListStatus, MessageKey][] = [
  ['active', 'statusActive'],
  ['available', 'available'],
  ['on_loan', 'statusOnLoan'],
  ['overdue', 'overdue'],
  ['attention', 'statusAttention'],
  ['retired', 'retired'],
  ['all', 'statusAllWithRetired'],
];
const SORT_WORDS: [ItemListSort, MessageKey][] = [
  ['tag', 'tag'],
  ['name', 'name'],
  ['category', 'category'],
];

export function useItemList() {
  const [view, setView] = useUrlState(VIEW);
  // The box shows what is typed at once; the search runs when typing pauses.
  const [typed, setTyped] = useState(view.q);
  useEffect(() => setTyped(view.q), [view.q]);
  useEffect(() => {
    if (typed === view.q) return;
    const t = setTimeout(() => setView({ q: typed }), 250);
    return () => clearTimeout(t);
  }, [typed, view.q, setView]);
  const cursor = usePageCursor(JSON.stringify(view));
  const query = qs({
    q: view.q.trim(),
    category: view.category,
    status: view.status,
    sort: view.sort,
    after: cursor.after,
    limit: String(ITEM_PAGE_SIZE),
  });
  // Which page a response is, kept with it: the pager never shows one page's range over another's rows.
  const index = cursor.index;
  const { data, error, reload } = useData(
    async () => ({ ...(await api.get<AdminItemsPage>(`/v1/admin/items${query}`)), index }),
    [query],
  );
  const categories = useData(() => api.get<ItemCategoriesResponse>('/v1/admin/item-categories'), []).data;
  return { view, setView, typed, setTyped, cursor, data, error, reload, categories };
}

export function ItemFilters({ list }: { list: ReturnType<typeof useItemList> }) {
  const { t } = useT();
  const { view, setView, typed, setTyped, categories } = list;
  return (
    <div className="filters" role="search">
      <Field label={t('search')}>
        <span className="search-box">
          <input
            type="search"
            value={typed}
            placeholder={t('searchItems')}
            aria-label={t('searchItems')}
            data-testid="item-search"
            onChange={(e) => setTyped(e.target.value)}
          />
          {typed ? (
            <button
              type="button"
              className="small clear"
              aria-label={t('clearSearch')}
              onClick={() => setTyped('')}
            >
              ×
            </button>
          ) : null}
        </span>
      </Field>
      <Field label={t('category')}>
        <select
          value={view.category}
          onChange={(e) => setView({ category: e.target.value })}
          data-testid="item-category"
        >
          <option value="">{t('allCategories')}</option>
          {(categories?.categories ?? []).map((c) => (
            <option key={c.category} value={c.category}>
              {c.category} ({c.items})
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('itemStatus')}>
        <select
          value={view.status}
          onChange={(e) => setView({ status: e.target.value })}
          data-testid="item-status"
        >
          {STATUS_WORDS.map(([value, word]) => (
            <option key={value} value={value}>
              {t(word)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('sortBy')}>
        <select value={view.sort} onChange={(e) => setView({ sort: e.target.value })} data-testid="item-sort">
          {SORT_WORDS.map(([value, word]) => (
            <option key={value} value={value}>
              {t(word)}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}
