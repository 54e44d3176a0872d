/**
 * dashboard_lists, audit and conflicts part (issue 17): the audit log at 1,000,000 entries
 * merged with 300,000 kiosk transactions, 100,000 of them conflicts (10,000 still open), on
 * the embedded SQLite store. Each figure is the p95 of the page as its route asks for it (a
 * page, plus the count over every page), first pages with and without each filter and a page
 * deep in the log, against the baseline of the same run: the log's first page read the way
 * it was before (the two tables merged and sorted whole). Goal: p95 < 50 ms.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_COUNT_CAP } from '../../server/store/admin-store.ts';
import { openSqliteStore } from '../../server/store/sqlite/open-sqlite-store.ts';
import { msSince, percentile, round, type Row } from './stats.ts';

const AUDIT = 1_000_000;
const APPLIED = 200_000;
const CONFLICTS = 100_000;
const OPEN = 10_000;
const PEOPLE = 1_000;
const ITEMS = 2_000;
const KIOSKS = 10;
const CALLS = 40;
const GOAL_MS = 50;

export type AuditListsBench = {
  sizes: { audit: number; transactions: number; conflicts: number; open: number };
  baseline_merged_sort_p95_ms: number;
  pages: Record<string, number>;
};

const ACTIONS = [
  ['person', 'person.update'],
  ['item', 'item.update'],
  ['item', 'item.create'],
  ['loan', 'loan.close'],
  ['badge', 'badge.add'],
  ['kiosk', 'kiosk.create'],
  ['conflict', 'conflict.resolve'],
  ['policies', 'policies.update'],
] as const;
const CODES = ['RETURNED_BY_OTHER', 'ITEM_UNAVAILABLE', 'ITEM_NOT_ON_LOAN', 'TOKEN_EXPIRED'];

/** Fills a migrated database straight through SQL. Times: one entry every 30 s up to `now`. */
export function fillAuditBench(file: string, now: number) {
  const db = new Database(file);
  db.transaction(() => {
    const user = db.prepare("INSERT INTO users (id, email, display_name, role) VALUES (?, ?, ?, 'member')");
    for (let i = 0; i < PEOPLE; i++) user.run(`usr_${i}`, `p${i}@example.org`, `사용자 ${i}`);
    const item = db.prepare(
      'INSERT INTO items (id, tag, name, category, loan_days, retired, version) VALUES (?, ?, ?, ?, 7, 0, 1)',
    );
    for (let i = 0; i < ITEMS; i++) item.run(`itm_${i}`, `T-${i}`, `카메라 ${i}`, '카메라 Cameras');
    const kiosk = db.prepare('INSERT INTO kiosks (id, name) VALUES (?, ?)');
    for (let i = 0; i < KIOSKS; i++) kiosk.run(`ksk_${i}`, `${i + 1}층 키오스크`);
    const log = db.prepare(
      `INSERT INTO audit_log (at, actor_kind, actor_id, actor_name, via, action, action_kind, target_kind,
                              target_id, detail, changes)
       VALUES (?, 'user', ?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < AUDIT; i++) {
      const [kind, action] = ACTIONS[i % ACTIONS.length]!;
      const person = kind === 'person' || kind === 'badge';
      const target = person ? `usr_${i % PEOPLE}` : `itm_${i % ITEMS}`;
      log.run(
        now - (AUDIT - i) * 30_000,
        `usr_${i % 50}`,
        `관리자 ${i % 50}`,
        action,
        kind,
        person ? 'person' : 'item',
        target,
        `entry ${i}`,
        action.endsWith('.update') ? '[{"field":"role","before":"member","after":"staff"}]' : null,
      );
    }
    const tx = db.prepare(
      `INSERT INTO transactions (id, kiosk_id, seq, kind, item_id, user_id, occurred_at, effective_at,
                                 clock_trusted, received_at, status, code, resolved_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
    );
    const total = APPLIED + CONFLICTS;
    for (let i = 0; i < total; i++) {
      // Every third transaction a conflict until there are enough; the newest OPEN are unresolved.
      const conflict = i % 3 === 0 && Math.floor(i / 3) < CONFLICTS;
      const at = now - (total - i) * 100_000;
      const open = conflict && Math.floor(i / 3) >= CONFLICTS - OPEN;
      tx.run(
        `tx_${String(i).padStart(7, '0')}`,
        `ksk_${i % KIOSKS}`,
        i,
        i % 2 ? 'return' : 'borrow',
        `itm_${i % ITEMS}`,
        `usr_${i % PEOPLE}`,
        at,
        at,
        at,
        conflict ? 'conflict' : 'applied',
        conflict ? CODES[i % CODES.length]! : null,
        conflict && !open ? at + 60_000 : null,
      );
    }
  })();
  // Statistics as a server has them after its first ANALYZE (the quick 'optimize' of a fresh
  // file samples too little and picks the kiosk-and-sequence index for the conflicts count).
  db.exec('ANALYZE');
  db.close();
}

async function p95(fn: () => Promise<unknown>, calls = CALLS): Promise<number> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(msSince(t0));
  }
  return round(percentile(samples, 95), 1);
}

