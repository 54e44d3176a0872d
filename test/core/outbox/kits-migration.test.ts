/**
 * Kiosk migration 9 (kits): a kiosk upgraded from protocol 6 forgets its catalog cursor, so
 * its next pull is a whole one and brings the parts of items that became kits while it could
 * not hear of them; what it had stays on screen until then.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createCatalogCache } from '../../../src-main/core/catalog/catalog-cache.ts';
import { KIOSK_MIGRATIONS } from '../../../src-main/core/outbox/migrations.ts';
import { openKioskDatabase } from '../../../src-main/core/sqlite.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('drops the catalog cursor and a half-done pull, keeps the items, and reads them with no parts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-mig9-'));
  dirs.push(dir);
  const file = join(dir, 'kiosk.db');
  const old = openKioskDatabase(
    file,
    KIOSK_MIGRATIONS.filter((m) => m.version <= 8),
  );
  old
    .prepare(
      `INSERT INTO catalog_items (id, tag, name, category, loan_days, restricted_to, on_loan, retired, locker_slot, condition)
       VALUES ('itm_cam', 'CM-001', 'Sony A7 IV', 'Cameras', 3, NULL, 0, 0, NULL, 'ok')`,
    )
    .run();
  old
    .prepare("INSERT INTO kv (key, value) VALUES ('catalog_cursor', '4711'), ('catalog_pull_next', 'tok')")
    .run();
  old.prepare("INSERT INTO catalog_pull_pages (body) VALUES ('{}')").run();
  old.close();

  const db = openKioskDatabase(file, KIOSK_MIGRATIONS);
  const catalog = createCatalogCache(db);
  expect(catalog.cursor()).toBeNull();
  expect(db.prepare('SELECT COUNT(*) AS n FROM catalog_pull_pages').get()).toEqual({ n: 0 });
  expect(catalog.byId('itm_cam')).toMatchObject({ tag: 'CM-001', parts: [] });
  db.close();
});
