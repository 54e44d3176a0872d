/**
 * dashboard_lists (issue 17): the items list at the size of a large equipment room, on the
 * embedded SQLite store: 100,000 items, 50,000 people, 20,000 of the items on loan (2,000 of
 * them overdue) and 980,000 loans returned (1,000,000 loans). Each figure is the p95 of repeated calls of one page of 50 (the first page,
 * a page deep in the list, a search, filters), against the baseline of the same run: the whole
 * list the dashboard fetched before it was paged. Goal: p95 < 50 ms. The Reports page's
 * queries (overdue by person and by category, usage per item over 7/30/90 days) run on the same data.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdminLoanFilter, ItemListQuery } from '../../server/store/admin-store.ts';
import { openSqliteStore } from '../../server/store/sqlite/open-sqlite-store.ts';
import { msSince, percentile, round, type Row } from './stats.ts';

const ITEMS = 100_000;
const PEOPLE = 50_000;
const ON_LOAN = 20_000;
const OVERDUE = 2_000;
/** Loans already returned (with those on loan, 1,000,000: the goal's size), one a minute back from 30 days ago. */
const RETURNED = 980_000;
const CALLS = 40;
const GOAL_MS = 50;
const DAY = 86_400_000;

export type DashboardListsBench = {
  sizes: { items: number; people: number; onLoan: number; returned: number };
  baseline_full_list_p95_ms: number;
  baseline_loans_5000_p95_ms: number;
  pages: Record<string, number>;
};

const NAMES = [
  'MacBook Pro',
  'ThinkPad X1',
  'LG 그램 노트북',
  'Sony A7 IV 카메라',
  'iPad Air 태블릿',
  'Rode 마이크',
];
const CATEGORIES = ['노트북 Laptops', '카메라 Cameras', '태블릿 Tablets', '오디오 Audio'];

/** Fills a migrated database straight through SQL (the store's own inserts would take minutes). */
export function fillListsDatabase(file: string, now: number) {
  const db = new Database(file);
  db.transaction(() => {
    const user = db.prepare("INSERT INTO users (id, email, display_name, role) VALUES (?, ?, ?, 'member')");
    for (let i = 0; i < PEOPLE; i++) user.run(`usr_${i}`, `p${i}@example.org`, `사용자 ${i}`);
    const item = db.prepare(
      'INSERT INTO items (id, tag, name, category, loan_days, retired, version) VALUES (?, ?, ?, ?, 7, ?, 1)',
    );
    for (let i = 0; i < ITEMS; i++) {
      const n = String(i).padStart(6, '0');
      item.run(
        `itm_${n}`,
        `T-${n}`,
        `${NAMES[i % NAMES.length]} ${i}`,
        CATEGORIES[i % CATEGORIES.length],
        i % 50 === 0 ? 1 : 0,
      );
    }
    const loan = db.prepare(
      'INSERT INTO loans (id, item_id, user_id, borrow_tx_id, borrowed_at, due_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (let i = 0; i < ON_LOAN; i++) {
      const n = String(i * 5 + 1).padStart(6, '0'); // never a retired one (multiples of 50)
      const due = i < OVERDUE ? now - DAY : now + 6 * DAY;
      loan.run(`lon_${i}`, `itm_${n}`, `usr_${i % PEOPLE}`, `tx_${i}`, due - 7 * DAY, due);
    }
    const back = db.prepare(
      'INSERT INTO loans (id, item_id, user_id, borrow_tx_id, borrowed_at, due_at, returned_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (let i = 0; i < RETURNED; i++) {
      const at = now - 30 * DAY - i * 60_000;
      back.run(
        `old_${i}`,
        `itm_${String(i % ITEMS).padStart(6, '0')}`,
        `usr_${i % PEOPLE}`,
        `otx_${i}`,
        at,
        at + 7 * DAY,
        at + DAY,
      );
    }
  })();
  db.pragma('optimize');
  db.close();
}

async function p95(fn: () => Promise<unknown>, calls = CALLS): Promise<number> {
  await fn(); // warm the page cache and the statement
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(msSince(t0));
  }
  return round(percentile(samples, 95), 1);
}

