/**
 * The token and sync benchmarks again on PostgreSQL: a throwaway cluster (test/support/
 * postgres.ts), then one database per setup:
 *   - 1 replica, reached directly;
 *   - 3 replicas on one database behind HAProxy (test/support/haproxy.ts, the shipped
 *     deploy/haproxy/haproxy.cfg): the issuer is the load balancer's URL, the kiosks enroll
 *     once through it and every request (taps, assertions, sync batches) goes through it.
 * Each replica is test/bench/bench-server.ts in its own process, given the server's own
 * variables (RENTAL_DATABASE_URL, RENTAL_MASTER_KEY shared by the replicas, ...). The first
 * one migrates and seeds; the others start once it has. Exactly once is counted from the
 * kiosks' outbox files and the rows in PostgreSQL.
 *
 * Missing PostgreSQL (or HAProxy, for the 3-replica rows): a one-line skip, never a failure
 * (RENTAL_CI=1 makes it one, as in the suites). Everything started here is stopped before
 * this returns, on error too.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countInvariants, readPostgresServerRows } from '../fixtures/outbox-invariants.ts';
import { haproxySkipReason, startHaproxy } from '../support/haproxy.ts';
import { freePort, postgresSkipReason, startPostgres, type PgCluster } from '../support/postgres.ts';
import { startChild, type BenchChild } from './child.ts';
import { peakRssMb } from './stats.ts';
import {
  appliedExactlyOnce,
  benchSyncRuns,
  kioskRecords,
  removeKioskDirs,
  type SyncRuns,
} from './sync-runs.ts';
import type { BenchUser, SyncResult } from './sync-kiosks.ts';
import { benchTap, type LoadResult } from './token.ts';

const here = dirname(fileURLToPath(import.meta.url));

type ServerInfo = { url: string; dataDir: string; pid: number; codes: string[]; users: BenchUser[] };

type SyncFigure = Pick<SyncResult, 'kiosks' | 'transactions' | 'seconds' | 'tx_per_s'>;

export type PgSetupResult = {
  replicas: number;
  via: 'direct' | 'haproxy';
  token: LoadResult & { assertionsUsed: number; assertionsSigned: number };
  sync: {
    single: SyncFigure;
    fleet: SyncFigure;
    applied_exactly_once: boolean;
    invariants: Record<string, unknown>;
  };
  /**
   * Peak RSS of each replica after the token run, by replica (an object, not an array, so
   * that results.json stays as Prettier writes it).
   */
  server_rss_mb: Record<string, number>;
};

export type PgSetup = PgSetupResult | { skipped: string } | { error: string };

export type PgBench = { skipped: string } | { error: string } | { one: PgSetup; three: PgSetup };

export type PgBenchOptions = {
  seconds: number;
  fleet: number;
  singleTx: number;
  fleetTx: number;
  /** Sizes the assertion pool of the tap runs (each assertion is accepted once). */
  tapMaxRps: number;
  log: (msg: string) => void;
};

const firstLine = (err: unknown) => ((err as Error)?.message ?? String(err)).split('\n')[0]!;

export async function benchPostgres(opts: PgBenchOptions): Promise<PgBench> {
  const pgSkip = postgresSkipReason();
  if (pgSkip) return { skipped: pgSkip };
  const lbSkip = haproxySkipReason();
  let cluster: PgCluster;
  try {
    cluster = await startPostgres();
  } catch (err) {
    return { error: `starting PostgreSQL: ${firstLine(err)}` };
  }
  try {
    const setup = async (replicas: number): Promise<PgSetup> => {
      try {
        return await benchSetup(cluster, replicas, opts);
      } catch (err) {
        opts.log(`postgres ${replicas} replica(s) failed: ${(err as Error)?.stack ?? String(err)}`);
        return { error: firstLine(err) };
      }
    };
    const one = await setup(1);
    const three = lbSkip ? { skipped: lbSkip } : await setup(3);
    return { one, three };
  } finally {
    await cluster.stop();
  }
}

