/**
 * What a kiosk killed after losing its database file leaves: a WAL with no database beside
 * it. A start refuses to build a fresh database over it (SQLite would delete the WAL), and the
 * recovery reads the unsent rows out of the WAL page by page, on real SQLite files.
 */
import Database from 'better-sqlite3';
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { KIOSK_MIGRATIONS } from '../../../src-main/core/outbox/migrations.ts';
import { createOutbox, type NewRow } from '../../../src-main/core/outbox/outbox.ts';
import { recoverOutbox } from '../../../src-main/core/outbox/salvage.ts';
import { outboxRowsInWal, partsOrNull } from '../../../src-main/core/outbox/wal-pages.ts';
import { openKioskDatabase } from '../../../src-main/core/sqlite.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outbox-salvage-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const row = (i: number): NewRow => ({
  kind: i === 7 ? 'renew' : i % 3 === 2 ? 'return' : 'borrow',
  itemId: `itm_${i}`,
  userId: `usr_${i % 4}`,
  occurredAt: 1_700_000_000_000 + i * 1000,
  clockTrusted: i % 2 === 0,
  // A rental token's size, and Korean in the note: both must come back byte for byte.
  auth: { kind: 'rental', token: `eyJ.${'x'.repeat(400 + i)}.sig` },
  note: i === 4 ? '렌즈 뚜껑 없음' : null,
  // A kit returned with a part missing: what was reported must survive with the row.
  ...(i === 8 ? { condition: 'incomplete' as const, missingParts: ['배터리 2', '충전기'] } : {}),
});

/** A kiosk with 12 rows, 3 of them answered, "killed" with its WAL on disk and its file gone. */
function orphanWal() {
  const live = join(dir, 'live');
  mkdirSync(live);
  const db = openKioskDatabase(join(live, 'kiosk.db'), KIOSK_MIGRATIONS);
  db.pragma('wal_autocheckpoint = 0'); // as after a crash: nothing checkpointed since
  const outbox = createOutbox(db, { now: () => 1_700_000_000_000 });
  const written = Array.from({ length: 12 }, (_, i) => outbox.append([row(i)])[0]!);
  outbox.complete(written.slice(0, 3).map((r) => ({ id: r.id, status: 'applied' as const })));
  const lost = join(dir, 'lost');
  mkdirSync(lost);
  copyFileSync(join(live, 'kiosk.db-wal'), join(lost, 'kiosk.db-wal'));
  db.close();
  return { file: join(lost, 'kiosk.db'), written };
}

it('refuses to start over an orphan WAL, and leaves it as it was', () => {
  const { file } = orphanWal();
  expect(() => openKioskDatabase(file, KIOSK_MIGRATIONS)).toThrow(/kiosk\.db-wal.*RENTAL_RECOVER_OUTBOX=1/s);
  expect(existsSync(file)).toBe(false);
  expect(outboxRowsInWal(`${file}-wal`).rows.length).toBeGreaterThan(0);
});

it('recovers every unsent row from the WAL alone, with ids, order, proofs, notes and reports intact', () => {
  const { file, written } = orphanWal();
  const recovery = recoverOutbox(file, KIOSK_MIGRATIONS)!;
  expect(recovery).toMatchObject({ recovered: 9, settled: 3 });
  expect(readdirSync(recovery.keptIn)).toContain('kiosk.db-wal');

  const db = openKioskDatabase(file, KIOSK_MIGRATIONS);
  const outbox = createOutbox(db, { now: () => 0 });
  const back = outbox.pending(100);
  const unsent = written.slice(3);
  expect(back.map((r) => [r.id, r.seq, r.kind, r.itemId, r.userId, r.occurredAt, r.clockTrusted])).toEqual(
    unsent.map((r) => [r.id, r.seq, r.kind, r.itemId, r.userId, r.occurredAt, r.clockTrusted]),
  );
  expect(back.map((r) => r.auth)).toEqual(unsent.map((r) => r.auth));
  expect(back.find((r) => r.itemId === 'itm_4')?.note).toBe('렌즈 뚜껑 없음');
  expect(back.find((r) => r.itemId === 'itm_7')?.kind).toBe('renew');
  expect(back.find((r) => r.itemId === 'itm_8')).toMatchObject({
    condition: 'incomplete',
    missingParts: ['배터리 2', '충전기'],
  });
  // The next commit continues the numbering.
  expect(outbox.append([row(99)])[0]!.seq).toBeGreaterThan(unsent.at(-1)!.seq);
  db.close();
});

it('ignores a torn tail and a WAL of another generation', () => {
  const { file } = orphanWal();
  const before = outboxRowsInWal(`${file}-wal`).rows.length;
  appendFileSync(`${file}-wal`, Buffer.alloc(5000, 0xab)); // a frame cut off by the power
  expect(outboxRowsInWal(`${file}-wal`).rows.length).toBe(before);

  const other = join(dir, 'not-a-wal');
  appendFileSync(other, Buffer.alloc(8192, 1));
  expect(outboxRowsInWal(other)).toEqual({ rows: [], skipped: 0 });
});

it('recovers from a damaged database file as well, keeping it aside', () => {
  const file = join(dir, 'kiosk.db');
  const db0 = openKioskDatabase(file, KIOSK_MIGRATIONS);
  const outbox0 = createOutbox(db0, { now: () => 1 });
  for (let i = 0; i < 12; i++) outbox0.append([row(i)]);
  const { rootpage } = db0
    .prepare<[], { rootpage: number }>("SELECT rootpage FROM sqlite_master WHERE name = 'outbox_pending'")
    .get()!;
  db0.close(); // checkpointed: everything is in the main file now
  // A power cut tore one index page: the file fails its check, the table itself still reads.
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0xee), 0, 4096, (rootpage - 1) * 4096);
  closeSync(fd);
  expect(() => openKioskDatabase(file, KIOSK_MIGRATIONS)).toThrow(
    /integrity check.*RENTAL_RECOVER_OUTBOX=1/s,
  );

  const recovery = recoverOutbox(file, KIOSK_MIGRATIONS)!;
  expect(recovery.recovered).toBe(12);
  expect(readdirSync(recovery.keptIn)).toEqual(['kiosk.db']);
  const db = new Database(file, { readonly: true });
  expect(db.pragma('quick_check', { simple: true })).toBe('ok');
  expect(db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'").get()).toEqual({ n: 12 });
  expect(db.prepare("SELECT kind FROM outbox WHERE item_id = 'itm_7'").get()).toEqual({ kind: 'renew' });
  expect(db.prepare("SELECT condition, missing_parts FROM outbox WHERE item_id = 'itm_8'").get()).toEqual({
    condition: 'incomplete',
    missing_parts: JSON.stringify(['배터리 2', '충전기']),
  });
  db.close();
});

it('does nothing to a healthy database', () => {
  const file = join(dir, 'ok.db');
  openKioskDatabase(file, KIOSK_MIGRATIONS).close();
  expect(recoverOutbox(file, KIOSK_MIGRATIONS)).toBeNull();
  expect(readdirSync(dir)).toEqual(['ok.db']);
});

it('keeps a salvaged list of missing parts only when it is one the outbox could have written', () => {
  expect(partsOrNull(JSON.stringify(['배터리 2']))).toBe('["배터리 2"]');
  for (const torn of ['["배터리', '[]', '{"a":1}', '[1,2]', JSON.stringify(['x'.repeat(61)]), 'null'])
    expect(partsOrNull(torn)).toBeNull();
});
