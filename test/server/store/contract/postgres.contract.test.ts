/**
 * The store contract on PostgreSQL: one throwaway cluster for the file, a fresh database
 * per test. Skipped with a one-line reason when PostgreSQL is not installed; under
 * RENTAL_CI=1 its absence fails instead (test/support/postgres.ts).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openPostgresStore } from '../../../../server/store/postgres/open-postgres-store.ts';
import { postgresSkipReason, startPostgres, type PgCluster } from '../../../support/postgres.ts';
import { registerStoreContract } from './contract.ts';

const pgSkip = postgresSkipReason();

/**
 * Nothing in this cluster outlives the file, so it need not wait for the disk: without
 * this, fsyncs (CREATE DATABASE, every commit) were most of the run time. What one
 * connection commits is visible to the next all the same.
 */
async function skipDiskFlushes(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('ALTER SYSTEM SET fsync = off');
    await client.query('ALTER SYSTEM SET synchronous_commit = off');
    await client.query('ALTER SYSTEM SET full_page_writes = off');
    await client.query('SELECT pg_reload_conf()');
  } finally {
    await client.end();
  }
}

describe.skipIf(pgSkip !== null)(`PostgreSQL store${pgSkip ? ` (skipped: ${pgSkip})` : ''}`, () => {
  let cluster: PgCluster | undefined;
  let n = 0;
  beforeAll(async () => {
    cluster = await startPostgres();
    await skipDiskFlushes(cluster.url);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  registerStoreContract('postgres', async () => {
    const url = await cluster!.createDatabase(`contract_${++n}`);
    const store = await openPostgresStore({ url });
    return { store, close: () => store.close() };
  });
});