async function benchSetup(
  cluster: PgCluster,
  replicas: number,
  opts: PgBenchOptions,
): Promise<PgSetupResult> {
  const behindLb = replicas > 1;
  const label = behindLb ? `postgres ${replicas} replicas behind haproxy` : 'postgres 1 replica';
  const stops: (() => Promise<void>)[] = [];
  const dataDirs: string[] = [];
  let runs: Partial<SyncRuns> = {};
  try {
    const databaseUrl = await cluster.createDatabase(behindLb ? 'bench_lb' : 'bench_one');
    // One secret for every replica of this database (>= 32 characters).
    const masterKey = randomBytes(32).toString('base64');
    let lb: { url: string; stop(): Promise<void> } | null = null;
    const ports: number[] = [];
    if (behindLb) {
      for (let i = 0; i < replicas; i++) ports.push(await freePort());
      const haproxy = await startHaproxy({
        backends: ports.map((port, i) => ({ name: `bench${i + 1}`, port })),
      });
      lb = haproxy;
      stops.push(() => haproxy.stop());
    }
    const replicaEnv = (i: number): Record<string, string> => ({
      RENTAL_DATABASE_URL: databaseUrl,
      RENTAL_MASTER_KEY: masterKey,
      RENTAL_MASTER_KEY_FILE: '',
      RENTAL_SERVER_ISSUER: lb?.url ?? '',
      RENTAL_SERVER_PORT: lb ? String(ports[i]) : '',
      RENTAL_TRUST_PROXY: lb ? '127.0.0.1' : '',
      BENCH_SEED: i === 0 ? '1' : '0',
      // People: 1 for the single sync, fleet for the fleet. Kiosks: token, single, fleet.
      BENCH_PEOPLE: String(1 + opts.fleet),
      BENCH_KIOSKS: String(2 + opts.fleet),
    });
    const start = (i: number): BenchChild => {
      const child = startChild(join(here, 'bench-server.ts'), replicaEnv(i));
      stops.push(() => child.stop());
      return child;
    };
    const ready = async <T extends { dataDir: string }>(child: BenchChild): Promise<T> => {
      const info = await child.next<T>();
      dataDirs.push(info.dataDir);
      return info;
    };

    opts.log(`${label}: starting`);
    const first = start(0);
    // The first replica migrates the database and seeds it; the others find it ready.
    const info = await ready<ServerInfo>(first);
    const servers = [first];
    for (let i = 1; i < replicas; i++) servers.push(start(i));
    await Promise.all(servers.slice(1).map((s) => ready<{ dataDir: string }>(s)));
    const url = lb?.url ?? info.url;
    if (lb) await untilEveryReplicaAnswers(lb.url, servers);
    const codes = info.codes.slice();
    const code = () => codes.shift()!;

    opts.log(`${label}: token, ${opts.seconds} s`);
    const tap = await benchTap(url, code(), opts.seconds, opts.tapMaxRps);
    const rss = Object.fromEntries(servers.map((s, i) => [`replica_${i + 1}`, peakRssMb(s.pid)]));

    runs = await benchSyncRuns({
      serverUrl: url,
      codes: Array.from({ length: 1 + opts.fleet }, code),
      users: info.users,
      fleet: opts.fleet,
      singleTx: opts.singleTx,
      fleetTx: opts.fleetTx,
      log: (msg) => opts.log(`${label}: ${msg}`),
    });
    const done = runs as SyncRuns;
    const inv = countInvariants(await readPostgresServerRows(databaseUrl), kioskRecords(done));
    const figure = (r: SyncResult): SyncFigure => ({
      kiosks: r.kiosks,
      transactions: r.transactions,
      seconds: r.seconds,
      tx_per_s: r.tx_per_s,
    });
    return {
      replicas,
      via: lb ? 'haproxy' : 'direct',
      token: {
        ...tap.full,
        assertionsUsed: tap.assertionsUsed,
        assertionsSigned: tap.assertionsSigned,
      },
      sync: {
        single: figure(done.single),
        fleet: figure(done.fleet),
        applied_exactly_once: appliedExactlyOnce(inv, done),
        invariants: { ...inv, inconsistentItems: inv.inconsistentItems.length },
      },
      server_rss_mb: rss,
    };
  } finally {
    removeKioskDirs(runs);
    // Replicas (newest first), then the load balancer.
    for (const stop of stops.reverse()) await stop().catch(() => {});
    // A replica removes its data dir when it stops; this is for one that died instead.
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** Polls GET /bench/replica through the load balancer until every replica has answered once. */
async function untilEveryReplicaAnswers(lbUrl: string, servers: BenchChild[]): Promise<void> {
  const want = new Set(servers.map((s) => s.pid));
  const seen = new Set<number>();
  const end = Date.now() + 20_000;
  while (seen.size < want.size) {
    if (Date.now() > end)
      throw new Error(`haproxy routed to ${seen.size} of ${want.size} replicas within 20 s`);
    try {
      const res = await fetch(`${lbUrl}/bench/replica`);
      if (res.ok) {
        const { pid } = (await res.json()) as { pid: number };
        if (want.has(pid)) seen.add(pid);
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
