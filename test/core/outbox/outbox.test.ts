/** The outbox on a real SQLite file: durability settings, ordering, atomic carts, acknowledgements. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KIOSK_MIGRATIONS } from '../../../src-main/core/outbox/migrations.ts';
import { createOutbox, type NewRow } from '../../../src-main/core/outbox/outbox.ts';
import { openKioskDatabase } from '../../../src-main/core/sqlite.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outbox-'));
  file = join(dir, 'kiosk.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const row = (itemId: string, kind: NewRow['kind'] = 'borrow'): NewRow => ({
  kind,
  itemId,
  userId: 'u1',
  occurredAt: 1_700_000_000_000,
  clockTrusted: true,
  auth: { kind: 'rental', token: 'a.b.c' },
});

describe('kiosk database', () => {
  it('is WAL with synchronous=FULL on every open, including a reopen', () => {
    for (let i = 0; i < 2; i++) {
      const db = openKioskDatabase(file, KIOSK_MIGRATIONS);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      // 2 = FULL. better-sqlite3 reopens WAL files at NORMAL (1) unless told otherwise.
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      db.close();
    }
    // A plain reopen shows what the kiosk guards against.
    const raw = new Database(file);
    expect(raw.pragma('synchronous', { simple: true })).not.toBe(2);
    raw.close();
  });

  it('refuses to start on a damaged file and leaves it alone', () => {
    writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 7)]));
    expect(() => openKioskDatabase(file, KIOSK_MIGRATIONS)).toThrow(/integrity|malformed|not a database/);
  });

  it('migrates an existing file in place', () => {
    openKioskDatabase(file, KIOSK_MIGRATIONS).close();
    const db = openKioskDatabase(file, KIOSK_MIGRATIONS);
    expect(db.pragma('user_version', { simple: true })).toBe(
      Math.max(...KIOSK_MIGRATIONS.map((m) => m.version)),
    );
    db.close();
  });
});

describe('outbox', () => {
  it('gives UUIDv7 ids and a rising sequence, and keeps a cart together', () => {
    const db = openKioskDatabase(file, KIOSK_MIGRATIONS);
    const outbox = createOutbox(db, { now: () => 1 });
    const a = outbox.append([row('i1'), row('i2')]);
    const b = outbox.append([row('i3', 'return')]);
    expect([...a, ...b].map((r) => r.seq)).toEqual([1, 2, 3]);
    for (const r of [...a, ...b]) expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab]/);
    expect(outbox.pending(10).map((r) => r.itemId)).toEqual(['i1', 'i2', 'i3']);
    expect(outbox.pending(2)).toHaveLength(2);
    db.close();
  });

  it('writes nothing of a cart when one row fails', () => {
    const db = openKioskDatabase(file, KIOSK_MIGRATIONS);
    // The second row gets the same id as the first: the insert fails mid-cart.
    const outbox = createOutbox(db, { now: () => 1, newId: () => 'same-id' });
    expect(() => outbox.append([row('i1'), row('i2')])).toThrow(/UNIQUE/);
    expect(outbox.stats().pending).toBe(0);
    db.close();
  });

  it('a row leaves only on the server answer for it; unanswered rows stay', () => {
    const db = openKioskDatabase(file, KIOSK_MIGRATIONS);
    const outbox = createOutbox(db, { now: () => 5 });
    const [r1, r2, r3] = outbox.append([row('i1'), row('i2'), row('i3')]);
    outbox.complete([
      { id: r1!.id, status: 'applied' },
      { id: r2!.id, status: 'duplicate', first: { status: 'conflict', code: 'ITEM_UNAVAILABLE' } },
    ]);
    expect(outbox.pending(10).map((r) => r.id)).toEqual([r3!.id]);
    expect(outbox.stats()).toMatchObject({ pending: 1, needsAttention: 1 });
    // A second answer for a settled row changes nothing.
    outbox.complete([{ id: r1!.id, status: 'rejected', code: 'TOKEN_INVALID' }]);
    expect(outbox.stats().needsAttention).toBe(1);
    db.close();
  });

  it('survives a reopen with every confirmed row', () => {
    let db = openKioskDatabase(file, KIOSK_MIGRATIONS);
    const ids = createOutbox(db, { now: () => 1 })
      .append([row('i1'), row('i2')])
      .map((r) => r.id);
    db.close();
    db = openKioskDatabase(file, KIOSK_MIGRATIONS);
    expect(
      createOutbox(db, { now: () => 1 })
        .pending(10)
        .map((r) => r.id),
    ).toEqual(ids);
    db.close();
  });
});
