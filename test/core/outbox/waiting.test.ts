/**
 * What the screen reads from the outbox (the newest waiting row per item, the queue count)
 * is kept by the database with every commit, settle, prune and reopen. Checked against a full
 * re-read of the waiting rows, for random histories, on a real SQLite file; and pruning
 * never touches a waiting row.
 */
import type Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KIOSK_MIGRATIONS } from '../../../src-main/core/outbox/migrations.ts';
import { createOutbox, DEFAULT_RETENTION, type NewRow } from '../../../src-main/core/outbox/outbox.ts';
import { openKioskDatabase } from '../../../src-main/core/sqlite.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outbox-waiting-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const DAY = 86_400_000;
const row = (itemId: string, kind: NewRow['kind'], userId: string): NewRow => ({
  kind,
  itemId,
  userId,
  occurredAt: 1_700_000_000_000,
  clockTrusted: true,
  auth: { kind: 'rental', token: 'a.b.c' },
});

type Step =
  | { op: 'append'; items: { item: number; kind: NewRow['kind']; user: number }[] }
  | { op: 'settle'; pick: number[]; status: 'applied' | 'rejected' | 'conflict' | 'duplicate' }
  | { op: 'prune'; days: number }
  | { op: 'reopen'; after: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('append' as const),
    items: fc.array(
      fc.record({
        item: fc.integer({ min: 0, max: 5 }),
        kind: fc.constantFrom('borrow' as const, 'return' as const),
        user: fc.integer({ min: 0, max: 2 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  }),
  fc.record({
    op: fc.constant('settle' as const),
    pick: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
    status: fc.constantFrom(
      'applied' as const,
      'rejected' as const,
      'conflict' as const,
      'duplicate' as const,
    ),
  }),
  fc.record({ op: fc.constant('prune' as const), days: fc.integer({ min: 0, max: 120 }) }),
  // A restored server lost everything after some sequence number: answered rows wait again.
  fc.record({ op: fc.constant('reopen' as const), after: fc.integer({ min: 0, max: 60 }) }),
);

/** The old way: every waiting row, newest per item wins. */
function reReadAll(db: Database.Database) {
  const rows = db
    .prepare<[], { seq: number; item_id: string }>(
      "SELECT seq, item_id FROM outbox WHERE state = 'pending' ORDER BY seq",
    )
    .all();
  const newest = new Map<string, number>();
  for (const r of rows) newest.set(r.item_id, r.seq);
  return { count: rows.length, newest: [...newest.entries()].sort() };
}

describe('waiting rows per item', () => {
  it('match a full re-read after any history of commits, answers and prunes', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const db = openKioskDatabase(join(dir, `k${run++}.db`), KIOSK_MIGRATIONS);
        let now = 1_700_000_000_000;
        const outbox = createOutbox(db, { now: () => now });
        try {
          for (const s of steps) {
            now += DAY;
            if (s.op === 'append')
              outbox.append(s.items.map((r) => row(`item-${r.item}`, r.kind, `user-${r.user}`)));
            else if (s.op === 'settle') {
              // Answers arrive for any waiting rows, not only the oldest (a partial batch).
              const waiting = outbox.pending(1000);
              const ids = [...new Set(s.pick.map((i) => waiting[i % Math.max(1, waiting.length)]?.id))];
              outbox.complete(ids.filter((id): id is string => !!id).map((id) => ({ id, status: s.status })));
            } else if (s.op === 'prune')
              outbox.prune(now, { settledMs: s.days * DAY, needsAttentionMs: 2 * s.days * DAY });
            else outbox.reopenAfter(s.after);

            const truth = reReadAll(db);
            const kept = outbox.waiting();
            expect(kept.count).toBe(truth.count);
            expect(outbox.stats().pending).toBe(truth.count);
            expect(kept.newestByItem.map((r) => [r.itemId, r.seq]).sort()).toEqual(truth.newest);
          }
        } finally {
          db.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('are built for rows already waiting when an older kiosk database is migrated', () => {
    const file = join(dir, 'old.db');
    const old = openKioskDatabase(
      file,
      KIOSK_MIGRATIONS.filter((m) => m.version <= 2),
    );
    const insert = old.prepare(
      `INSERT INTO outbox (id, kind, item_id, user_id, occurred_at, clock_trusted, auth, created_at, state)
       VALUES (?, ?, ?, 'u', 1, 1, '{}', 1, ?)`,
    );
    insert.run('a', 'borrow', 'cam', 'pending');
    insert.run('b', 'return', 'cam', 'pending');
    insert.run('c', 'borrow', 'tripod', 'applied');
    insert.run('d', 'borrow', 'laptop', 'pending');
    old.close();

    const db = openKioskDatabase(file, KIOSK_MIGRATIONS);
    const outbox = createOutbox(db, { now: () => 2 });
    const w = outbox.waiting();
    expect(w.count).toBe(3);
    expect(w.newestByItem.map((r) => [r.itemId, r.id]).sort()).toEqual([
      ['cam', 'b'],
      ['laptop', 'd'],
    ]);
    db.close();
  });
});

describe('pruning settled rows', () => {
  it('deletes applied rows after their retention, keeps rows staff act on longer, never a waiting row', () => {
    const db = openKioskDatabase(join(dir, 'prune.db'), KIOSK_MIGRATIONS);
    let now = 1_700_000_000_000;
    const outbox = createOutbox(db, { now: () => now });
    const [applied, conflict, waiting] = outbox.append([
      row('cam', 'borrow', 'u'),
      row('tripod', 'borrow', 'u'),
      row('laptop', 'borrow', 'u'),
    ]);
    outbox.complete([
      { id: applied!.id, status: 'applied' },
      { id: conflict!.id, status: 'conflict', code: 'ITEM_UNAVAILABLE' },
    ]);
    const ids = () =>
      db
        .prepare<[], { id: string }>('SELECT id FROM outbox ORDER BY seq')
        .all()
        .map((r) => r.id);

    now += DEFAULT_RETENTION.settledMs - 1;
    expect(outbox.prune(now)).toBe(0);
    now += 2;
    expect(outbox.prune(now)).toBe(1);
    expect(ids()).toEqual([conflict!.id, waiting!.id]);
    expect(outbox.stats().needsAttention).toBe(1);

    now += DEFAULT_RETENTION.needsAttentionMs;
    expect(outbox.prune(now)).toBe(1);
    now += 10_000 * DAY;
    expect(outbox.prune(now)).toBe(0);
    expect(ids()).toEqual([waiting!.id]);
    expect(outbox.waiting().count).toBe(1);

    // The sequence keeps rising after a prune: the server never sees a number twice.
    const [next] = outbox.append([row('cam', 'borrow', 'u')]);
    expect(next!.seq).toBeGreaterThan(waiting!.seq);
    db.close();
  });
});
