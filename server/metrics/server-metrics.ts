/**
 * The figures this server process exposes in Prometheus' text format (prom-client), on a
 * registry of its own (not prom-client's global one: a test builds many apps in one process):
 * - requests: a latency histogram per route group, method and status class (rate, p50/p95
 *   and error rate all come from it: `rate(..._count)`, `histogram_quantile`, `status="5xx"`);
 * - open dashboard event streams;
 * - the database: the SQLite file and its WAL, in bytes (PostgreSQL: not yet);
 * - the kiosk fleet, read from the store at scrape time: kiosks by state, and per kiosk
 *   online, queue depth and age of the oldest unsynced transaction from its last heartbeat;
 * - backups (embedded server): when the last one succeeded and failed;
 * - the server processes, from their heartbeats in the database (server/replicas);
 * - the Node process (CPU, memory, event loop lag, handles) when asked for.
 */
import { existsSync, statSync } from 'node:fs';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { presentKiosk } from '../routes/admin/present.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from '../../protocol/index.ts';
import type { RouteGroup } from './route-groups.ts';
import { replicaLiveness } from '../replicas/replica-state.ts';
import type { PoolStats } from '../store/store.ts';

export type BackupFigures = () => {
  lastOk: { at: number } | null;
  lastError: { at: number } | null;
};

export type ServerMetricsOptions = {
  /** The SQLite file, for its size and its WAL's; absent with PostgreSQL. */
  sqliteFile?: string;
  /** PostgreSQL: this process's connection pool. */
  pool?: () => PoolStats;
  backups?: BackupFigures;
  /** Node process figures (prom-client's default metrics); on in main.ts, off in tests. */
  processMetrics?: boolean;
};

export type ServerMetrics = ReturnType<typeof createServerMetrics>;

const statusClass = (code: number) => `${Math.floor(code / 100)}xx`;

