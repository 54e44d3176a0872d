/**
 * A replica's figures over the last heartbeat interval, for the others to read from the
 * database (a System page, /metrics of any replica): per route group the request rate, p50
 * and p95 latency and the share of 5xx answers; open event streams; the database; memory.
 * Computed from this process's own prom-client histogram, as the difference between two
 * readings (the quantiles are interpolated within buckets, as PromQL's histogram_quantile).
 */
import { ROUTE_GROUPS, type RouteGroup } from '../metrics/route-groups.ts';
import type { ServerMetrics } from '../metrics/server-metrics.ts';
import type { RemindersStatus } from '../notify/from-config.ts';

export type GroupFigures = { rps: number; p50Ms: number | null; p95Ms: number | null; errorRate: number };

export type ReplicaFigures = {
  windowS: number;
  groups: Partial<Record<RouteGroup, GroupFigures>>;
  streams: number;
  sqlite: { dbBytes: number; walBytes: number } | null;
  /** PostgreSQL: this process's connection pool at the beat. */
  pool: { inUse: number; idle: number; waiting: number } | null;
  rssBytes: number;
  backup: { lastOkAt: number | null; lastErrorAt: number | null } | null;
  reminders: RemindersStatus | null;
};

type Reading = Map<RouteGroup, { buckets: Map<number, number>; count: number; errors: number }>;

function quantile(q: number, buckets: [number, number][], total: number): number | null {
  if (total === 0) return null;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, count] of buckets) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return prevLe; // beyond the last bucket: its lower edge, as Prometheus does
      return prevLe + ((le - prevLe) * (rank - prevCount)) / Math.max(count - prevCount, 1e-9);
    }
    prevLe = le;
    prevCount = count;
  }
  return prevLe;
}

export function replicaFigures(
  metrics: ServerMetrics,
  extra: {
    rssBytes: () => number;
    backup?: () => { lastOk: { at: number } | null; lastError: { at: number } | null };
    reminders?: () => RemindersStatus;
  },
) {
  let last: { at: number; reading: Reading } | null = null;

  const read = async (): Promise<Reading> => {
    const reading: Reading = new Map();
    const entry = (g: RouteGroup) => {
      let e = reading.get(g);
      if (!e) reading.set(g, (e = { buckets: new Map(), count: 0, errors: 0 }));
      return e;
    };
    for (const v of (await metrics.requests.get()).values) {
      const group = v.labels.group as RouteGroup;
      if (!ROUTE_GROUPS.includes(group)) continue;
      const e = entry(group);
      if (v.metricName?.endsWith('_bucket')) {
        const raw = (v.labels as { le?: string | number }).le;
        const le = raw === '+Inf' ? Infinity : Number(raw);
        e.buckets.set(le, (e.buckets.get(le) ?? 0) + v.value);
      } else if (v.metricName?.endsWith('_count')) {
        e.count += v.value;
        if (v.labels.status === '5xx') e.errors += v.value;
      }
    }
    return reading;
  };

  /** The figures since the previous call (the first call: since the process started). */
  return async (now: number, startedAt: number): Promise<ReplicaFigures> => {
    const reading = await read();
    const since = last ?? { at: startedAt, reading: new Map() as Reading };
    last = { at: now, reading };
    const windowS = Math.max((now - since.at) / 1000, 1e-3);
    const groups: Partial<Record<RouteGroup, GroupFigures>> = {};
    for (const [group, e] of reading) {
      const before = since.reading.get(group);
      const count = e.count - (before?.count ?? 0);
      if (count <= 0) continue;
      const buckets = [...e.buckets]
        .sort((a, b) => a[0] - b[0])
        .map(([le, c]) => [le, c - (before?.buckets.get(le) ?? 0)] as [number, number]);
      const ms = (s: number | null) => (s === null ? null : Math.round(s * 10_000) / 10);
      groups[group] = {
        rps: Math.round((count / windowS) * 1000) / 1000,
        p50Ms: ms(quantile(0.5, buckets, count)),
        p95Ms: ms(quantile(0.95, buckets, count)),
        errorRate: Math.round(((e.errors - (before?.errors ?? 0)) / count) * 10_000) / 10_000,
      };
    }
    const backup = extra.backup?.() ?? null;
    const pool = metrics.poolStats();
    return {
      windowS: Math.round(windowS * 10) / 10,
      groups,
      streams: await metrics.openStreams(),
      sqlite: metrics.sqliteBytes(),
      pool: pool && { inUse: pool.total - pool.idle, idle: pool.idle, waiting: pool.waiting },
      rssBytes: extra.rssBytes(),
      backup: backup && { lastOkAt: backup.lastOk?.at ?? null, lastErrorAt: backup.lastError?.at ?? null },
      reminders: extra.reminders?.() ?? null,
    };
  };
}
