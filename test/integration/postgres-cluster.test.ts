/**
 * The test infrastructure for running the server on PostgreSQL with several replicas behind
 * HAProxy: a throwaway PostgreSQL cluster (test/support/postgres.ts) and HAProxy with the
 * shipped config (test/support/haproxy.ts), checked against real processes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHaproxy, haproxySkipReason, type Haproxy } from '../support/haproxy.ts';
import { postgresSkipReason, startPostgres, type PgCluster } from '../support/postgres.ts';

const pgSkip = postgresSkipReason();
const haproxySkip = haproxySkipReason();

/** Connect, run one statement, disconnect. */
async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {}); // a dropped connection surfaces as the query's rejection
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

describe.skipIf(pgSkip !== null)(
  `throwaway PostgreSQL cluster${pgSkip ? ` (skipped: ${pgSkip})` : ''}`,
  () => {
    let cluster: PgCluster | undefined;
    beforeAll(async () => {
      cluster = await startPostgres();
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it('gives each caller a fresh database of its own, as the rental role', async () => {
      const one = await cluster!.createDatabase('suite_one');
      const two = await cluster!.createDatabase('suite_two');
      expect(one).toBe(`postgres://rental@127.0.0.1:${cluster!.port}/suite_one`);

      const [row] = await query<{ one: number; db: string; who: string; enc: string }>(
        one,
        'SELECT 1 AS one, current_database() AS db, current_user AS who, ' +
          "pg_encoding_to_char(encoding) AS enc FROM pg_database WHERE datname = 'suite_one'",
      );
      expect(row).toEqual({ one: 1, db: 'suite_one', who: 'rental', enc: 'UTF8' });

      await query(one, 'CREATE TABLE only_in_one (x int)');
      await expect(query(two, 'SELECT * FROM only_in_one')).rejects.toThrow(/does not exist/);
      expect(await query(two, 'SELECT current_database() AS db')).toEqual([{ db: 'suite_two' }]);
      await expect(cluster!.createDatabase('bad"name')).rejects.toThrow(/bad database name/);
    });

    it('goes away on stopImmediate and comes back on start, on the same port, with committed data', async () => {
      const url = await cluster!.createDatabase('crash');
      await query(url, "CREATE TABLE t (v text); INSERT INTO t VALUES ('대여 committed')");

      const open = new pg.Client({ connectionString: url });
      open.on('error', () => {});
      await open.connect();
      await cluster!.stopImmediate();

      await expect(open.query('SELECT 1')).rejects.toThrow();
      await open.end().catch(() => {});
      await expect(query(url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);

      await cluster!.start();
      expect(await query(url, 'SELECT v FROM t')).toEqual([{ v: '대여 committed' }]);
      expect(cluster!.url).toBe(`postgres://rental@127.0.0.1:${cluster!.port}/postgres`);
    });
  },
);

/** A stand-in replica: /healthz/ready (HAProxy's check) answers 200, everything else answers with its name. */
async function replica(name: string): Promise<{ name: string; port: number; server: Server }> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(req.url === '/healthz/ready' ? 'ok' : name);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { name, port: (server.address() as AddressInfo).port, server };
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

describe.skipIf(haproxySkip !== null)(
  `HAProxy (deploy/haproxy/haproxy.cfg) in front of replicas${haproxySkip ? ` (skipped: ${haproxySkip})` : ''}`,
  () => {
    const replicas: Awaited<ReturnType<typeof replica>>[] = [];
    let proxy: Haproxy | undefined;
    beforeAll(async () => {
      replicas.push(await replica('alpha'), await replica('beta'));
      proxy = await startHaproxy({ backends: replicas.map(({ name, port }) => ({ name, port })) });
    });
    afterAll(async () => {
      await proxy?.stop();
      await Promise.all(replicas.map((r) => (r.server.listening ? close(r.server) : undefined)));
    });

    const get = async () => {
      const res = await fetch(`${proxy!.url}/who`);
      return { status: res.status, body: await res.text() };
    };

    it('spreads requests round robin over the replicas', async () => {
      const seen: string[] = [];
      for (let i = 0; i < 6; i++) {
        const { status, body } = await get();
        expect(status).toBe(200);
        seen.push(body);
      }
      expect(seen.filter((n) => n === 'alpha')).toHaveLength(3);
      expect(seen.filter((n) => n === 'beta')).toHaveLength(3);
    });

    it('keeps answering when a replica dies, before any health check notices', async () => {
      // Round robin's next pick is alpha: its connection is refused and `retry-on conn-failure`
      // with `option redispatch` sends the request to beta at once. Without those two lines the
      // first request got a 503 after 2 s (checked), before the checks took alpha out.
      await close(replicas[0]!.server);
      const bodies: string[] = [];
      for (let i = 0; i < 10; i++) {
        const { status, body } = await get();
        expect(status, proxy!.output()).toBe(200);
        bodies.push(body);
      }
      expect(new Set(bodies)).toEqual(new Set(['beta']));
    });
  },
);