export async function benchDashboardLists(log: (msg: string) => void): Promise<DashboardListsBench> {
  const dir = mkdtempSync(join(tmpdir(), 'rental-bench-lists-'));
  const file = join(dir, 'server.db');
  const now = Date.now();
  try {
    await openSqliteStore({ file }).close(); // migrate
    log(`dashboard_lists: ${ITEMS.toLocaleString('en')} items, ${ON_LOAN.toLocaleString('en')} on loan`);
    fillListsDatabase(file, now);
    const store = openSqliteStore({ file });
    try {
      const base: ItemListQuery = { status: 'active', sort: 'tag', limit: 50, now };
      const deep = await store.itemList({ ...base, after: { value: 'T-090000', id: 'itm_090000' } });
      const cases: Record<string, ItemListQuery> = {
        first_page: base,
        deep_page: { ...base, after: { value: 'T-090000', id: 'itm_090000' } },
        sort_by_name: { ...base, sort: 'name' },
        search_latin_part: { ...base, q: 'thinkpad x1 9' },
        search_korean_part: { ...base, q: '그램' },
        search_borrower: { ...base, q: '사용자 4999' },
        category: { ...base, category: '카메라 Cameras', sort: 'name' },
        overdue: { ...base, status: 'overdue' },
      };
      if (deep.items.length !== 50) throw new Error('the deep page is not full');
      const pages: Record<string, number> = {};
      for (const [name, query] of Object.entries(cases)) pages[name] = await p95(() => store.itemList(query));
      // The loans page: a page of 100 and the count over every page, as the route asks.
      const loanPage = (filter: AdminLoanFilter) => () =>
        Promise.all([store.adminLoans({ ...filter, limit: 101 }), store.countAdminLoans(filter)]);
      pages.loans_all_first_page = await p95(loanPage({ status: 'all', now }));
      pages.loans_open_first_page = await p95(loanPage({ status: 'open', now }));
      pages.loans_overdue_first_page = await p95(loanPage({ status: 'overdue', now }));
      // The Reports page: each report as its route asks for it (rows for the table and chart).
      pages.reports_overdue_by_person = await p95(() => store.overdueByPerson({ now, limit: 200 }));
      pages.reports_overdue_by_category = await p95(() => store.overdueByCategory(now));
      for (const days of [7, 30, 90])
        pages[`reports_usage_${days}_days`] = await p95(() =>
          store.itemUsage({ from: now - days * DAY, to: now, limit: 200 }),
        );
      pages.reports_usage_90_days_category = await p95(() =>
        store.itemUsage({ from: now - 90 * DAY, to: now, category: '카메라 Cameras', limit: 200 }),
      );
      const baseline = await p95(() => store.itemsWithHolders(), 5);
      // What the loans page fetched before it was paged: up to 5,000 loans, cut off silently.
      const loansBaseline = await p95(() => store.adminLoans({ status: 'all', now, limit: 5_000 }), 10);
      return {
        sizes: { items: ITEMS, people: PEOPLE, onLoan: ON_LOAN, returned: RETURNED },
        baseline_full_list_p95_ms: baseline,
        baseline_loans_5000_p95_ms: loansBaseline,
        pages,
      };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function dashboardListsRows(r: DashboardListsBench | { error: string }): Row[] {
  if ('error' in r) return [['dashboard_lists', 'error', r.error, '-', '-', null]];
  return Object.entries(r.pages).map(([name, ms]) => {
    const loans = name.startsWith('loans') || name.startsWith('reports');
    const base = loans ? r.baseline_loans_5000_p95_ms : r.baseline_full_list_p95_ms;
    return [
      loans
        ? `${name.replace(/_/g, ' ')} (p95, 1M loans)`
        : `items list ${name.replace(/_/g, ' ')} (p95, 100k items)`,
      `${ms} ms`,
      loans ? `${base} ms first 5,000` : `${base} ms whole list`,
      `${round(ms / base, 3)}x`,
      `< ${GOAL_MS} ms`,
      ms < GOAL_MS,
    ];
  });
}
