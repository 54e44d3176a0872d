/**
 * outbox_queue: what a long outage costs the kiosk.
 *
 * - Screen update: the kiosk builds its view (catalog of 2,000 items with the waiting rows
 *   laid over it, a signed-in person's loans) after every event. Timed at 10, 1,000 and
 *   10,000 waiting rows on a real kiosk database; the ratio is each size against 10 rows in
 *   the same run (goal: flat within 2x).
 * - File size: 20,000 transactions over 100 days (200 a day), each day's rows answered by the
 *   server and the heartbeat's prune run as the kiosk runs it; the database and WAL size at
 *   the end, against the same history without pruning.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DAY_MS } from '../../protocol/index.ts';
import { createCatalogCache } from '../../src-main/core/catalog/catalog-cache.ts';
import { KIOSK_MIGRATIONS } from '../../src-main/core/outbox/migrations.ts';
import { createOutbox, type NewRow, type Outbox } from '../../src-main/core/outbox/outbox.ts';
import type { State } from '../../src-main/core/session/machine.ts';
import { openKioskDatabase } from '../../src-main/core/sqlite.ts';
import { buildView } from '../../src-main/core/view.ts';
import { msSince, percentile, round, type Row } from './stats.ts';

const TOKEN = `eyJhbGciOiJFZERTQSJ9.${'x'.repeat(300)}.${'y'.repeat(86)}`;
const ITEMS = 2_000;
const SIZES = [10, 1_000, 10_000] as const;
const VIEWS = 200;
const HISTORY_TX = 20_000;
const HISTORY_DAYS = 100;

const tx = (i: number, at: number): NewRow => ({
  kind: i % 2 ? 'return' : 'borrow',
  itemId: `itm_${Math.floor(i / 2) % ITEMS}`,
  userId: `usr_${i % 300}`,
  occurredAt: at,
  clockTrusted: true,
  auth: { kind: 'rental', token: TOKEN },
});

const catalogOf = (n: number) => ({
  full: true,
  cursor: 'c1',
  serverTime: new Date().toISOString(),
  items: Array.from({ length: n }, (_, i) => ({
    id: `itm_${i}`,
    tag: `T-${i}`,
    name: `노트북 ${i}`,
    category: ['노트북', '카메라', '삼각대'][i % 3]!,
    loanDays: 7,
    restrictedTo: null,
    onLoan: false,
    retired: false,
    lockerSlot: null,
  })),
});

function sessionState(now: number): State {
  return {
    screen: 'session',
    error: null,
    session: {
      credential: { kind: 'nfc', value: '04AABBCCDD' } as never,
      user: { id: 'usr_1', displayName: '김민준', role: 'member' } as never,
      loans: [],
      maxLoans: 5,
      token: 'x',
      offlineAuth: null,
      offline: true,
      expiresAt: now + 60_000,
      lastActivityAt: now,
    },
  };
}

function timeViews(outbox: Outbox, catalog: ReturnType<typeof createCatalogCache>, now: number) {
  const deps = {
    outbox,
    catalog,
    sync: { status: () => ({ online: false, lastSyncAt: null, syncing: false }) },
    machine: { inactivityMs: 60_000, receiptMs: 5_000, deniedMs: 4_000, identifyTimeoutMs: 5_000 },
    simulator: false,
    readers: () => [],
  };
  const state = sessionState(now);
  const ms: number[] = [];
  for (let i = 0; i < VIEWS; i++) {
    const t0 = process.hrtime.bigint();
    buildView({ state, deps: deps as never, now });
    ms.push(msSince(t0));
  }
  return percentile(ms, 50);
}

export type OutboxQueueBench = {
  view_ms_p50: Record<string, number>;
  view_ratio_10000_vs_10: number;
  goal_flat_2x: 'met' | 'missed';
  file_after_20k_tx_kb: { pruned: number; pruned_wal: number; unpruned: number; unpruned_wal: number };
};

export function benchOutboxQueue(dir: string): OutboxQueueBench {
  const work = mkdtempSync(join(dir, 'rental-bench-queue-'));
  try {
    const view_ms_p50: Record<string, number> = {};
    for (const size of SIZES) {
      const db = openKioskDatabase(join(work, `view-${size}.db`), KIOSK_MIGRATIONS);
      const now = Date.now();
      const outbox = createOutbox(db, { now: () => now });
      const catalog = createCatalogCache(db);
      catalog.apply(catalogOf(ITEMS));
      for (let i = 0; i < size; i += 500)
        outbox.append(Array.from({ length: Math.min(500, size - i) }, (_, k) => tx(i + k, now)));
      timeViews(outbox, catalog, now); // warm
      view_ms_p50[String(size)] = round(timeViews(outbox, catalog, now), 3);
      db.close();
    }
    const ratio = round(view_ms_p50['10000']! / view_ms_p50['10']!, 2);

    const size = (prune: boolean) => {
      const file = join(work, `history-${prune ? 'pruned' : 'unpruned'}.db`);
      const db = openKioskDatabase(file, KIOSK_MIGRATIONS);
      let now = Date.UTC(2026, 0, 1);
      const outbox = createOutbox(db, { now: () => now });
      const perDay = HISTORY_TX / HISTORY_DAYS;
      for (let day = 0; day < HISTORY_DAYS; day++) {
        const rows = outbox.append(Array.from({ length: perDay }, (_, k) => tx(day * perDay + k, now)));
        now += DAY_MS / 2;
        outbox.complete(rows.map((r) => ({ id: r.id, status: 'applied' as const })));
        // The heartbeat prunes a batch per beat; a day has thousands of beats.
        if (prune) while (outbox.prune(now) > 0);
        now += DAY_MS / 2;
      }
      db.pragma('wal_checkpoint(PASSIVE)');
      const kb = (f: string) => {
        try {
          return round(statSync(f).size / 1024, 0);
        } catch {
          return 0;
        }
      };
      const out = { db: kb(file), wal: kb(`${file}-wal`) };
      db.close();
      return out;
    };
    const pruned = size(true);
    const unpruned = size(false);
    return {
      view_ms_p50,
      view_ratio_10000_vs_10: ratio,
      goal_flat_2x: ratio <= 2 ? 'met' : 'missed',
      file_after_20k_tx_kb: {
        pruned: pruned.db,
        pruned_wal: pruned.wal,
        unpruned: unpruned.db,
        unpruned_wal: unpruned.wal,
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function outboxQueueRows(q: OutboxQueueBench | { error: string }): Row[] {
  if ('error' in q) return [['outbox queue', `failed: ${q.error}`, '', '', '', false]];
  const v = q.view_ms_p50;
  const f = q.file_after_20k_tx_kb;
  return [
    ...SIZES.filter((n) => n !== 10).map((n): Row => {
      const ratio = round(v[String(n)]! / v['10']!, 2);
      return [
        `kiosk screen update, ${n.toLocaleString('en-US')} waiting rows (ms p50)`,
        `${v[String(n)]}`,
        `${v['10']} at 10 rows`,
        `${ratio}`,
        '<= 2x of 10 rows',
        ratio <= 2,
      ];
    }),
    [
      'kiosk database after 20,000 tx / 100 days (KB)',
      `${f.pruned} + ${f.pruned_wal} WAL`,
      `${f.unpruned} unpruned`,
      `${round(f.pruned / f.unpruned, 2)}`,
      '',
      null,
    ],
  ];
}
