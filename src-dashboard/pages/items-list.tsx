/**
 * The items list's view: a search box, filters and sort kept in the URL, and the page of
 * items the server found for them (GET /v1/admin/items, keyset pages).
 */
import type {
  AdminItemsPage,
  ItemCategoriesResponse,
  ItemListSort,
  ItemListStatus,
} from '../../protocol/index.ts';
import { api } from '../api.ts';
import { Field } from '../components.tsx';
import { useData, useT } from '../context.tsx';
import type { MessageKey } from '../i18n.ts';
import { SearchBox, useServerList } from '../list-view.tsx';

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
  const list = useServerList({
    path: '/v1/admin/items',
    view: VIEW,
    pageSize: ITEM_PAGE_SIZE,
    rows: (r: AdminItemsPage) => r.items,
  });
  const categories = useData(() => api.get<ItemCategoriesResponse>('/v1/admin/item-categories'), []).data;
  return { ...list, categories };
}

export function ItemFilters({ list }: { list: ReturnType<typeof useItemList> }) {
  const { t } = useT();
  const { view, setView, typed, setTyped, categories } = list;
  return (
    <div className="filters" role="search">
      <SearchBox value={typed} onChange={setTyped} placeholder={t('searchItems')} testId="item-search" />
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
