/**
 * The replay check (SharedState.claimOnce, once per badge tap) must cost the same with 100
 * live assertion ids as with 100,000: a per-call scan of every entry once collapsed the tap
 * rate under sustained load (issue 18). Work is counted, never timed: in memory, by counting
 * the elements every Map/Set/Array iteration and array method touches while the calls run;
 * in SQL, by asking SQLite how it runs each statement the adapter sends.
 */
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memorySharedState } from '../../../server/shared/memory-state.ts';
import { PURGE_BATCH, sqlSharedState } from '../../../server/store/sql/shared-state.ts';
import type { SqlRunner, SqlValue } from '../../../server/store/sql/sql-db.ts';
import { SERVER_MIGRATIONS } from '../../../server/store/sqlite/migrations.ts';
import { openDatabase } from '../../../server/store/sqlite/open-database.ts';
import { sqliteDb } from '../../../server/store/sqlite/sqlite-db.ts';

/**
 * Counts, while `fn` runs, every element that an iteration over a Map, Set or Array visits
 * and every element an array method could touch, plus each Map/Set get/set/has/delete. A
 * scan of all entries in any of those shapes shows up as a count the size of the collection.
 * `fn` calls `guard()` in its loops: past `limit` that throws, so a scanning implementation
 * fails fast instead of running for minutes (the patched methods themselves never throw:
 * the test runner's own code may call them meanwhile).
 */
async function countWork(fn: (guard: () => void) => Promise<void>, limit: number): Promise<number> {
  let work = 0;
  const restore: (() => void)[] = [];
  const patch = (proto: object, name: PropertyKey, cost: (self: unknown) => number) => {
    const original = Reflect.get(proto, name) as (...args: unknown[]) => unknown;
    Object.defineProperty(proto, name, {
      configurable: true,
      writable: true,
      value: function (this: unknown, ...args: unknown[]) {
        work += cost(this);
        return original.apply(this, args);
      },
    });
    restore.push(() =>
      Object.defineProperty(proto, name, { configurable: true, writable: true, value: original }),
    );
  };
  const one = () => 1;
  const size = (self: unknown) => (self as { size: number }).size;
  const length = (self: unknown) => (self as { length: number }).length;
  for (const proto of [
    Object.getPrototypeOf(new Map()[Symbol.iterator]()),
    Object.getPrototypeOf(new Set()[Symbol.iterator]()),
    Object.getPrototypeOf([][Symbol.iterator]()),
  ] as object[])
    patch(proto, 'next', one);
  for (const proto of [Map.prototype, Set.prototype] as object[]) {
    patch(proto, 'forEach', size);
    for (const name of ['get', 'set', 'add', 'has', 'delete']) if (name in proto) patch(proto, name, one);
  }
  for (const name of [
    'forEach',
    'filter',
    'map',
    'some',
    'every',
    'find',
    'findIndex',
    'findLast',
    'reduce',
    'indexOf',
    'includes',
    'splice',
    'slice',
    'sort',
    'shift',
    'unshift',
  ])
    patch(Array.prototype, name, length);
  const guard = () => {
    if (work > limit) throw new Error(`more than ${limit} elements touched`);
  };
  try {
    await fn(guard);
  } finally {
    for (const r of restore.reverse()) r();
  }
  return work;
}

const CALLS = 1_000;

describe('in memory', () => {
  /** A state holding `live` unexpired assertion ids, and the clock it was filled on. */
  async function filled(live: number) {
    const state = memorySharedState();
    let now = 1_000_000;
    await countWork(async (guard) => {
      for (let i = 0; i < live; i++) {
        if (i % 4 === 0) now += 1; // 4,000 taps/s, each id kept 60 s: none expires while filling
        await state.claimOnce(`jti:fill-${i}`, now + 60_000, now);
        guard();
      }
    }, 10 * live);
    return { state, now };
  }

  it('a claim costs the same with 100,000 live ids as with 100', async () => {
    const perCall = async (live: number) => {
      const { state, now } = await filled(live);
      expect(state.held()).toBe(live);
      const work = await countWork(async (guard) => {
        for (let i = 0; i < CALLS; i++) {
          await state.claimOnce(`jti:new-${i}`, now + 60_000, now);
          guard();
        }
      }, 100 * CALLS);
      return work / CALLS;
    };
    const small = await perCall(100);
    const large = await perCall(100_000);
    // A scan would be ~100,000 per call at the large size; a handful of Map operations is the budget.
    expect(small).toBeLessThan(10);
    expect(large).toBeLessThan(10);
    expect(large).toBeLessThanOrEqual(small + 2);
  });

  it('sweeping under sustained load: bounded work per call, and memory held to what is live', async () => {
    const state = memorySharedState();
    let now = 5_000_000;
    // A long-lived claim first (the purge job's, 20 min), then 3 minutes of taps at 4,000/s
    // whose ids live 35 s: it must not hold back the expiry of those filed after it.
    expect(await state.claimOnce('job:purge:1', now + 20 * 60_000, now)).toBe(true);
    let most = 0;
    let work = 0;
    const taps = 3 * 60 * 4_000;
    work = await countWork(async (guard) => {
      for (let i = 0; i < taps; i++) {
        if (i % 4 === 0) now += 1;
        await state.claimOnce(`jti:${i}`, now + 35_000, now);
        guard();
        if (i % 1_000 === 0) most = Math.max(most, state.held());
      }
    }, 100 * taps);
    // 35 s of ids live at 4,000/s = 140,000, plus the seconds a sweep trails by.
    expect(most).toBeLessThan(150_000);
    expect(state.held()).toBeLessThan(150_000);
    // Each call: its own put plus at most the sweep's budget of Map operations, amortized far less.
    expect(work / taps).toBeLessThan(10);
    // What expired can be claimed again; what has not cannot.
    expect(await state.claimOnce('jti:0', now + 35_000, now)).toBe(true);
    expect(await state.claimOnce(`jti:${taps - 1}`, now + 35_000, now)).toBe(false);
    expect(await state.claimOnce('job:purge:1', now + 20 * 60_000, now)).toBe(false);
  });

  it('the periodic purge drops everything expired and nothing live', async () => {
    const state = memorySharedState();
    const t0 = 10_000_000;
    for (let i = 0; i < 20_000; i++) await state.claimOnce(`jti:${i}`, t0 + 30_000 + (i % 7) * 1_000, t0);
    await state.claimOnce('long', t0 + 3_600_000, t0);
    await state.update('bucket:k1', t0, () => ({ next: { n: 1 }, expiresAt: t0 + 60_000, result: null }));
    const removed = await state.purge(t0 + 40_000);
    expect(removed).toBe(20_000);
    expect(state.held()).toBe(2);
    expect(await state.read('bucket:k1', t0 + 40_000)).toEqual({ n: 1 });
    expect(await state.purge(t0 + 2 * 3_600_000)).toBe(2);
    expect(state.held()).toBe(0);
  });

  it('a key rewritten with a later expiry is not dropped at its earlier one', async () => {
    const state = memorySharedState();
    const t0 = 20_000_000;
    const bump = (n: number, expiresAt: number) => () => ({ next: { n }, expiresAt, result: null });
    await state.update('bucket:k', t0, bump(1, t0 + 2_000));
    await state.update('bucket:k', t0 + 1_000, bump(2, t0 + 60_000));
    await state.purge(t0 + 10_000);
    expect(await state.read('bucket:k', t0 + 10_000)).toEqual({ n: 2 });
    // A clock stepped back files keys behind the sweep: they are still swept.
    await state.claimOnce('jti:back', t0 + 5_000, t0);
    expect(await state.purge(t0 + 70_000)).toBe(2);
    expect(state.held()).toBe(0);
  });
});