export function createServerMetrics(
  deps: { store: Store; clock: Clock; version: string },
  opts: ServerMetricsOptions = {},
) {
  const registry = new Registry();
  registry.setDefaultLabels({ version: deps.version });
  if (opts.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'rental_' });

  const requests = new Histogram({
    name: 'rental_http_request_duration_seconds',
    help: 'HTTP requests by route group, method and status class: count, and time to answer',
    labelNames: ['group', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const streams = new Gauge({
    name: 'rental_event_streams_open',
    help: 'Dashboard live event streams (server-sent events) open on this process',
    registers: [registry],
  });
  const scrapeErrors = new Counter({
    name: 'rental_metrics_collect_errors_total',
    help: 'Scrapes where the store could not be read for the kiosk figures',
    registers: [registry],
  });

  const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
  const sqliteBytes = () =>
    opts.sqliteFile ? { dbBytes: size(opts.sqliteFile), walBytes: size(`${opts.sqliteFile}-wal`) } : null;
  if (opts.sqliteFile) {
    new Gauge({
      name: 'rental_sqlite_bytes',
      help: 'Size of the SQLite database file and of its write-ahead log',
      labelNames: ['file'] as const,
      registers: [registry],
      collect() {
        const b = sqliteBytes()!;
        this.set({ file: 'db' }, b.dbBytes);
        this.set({ file: 'wal' }, b.walBytes);
      },
    });
  }

  if (opts.pool) {
    const pool = opts.pool;
    new Gauge({
      name: 'rental_db_pool_connections',
      help: "This process's PostgreSQL connections: in use, idle, and requests waiting for one",
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const p = pool();
        this.set({ state: 'in_use' }, p.total - p.idle);
        this.set({ state: 'idle' }, p.idle);
        this.set({ state: 'waiting' }, p.waiting);
      },
    });
  }

  if (opts.backups) {
    const backups = opts.backups;
    new Gauge({
      name: 'rental_backup_last_success_timestamp_seconds',
      help: 'When the last scheduled or CLI backup of this process succeeded (0: none yet)',
      registers: [registry],
      collect() {
        this.set((backups().lastOk?.at ?? 0) / 1000);
      },
    });
    new Gauge({
      name: 'rental_backup_last_failure_timestamp_seconds',
      help: 'When the last backup of this process failed (0: none)',
      registers: [registry],
      collect() {
        this.set((backups().lastError?.at ?? 0) / 1000);
      },
    });
  }

  // The fleet, read once per scrape for all its gauges.
  const kioskStates = new Gauge({
    name: 'rental_kiosks',
    help: 'Kiosks by state (online: a heartbeat or sync within three heartbeat intervals)',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const online = new Gauge({
    name: 'rental_kiosk_online',
    help: '1 when the kiosk was heard from within three heartbeat intervals',
    labelNames: ['kiosk', 'name'] as const,
    registers: [registry],
  });
  const queue = new Gauge({
    name: 'rental_kiosk_queue_depth',
    help: 'Transactions waiting on the kiosk, from its last heartbeat',
    labelNames: ['kiosk', 'name'] as const,
    registers: [registry],
  });
  const oldest = new Gauge({
    name: 'rental_kiosk_oldest_unsynced_seconds',
    help: 'Age now of the oldest transaction waiting on the kiosk (0: none waiting), from its last heartbeat',
    labelNames: ['kiosk', 'name'] as const,
    registers: [registry],
  });
  const replicas = new Gauge({
    name: 'rental_replicas',
    help: 'Server processes by state, from their heartbeats in the database (gone: stopped, or silent for three beats)',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const replicaAge = new Gauge({
    name: 'rental_replica_heartbeat_age_seconds',
    help: 'Time since each server process not gone last wrote its heartbeat',
    labelNames: ['replica', 'host'] as const,
    registers: [registry],
  });
  const readReplicas = async () => {
    const now = deps.clock.now();
    const rows = await deps.store.listReplicas();
    replicas.reset();
    replicaAge.reset();
    const counts = { alive: 0, draining: 0, gone: 0 };
    for (const r of rows) {
      const state = replicaLiveness(r, now);
      counts[state] += 1;
      if (state !== 'gone')
        replicaAge.set({ replica: r.id, host: r.host }, Math.max(0, now - r.beatAt) / 1000);
    }
    for (const [state, n] of Object.entries(counts)) replicas.set({ state }, n);
  };

  const readFleet = async () => {
    const now = deps.clock.now();
    const kiosks = await deps.store.listKiosks();
    for (const g of [kioskStates, online, queue, oldest]) g.reset();
    const counts = { online: 0, offline: 0, pending: 0, revoked: 0 };
    for (const k of kiosks) {
      const shown = presentKiosk(k, now);
      counts[shown.state] += 1;
      if (shown.state === 'revoked' || shown.state === 'pending') continue;
      const labels = { kiosk: k.id, name: k.name };
      online.set(labels, shown.state === 'online' ? 1 : 0);
      const h = k.heartbeat;
      queue.set(labels, h?.queueDepth ?? 0);
      oldest.set(
        labels,
        h && h.queueDepth > 0 && h.oldestUnsyncedAgeS !== null
          ? h.oldestUnsyncedAgeS + Math.max(0, now - h.receivedAt) / 1000
          : 0,
      );
    }
    for (const [state, n] of Object.entries(counts)) kioskStates.set({ state }, n);
  };

  return {
    registry,
    requests,
    sqliteBytes,
    poolStats: () => opts.pool?.() ?? null,
    openStreams: async () => (await streams.get()).values[0]?.value ?? 0,
    observe(group: RouteGroup, method: string, statusCode: number, seconds: number) {
      requests.observe({ group, method, status: statusClass(statusCode) }, seconds);
    },
    streamOpened: () => streams.inc(),
    streamClosed: () => streams.dec(),
    /** The whole exposition; the fleet figures are skipped (and counted) when the store cannot be read. */
    async render(): Promise<string> {
      try {
        await readFleet();
        await readReplicas();
      } catch {
        scrapeErrors.inc();
      }
      return registry.metrics();
    },
  };
}
