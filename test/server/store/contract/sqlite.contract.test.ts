/** The store contract on SQLite: a fresh database file per test in one temp directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqliteStore } from '../../../../server/store/sqlite/open-sqlite-store.ts';
import { registerStoreContract } from './contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'rental-contract-sqlite-'));
let n = 0;

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

registerStoreContract('sqlite', async () => {
  const store = openSqliteStore({ file: join(dir, `store-${++n}.db`) });
  return { store, close: () => store.close() };
});
