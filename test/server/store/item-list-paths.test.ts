/**
 * The items list answers a query in one of two ways (server/store/sql/keyset-page.ts): up to
 * FEW matches it reads them all in one pass and cuts the page itself; beyond, the index gives
 * the page in order. Both must give exactly the same pages: checked against a model over 450
 * items with searches on either side of the threshold, every page followed to the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemListQuery } from '../../../server/store/admin-store.ts';
import { openSqliteStore } from '../../../server/store/sqlite/open-sqlite-store.ts';
import type { Store } from '../../../server/store/store.ts';

const dir = mkdtempSync(join(tmpdir(), 'rental-item-paths-'));
let store: Store;
type Model = { id: string; tag: string; name: string; category: string };
const model: Model[] = [];
const NAMES = ['Canon 카메라', 'canon EOS', 'ThinkPad', '노트북 그램', 'Ünïcode Été', '🎥 Camcorder'];

beforeAll(async () => {
  store = openSqliteStore({ file: join(dir, 'store.db') });
  for (let i = 0; i < 450; i++) {
    const tag = `${['CAM', 'LT', 'cam', 'Z'][i % 4]}-${String((i * 7919) % 1000).padStart(3, '0')}`;
    const item = await store.createItem({
      tag,
      name: `${NAMES[i % NAMES.length]} ${i % 13}`,
      category: ['Photo', '노트북', 'Audio'][i % 3]!,
      loanDays: 7,
      restrictedTo: null,
      lockerSlot: null,
    });
    model.push({ id: item.id, tag, name: item.name, category: item.category });
  }
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

function expected(q: string, sort: 'tag' | 'name' | 'category'): string[] {
  const needle = q.toLowerCase();
  // SQLite's LIKE folds ASCII only: the model does the same.
  const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return model
    .filter((m) => !q || [m.tag, m.name, m.category].some((f) => fold(f).includes(needle)))
    .sort((x, y) => bytes(x[sort], y[sort]) || bytes(x.id, y.id))
    .map((m) => m.id);
}

async function pages(q: string, sort: 'tag' | 'name' | 'category', limit: number) {
  const ids: string[] = [];
  const totals = new Set<number>();
  let after: ItemListQuery['after'] = null;
  for (let n = 0; n < 100; n++) {
    const page = await store.itemList({ q, status: 'all', sort, limit, after, now: 0 });
    ids.push(...page.items.map((i) => i.id));
    totals.add(page.total);
    if (!page.next) return { ids, totals: [...totals] };
    after = page.next;
  }
  throw new Error('pages never ended');
}

describe('items list: one-pass and index paths agree', () => {
  it.each([
    ['', 'tag'], // 450 matches: the index path
    ['', 'name'],
    ['cam', 'tag'], // CAM-, cam- and Camcorder: more than FEW, the index path
    ['그램', 'name'], // 75: the one-pass path
    ['été', 'tag'], // non-ASCII: no case folding
    ['🎥', 'category'],
    ['canon', 'name'],
    ['z-9', 'tag'],
    ['nothing at all', 'tag'],
  ] as const)('q=%j sorted by %s, every page of 37', async (q, sort) => {
    const want = expected(q, sort);
    const got = await pages(q, sort, 37);
    expect(got.ids).toEqual(want);
    expect(got.totals).toEqual([want.length]);
  });
});
