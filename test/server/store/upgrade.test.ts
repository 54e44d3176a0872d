/**
 * Issue 21, upgrades: this server opens the previous release's database (SQLite schema 9,
 * PostgreSQL schema 4: commit c0dd33b) with its people, items, an open loan and its
 * transaction, migrates it in place, and goes on: the loan is there, items are 'ok', the new
 * steps work. Migrations only ever add at the end, so the previous release's schema is the
 * migration list cut at its last version.
 */
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres, POSTGRES_MIGRATIONS } from '../../../server/store/postgres/migrations.ts';
import { openPostgresStore } from '../../../server/store/postgres/open-postgres-store.ts';
import { SERVER_MIGRATIONS } from '../../../server/store/sqlite/migrations.ts';
import { openDatabase } from '../../../server/store/sqlite/open-database.ts';
import { openSqliteStore } from '../../../server/store/sqlite/open-sqlite-store.ts';
import type { Store } from '../../../server/store/store.ts';
import { postgresSkipReason, startPostgres, type PgCluster } from '../../support/postgres.ts';

const PREVIOUS = { sqlite: 9, postgres: 4 };
const T0 = 1_790_000_000_000;
const DAY = 86_400_000;

/** The previous release's data, in its own schema (plain SQL, `?` placeholders). */
const SEED: [string, unknown[]][] = [
  [
    "INSERT INTO users (id, email, display_name, role) VALUES ('usr_a', 'a@example.com', '김민준', 'member')",
    [],
  ],
  ["INSERT INTO badges (credential_hash, user_id, label) VALUES ('h1', 'usr_a', 'card')", []],
  [
    `INSERT INTO items (id, tag, name, category, loan_days, restricted_to, locker_slot, retired, version)
     VALUES ('itm_cam', 'CM-001', 'Sony A7 IV', 'Cameras', 3, NULL, NULL, 0, 5),
            ('itm_tri', 'TR-001', 'Tripod', 'Cameras', 7, NULL, NULL, 0, 6)`,
    [],
  ],
  [
    "INSERT INTO kiosks (id, name, public_jwk, enrolled_at) VALUES ('ksk_lobby', 'Lobby', '{}', ?)",
    [T0 - DAY],
  ],
  [
    `INSERT INTO transactions (id, kiosk_id, seq, kind, item_id, user_id, occurred_at, clock_trusted,
       received_at, effective_at, status, code, loan_id)
     VALUES ('tx_1', 'ksk_lobby', 7, 'borrow', 'itm_cam', 'usr_a', ?, 1, ?, ?, 'applied', NULL, 'loan_1')`,
    [T0, T0, T0],
  ],
  [
    `INSERT INTO loans (id, item_id, user_id, kiosk_id, borrow_tx_id, borrowed_at, due_at)
     VALUES ('loan_1', 'itm_cam', 'usr_a', 'ksk_lobby', 'tx_1', ?, ?)`,
    [T0, T0 + 3 * DAY],
  ],
];

/** What the upgraded store must show, and do, on either database. */
async function expectUpgraded(store: Store) {
  expect((await store.findUserByBadgeHash('h1'))?.displayName).toBe('김민준');
  expect(await store.openLoanOfItem('itm_cam')).toMatchObject({
    id: 'loan_1',
    userId: 'usr_a',
    borrowedAt: T0,
    dueAt: T0 + 3 * DAY,
  });
  expect(await store.findItem('itm_tri')).toMatchObject({
    condition: 'ok',
    conditionAt: null,
    onLoan: false,
  });
  expect(await store.lastSeqOfKiosk('ksk_lobby')).toBe(7);
  expect(await store.openConflictsOfKiosk('ksk_lobby')).toBe(0);
  await store.setItemCondition({
    itemId: 'itm_tri',
    at: T0 + DAY,
    condition: 'in_repair',
    report: null,
    note: 'after the upgrade',
    by: { kind: 'user', name: 'staff' },
    txId: null,
  });
  expect(await store.itemConditions('itm_tri')).toHaveLength(1);
  // Catalog versions go on above the previous release's.
  expect((await store.findItem('itm_tri'))!.version).toBeGreaterThan(6);
}

describe('SQLite: the previous release database upgrades in place', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rental-upgrade-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`migrates schema ${PREVIOUS.sqlite} with its data to the latest`, async () => {
    const file = join(dir, 'server.db');
    const old = openDatabase(
      file,
      SERVER_MIGRATIONS.filter((m) => m.version <= PREVIOUS.sqlite),
    );
    for (const [sql, args] of SEED) old.prepare(sql).run(...args);
    // SQLite's catalog counter had counted to the newest item's version.
    old.prepare("UPDATE meta SET value = 6 WHERE key = 'catalog_version'").run();
    expect(old.pragma('user_version', { simple: true })).toBe(PREVIOUS.sqlite);
    old.close();

    const store = openSqliteStore({ file });
    try {
      await expectUpgraded(store);
    } finally {
      await store.close();
    }
    const again = openDatabase(file, SERVER_MIGRATIONS);
    expect(again.pragma('user_version', { simple: true })).toBe(
      Math.max(...SERVER_MIGRATIONS.map((m) => m.version)),
    );
    again.close();
  });
});

const pgSkip = postgresSkipReason();
describe.skipIf(pgSkip !== null)(
  `PostgreSQL: the previous release database upgrades in place${pgSkip ? ` (skipped: ${pgSkip})` : ''}`,
  () => {
    let cluster: PgCluster | undefined;
    beforeAll(async () => {
      cluster = await startPostgres();
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it(`migrates schema ${PREVIOUS.postgres} with its data to the latest`, async () => {
      const url = await cluster!.createDatabase('upgrade');
      const pool = new pg.Pool({ connectionString: url });
      try {
        await migratePostgres(
          pool,
          POSTGRES_MIGRATIONS.filter((m) => m.version <= PREVIOUS.postgres),
        );
        for (const [sql, args] of SEED) {
          let n = 0;
          await pool.query(
            sql.replace(/\?/g, () => `$${++n}`),
            args,
          );
        }
      } finally {
        await pool.end();
      }
      const store = await openPostgresStore({ url });
      try {
        await expectUpgraded(store);
        // The System page's and /metrics' pool figures come from here.
        const pool = store.poolStats!();
        expect(pool.total).toBeGreaterThanOrEqual(1);
        expect(pool.idle).toBeLessThanOrEqual(pool.total);
        expect(pool.waiting).toBe(0);
      } finally {
        await store.close();
      }
    });
  },
);
