/**
 * The dashboard's lists, searched, filtered, sorted and paged on the server (keyset paging:
 * `next` is where the following page starts; no list is ever cut off without saying so).
 */
import { Type, type Static } from '@sinclair/typebox';
import { SAFE_LINE } from '../text.ts';
import { Role, Strict } from './common.ts';
import { AdminItem } from './admin.ts';

export const ITEM_LIST_STATUSES = [
  'all',
  'active',
  'available',
  'on_loan',
  'overdue',
  'attention',
  'retired',
] as const;
export const ITEM_LIST_SORTS = ['tag', 'name', 'category'] as const;
export type ItemListStatus = (typeof ITEM_LIST_STATUSES)[number];
export type ItemListSort = (typeof ITEM_LIST_SORTS)[number];

/** How many rows a page holds when the request does not say, and at most. */
export const LIST_PAGE_DEFAULT = 50;
export const LIST_PAGE_MAX = 200;

export const ItemListQuery = Strict({
  /** Part of a tag, name, category or holder's name, any case. */
  q: Type.Optional(Type.String({ maxLength: 100, pattern: SAFE_LINE })),
  category: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: SAFE_LINE })),
  /** Default 'active': every item not retired. */
  status: Type.Optional(Type.Union(ITEM_LIST_STATUSES.map((s) => Type.Literal(s)))),
  /** Default 'tag'. */
  sort: Type.Optional(Type.Union(ITEM_LIST_SORTS.map((s) => Type.Literal(s)))),
  /** `next` of the previous page. */
  after: Type.Optional(Type.String({ minLength: 1, maxLength: 600, pattern: '^[A-Za-z0-9_-]+$' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
});
export type ItemListQuery = Static<typeof ItemListQuery>;

export const AdminItemsPage = Strict({
  items: Type.Array(AdminItem),
  /** How many items match, over every page. */
  total: Type.Integer({ minimum: 0 }),
  /** Pass as `after` for the next page; null on the last. */
  next: Type.Union([Type.String(), Type.Null()]),
});
export type AdminItemsPage = Static<typeof AdminItemsPage>;

export const ItemCategoriesResponse = Strict({
  categories: Type.Array(Strict({ category: Type.String(), items: Type.Integer({ minimum: 0 }) })),
});
export type ItemCategoriesResponse = Static<typeof ItemCategoriesResponse>;

export const PEOPLE_LIST_STATUSES = ['active', 'inactive', 'all'] as const;
export type PeopleListStatus = (typeof PEOPLE_LIST_STATUSES)[number];

/** Without `limit`, every person (older callers); with it, keyset pages by name. */
export const PeopleListQuery = Strict({
  /** Part of a name, email, directory user name, employee number or department, any case. */
  q: Type.Optional(Type.String({ maxLength: 100, pattern: SAFE_LINE })),
  role: Type.Optional(Role),
  /** Default 'active'. */
  status: Type.Optional(Type.Union(PEOPLE_LIST_STATUSES.map((s) => Type.Literal(s)))),
  after: Type.Optional(Type.String({ minLength: 1, maxLength: 600, pattern: '^[A-Za-z0-9_-]+$' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
});
export type PeopleListQuery = Static<typeof PeopleListQuery>;
