/**
 * Kiosk migration 7 (src-main/core/outbox/migrations.ts): the outbox is rebuilt so a 'renew'
 * row fits its CHECK. Every row survives, the sequence is never handed out twice (even after
 * the top row was pruned), and the waiting-rows triggers still keep outbox_items in step.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KIOSK_MIGRATIONS } from '../../../src-main/core/outbox/migrations.ts';
import { openKioskDatabase } from '../../../src-main/core/sqlite.ts';

describe('kiosk migration 7: renew rows', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('keeps every row, continues the sequence past a pruned top row, and accepts renew rows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-mig7-'));
    dirs.push(dir);
    const file = join(dir, 'kiosk.db');
    const old = openKioskDatabase(
      file,
      KIOSK_MIGRATIONS.filter((m) => m.version <= 6),
    );
    const insert = old.prepare(
      `INSERT INTO outbox (id, kind, item_id, user_id, occurred_at, clock_trusted, auth, created_at)
       VALUES (?, ?, ?, 'u1', 1, 1, '{}', 1)`,
    );
    insert.run('a', 'borrow', 'i1');
    insert.run('b', 'borrow', 'i2');
    insert.run('c', 'return', 'i3');
    expect(() => insert.run('x', 'renew', 'i1')).toThrow(/CHECK/);
    old.prepare("UPDATE outbox SET state = 'applied', synced_at = 5 WHERE id IN ('b', 'c')").run();
    old.prepare("DELETE FROM outbox WHERE id = 'c'").run(); // pruned: seq 3 was the top
    old.close();

    const db = openKioskDatabase(file, KIOSK_MIGRATIONS);
    // Migrated through 7 and every later one (the catalog's page staging is 8).
    expect(db.pragma('user_version', { simple: true })).toBe(KIOSK_MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT id, seq, kind, state FROM outbox ORDER BY seq').all()).toEqual([
      { id: 'a', seq: 1, kind: 'borrow', state: 'pending' },
      { id: 'b', seq: 2, kind: 'borrow', state: 'applied' },
    ]);
    const insert7 = db.prepare(
      `INSERT INTO outbox (id, kind, item_id, user_id, occurred_at, clock_trusted, auth, created_at)
       VALUES (?, ?, ?, 'u1', 1, 1, '{}', 1) RETURNING seq`,
    );
    // Never seq 3 again.
    expect(insert7.get('r', 'renew', 'i1')).toEqual({ seq: 4 });
    // The triggers came back: item i1 has two rows waiting, the newest the renewal.
    const waiting = () =>
      db.prepare('SELECT item_id, waiting, newest_seq FROM outbox_items ORDER BY item_id').all();
    expect(waiting()).toEqual([{ item_id: 'i1', waiting: 2, newest_seq: 4 }]);
    db.prepare("UPDATE outbox SET state = 'applied' WHERE id = 'a'").run();
    expect(waiting()).toEqual([{ item_id: 'i1', waiting: 1, newest_seq: 4 }]);
    db.prepare("UPDATE outbox SET state = 'pending' WHERE id = 'b'").run();
    expect(waiting()).toEqual([
      { item_id: 'i1', waiting: 1, newest_seq: 4 },
      { item_id: 'i2', waiting: 1, newest_seq: 2 },
    ]);
    db.prepare("DELETE FROM outbox WHERE id = 'r'").run();
    expect(waiting()).toEqual([{ item_id: 'i2', waiting: 1, newest_seq: 2 }]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
