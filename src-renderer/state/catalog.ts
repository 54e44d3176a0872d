/**
 * Pure helpers over the core's item list: what a person may do with each item, search,
 * grouping by category, and what a scanned tag means on each page.
 */
import type { ErrorCode } from '../../protocol/errors.ts';
import type { KioskItem } from '../../protocol/kiosk-api.ts';

/** The contract's cap on items in one borrow or return command. */
export const MAX_ITEMS_PER_COMMAND = 20;

export type Availability = { kind: 'free' } | { kind: 'blocked'; code: ErrorCode };

/** Blocked items stay listed with their reason: a person should see why, not wonder where it went. */
export function availability(item: KioskItem): Availability {
  if (item.blockedFor) return { kind: 'blocked', code: item.blockedFor };
  if (!item.available) return { kind: 'blocked', code: 'ITEM_UNAVAILABLE' };
  return { kind: 'free' };
}

function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Case-, width- and spacing-insensitive "contains" over any of the fields. */
export function matchesText(query: string, ...fields: string[]): boolean {
  const q = fold(query);
  if (!q) return true;
  return fields.some((field) => fold(field).includes(q));
}

export function matches(item: KioskItem, query: string): boolean {
  return matchesText(query, item.name, item.tag, item.category);
}

export type CategoryGroup = { category: string; items: KioskItem[] };

/** Categories in first-seen order; inside, free items first, then by name. */
export function groupByCategory(items: readonly KioskItem[], query: string): CategoryGroup[] {
  const groups = new Map<string, KioskItem[]>();
  for (const item of items) {
    if (!matches(item, query)) continue;
    let list = groups.get(item.category);
    if (!list) groups.set(item.category, (list = []));
    list.push(item);
  }
  const rank = (i: KioskItem) => (availability(i).kind === 'free' ? 0 : 1);
  return [...groups].map(([category, list]) => ({
    category,
    items: list.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name)),
  }));
}

export function findByTag(items: readonly KioskItem[], tag: string): KioskItem | undefined {
  const t = fold(tag);
  return items.find((i) => fold(i.tag) === t);
}

export function toggle(ids: readonly string[], id: string, max = MAX_ITEMS_PER_COMMAND): string[] {
  if (ids.includes(id)) return ids.filter((x) => x !== id);
  if (ids.length >= max) return [...ids];
  return [...ids, id];
}

export function isOverdue(dueAt: string, now: number): boolean {
  return Date.parse(dueAt) < now;
}