// The audit log's first page as it was read before it was paged per side: both tables
// merged into one key and sorted whole.
const OLD_MERGED = `
  SELECT * FROM (
    SELECT printf('%015d', a.at) || ':a' || printf('%012d', a.seq) AS key, a.at, a.action, a.detail FROM audit_log a
    UNION ALL
    SELECT printf('%015d', t.received_at) || ':t' || t.id, t.received_at, 'tx.' || t.kind,
           t.status || COALESCE(' ' || t.code, '') || ' · ' || COALESCE(i.name, t.item_id) || ' · ' ||
           COALESCE(u.display_name, t.user_id)
    FROM transactions t LEFT JOIN kiosks k ON k.id = t.kiosk_id LEFT JOIN items i ON i.id = t.item_id
    LEFT JOIN users u ON u.id = t.user_id
  ) m ORDER BY key DESC LIMIT 100`;

export async function benchAuditLists(log: (msg: string) => void): Promise<AuditListsBench> {
  const dir = mkdtempSync(join(tmpdir(), 'rental-bench-audit-'));
  const file = join(dir, 'server.db');
  const now = Date.now();
  try {
    await openSqliteStore({ file }).close(); // migrate
    log(
      `dashboard_lists: ${AUDIT.toLocaleString('en')} audit entries, ${CONFLICTS.toLocaleString('en')} conflicts`,
    );
    fillAuditBench(file, now);
    const store = openSqliteStore({ file });
    try {
      const pages: Record<string, number> = {};
      const audit = (f: Omit<Parameters<typeof store.auditPage>[0], 'limit'>) => () =>
        store.auditPage({ ...f, limit: 50 });
      // A page deep in the log: the key of the 500,000th entry.
      const deep = `${String(now - (AUDIT / 2) * 30_000).padStart(15, '0')}:a${String(AUDIT / 2).padStart(12, '0')}`;
      const first = await store.auditPage({ limit: 50 });
      // Counted to the cap on each side, then "at least".
      if (first.rows.length !== 50 || first.total !== 2 * AUDIT_COUNT_CAP || !first.capped)
        throw new Error(`the audit log's first page is wrong: ${first.rows.length} rows of ${first.total}`);
      pages.audit_first_page = await p95(audit({}));
      pages.audit_deep_page = await p95(audit({ before: deep }));
      pages.audit_kind_person = await p95(audit({ kind: 'person' }));
      pages.audit_kind_tx = await p95(audit({ kind: 'tx' }));
      pages.audit_actor = await p95(audit({ actorId: 'usr_7' }));
      pages.audit_target_item = await p95(audit({ targetId: 'itm_42' }));
      pages.audit_last_7_days = await p95(audit({ from: now - 7 * 86_400_000, to: now }));
      const conflicts = (f: Omit<Parameters<typeof store.conflictsPage>[0], 'limit'>) => () =>
        store.conflictsPage({ ...f, limit: 25 });
      pages.conflicts_open_first_page = await p95(conflicts({ state: 'open' }));
      pages.conflicts_all_first_page = await p95(conflicts({ state: 'all' }));
      pages.conflicts_kiosk = await p95(conflicts({ state: 'all', kioskId: 'ksk_3' }));
      pages.conflicts_code = await p95(conflicts({ state: 'all', code: 'RETURNED_BY_OTHER' }));
      const raw = new Database(file, { readonly: true });
      let baseline: number;
      try {
        const old = raw.prepare(OLD_MERGED);
        baseline = await p95(() => Promise.resolve(old.all()), 5);
      } finally {
        raw.close();
      }
      return {
        sizes: { audit: AUDIT, transactions: APPLIED + CONFLICTS, conflicts: CONFLICTS, open: OPEN },
        baseline_merged_sort_p95_ms: baseline,
        pages,
      };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function auditListsRows(r: AuditListsBench | { error: string } | undefined): Row[] {
  if (!r) return [];
  if ('error' in r) return [['dashboard_lists audit', 'error', r.error, '-', '-', null]];
  const base = r.baseline_merged_sort_p95_ms;
  return Object.entries(r.pages).map(([name, ms]) => [
    `${name.replace(/_/g, ' ')} (p95, 1M audit, 100k conflicts)`,
    `${ms} ms`,
    `${base} ms merged and sorted whole`,
    `${round(ms / base, 3)}x`,
    `< ${GOAL_MS} ms`,
    ms < GOAL_MS,
  ]);
}