describe('in SQL (the shared_state table, here on SQLite)', () => {
  let dir: string;
  let raw: Database.Database;
  let statements: { sql: string; changes?: number }[];
  let runner: SqlRunner;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rental-expiry-cost-'));
    raw = openDatabase(join(dir, 'server.db'), SERVER_MIGRATIONS);
    const db = sqliteDb(raw);
    statements = [];
    // Records every statement the adapter sends, and what a DELETE removed.
    runner = {
      ...db,
      dialect: db.dialect,
      all: (sql: string, p?: readonly SqlValue[]) => (statements.push({ sql }), db.all(sql, p)),
      get: (sql: string, p?: readonly SqlValue[]) => (statements.push({ sql }), db.get(sql, p)),
      run: async (sql: string, p?: readonly SqlValue[]) => {
        const out = await db.run(sql, p);
        statements.push({ sql, changes: out.changes });
        return out;
      },
    } as SqlRunner;
  });
  afterEach(() => {
    raw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fill = (n: number, expiresAt: (i: number) => number) => {
    const insert = raw.prepare("INSERT INTO shared_state (key, value, expires_at) VALUES (?, '', ?)");
    raw.transaction(() => {
      for (let i = 0; i < n; i++) insert.run(`jti:fill-${i}`, expiresAt(i));
    })();
  };

  /** SQLite's plan for `sql`: a line per table access. */
  const plan = (sql: string) =>
    (
      raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(sql.split('?').length - 1).fill(0)) as {
        detail: string;
      }[]
    ).map((r) => r.detail);

  it('no statement of the replay path or the purge scans the table', async () => {
    const t0 = 1_000_000;
    fill(50_000, (i) => t0 + (i % 2 === 0 ? -1 : 60_000));
    raw.exec('ANALYZE');
    const state = sqlSharedState(runner);
    expect(await state.claimOnce('jti:a', t0 + 60_000, t0)).toBe(true);
    expect(await state.claimOnce('jti:a', t0 + 60_000, t0)).toBe(false);
    expect(await state.claimOnce('jti:fill-0', t0 + 60_000, t0)).toBe(true); // its claim had expired
    await state.getShared('jti:a', t0);
    await state.putShared('bucket:k', { value: '{}', expiresAt: t0 + 1 });
    await state.deleteShared('bucket:k');
    expect(await state.purgeShared(t0)).toBe(24_999);
    expect(statements.length).toBeGreaterThan(6);
    for (const { sql } of statements) {
      const lines = plan(sql);
      // "SCAN shared_state" alone is a walk of every row; a SEARCH uses the key or the index.
      expect(
        lines.filter((l) => /^SCAN shared_state\b(?!.*USING (COVERING )?INDEX)/.test(l)),
        sql,
      ).toEqual([]);
    }
  });

  it('the purge deletes in bounded batches', async () => {
    const t0 = 2_000_000;
    fill(5 * PURGE_BATCH + 17, () => t0 - 1);
    raw.prepare("INSERT INTO shared_state (key, value, expires_at) VALUES ('live', '', ?)").run(t0 + 1);
    const removed = await sqlSharedState(runner).purgeShared(t0);
    expect(removed).toBe(5 * PURGE_BATCH + 17);
    const deletes = statements.filter((s) => s.sql.startsWith('DELETE'));
    expect(deletes.length).toBe(6);
    for (const d of deletes) expect(d.changes).toBeLessThanOrEqual(PURGE_BATCH);
    expect(raw.prepare('SELECT key FROM shared_state').all()).toEqual([{ key: 'live' }]);
  });
});
