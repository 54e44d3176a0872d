/** /metrics on PostgreSQL (issue 21): this process's connection pool, in use, idle and waiting. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createServerMetrics } from '../../../server/metrics/server-metrics.ts';
import { replicaFigures } from '../../../server/replicas/replica-figures.ts';
import { testServer, type TestServer } from '../fixtures.ts';

let s: TestServer;
beforeEach(async () => {
  s = await testServer();
});
afterEach(() => s.close());

it('reports the pool the store gives, in the scrape and in the heartbeat figures', async () => {
  let pool = { total: 5, idle: 2, waiting: 1 };
  const metrics = createServerMetrics(s.deps, { pool: () => pool });
  const text = await metrics.registry.metrics();
  expect(text).toMatch(/rental_db_pool_connections\{state="in_use"[^}]*\} 3\n/);
  expect(text).toMatch(/rental_db_pool_connections\{state="idle"[^}]*\} 2\n/);
  expect(text).toMatch(/rental_db_pool_connections\{state="waiting"[^}]*\} 1\n/);

  const figures = replicaFigures(metrics, { rssBytes: () => 1 });
  pool = { total: 4, idle: 4, waiting: 0 };
  expect((await figures(s.clock.now(), s.clock.now() - 1_000)).pool).toEqual({
    inUse: 0,
    idle: 4,
    waiting: 0,
  });
  // Without PostgreSQL there is no pool and no gauge.
  const sqliteOnly = createServerMetrics(s.deps, {});
  expect(await sqliteOnly.registry.metrics()).not.toContain('rental_db_pool_connections');
});
