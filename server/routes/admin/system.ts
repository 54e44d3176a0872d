/**
 * GET /v1/admin/system: which server processes run and how they do, for the dashboard's
 * System page. Read from the heartbeats every process writes in the database
 * (server/replicas), not from this process's memory, so the page says the same whichever
 * replica answers. Admins and staff may read it.
 */
import { Value } from '@sinclair/typebox/value';
import { hostname } from 'node:os';
import {
  ReplicaFiguresSchema,
  SystemResponse,
  toIso,
  type BackupStatus,
  type ReplicaStateName,
  type SystemReplica,
  type SystemRouteGroup,
} from '../../../protocol/index.ts';
import type { App } from '../../http/app-type.ts';
import { ROUTE_GROUPS } from '../../metrics/route-groups.ts';
import type { ReplicaFigures } from '../../replicas/replica-figures.ts';
import { REPLICA_BEAT_MS } from '../../replicas/replica-heartbeat.ts';
import { replicaLiveness } from '../../replicas/replica-state.ts';
import { REPLICA_HISTORY_MS, type ReplicaBeat } from '../../store/replica-store.ts';
import { ERRORS, type AdminFeatureOptions } from './guards.ts';

// Every group the server times has a name on the wire (a new group fails typecheck here).
const GROUPS: readonly SystemRouteGroup[] = ROUTE_GROUPS;

/** Stopped and gone processes stay listed this long (restarts and deploys leave many behind). */
const LISTED_FOR_MS = 24 * 3_600_000;
const RANK: Record<ReplicaStateName, number> = { alive: 0, draining: 1, stopped: 2, gone: 3 };

/**
 * The page's state: a clean stop is told apart from a silence (which the /metrics gauge
 * counts together as gone); otherwise the shared rule of replica-state.ts.
 */
export function replicaState(r: Pick<ReplicaBeat, 'state' | 'beatAt'>, now: number): ReplicaStateName {
  return r.state === 'stopped' ? 'stopped' : replicaLiveness(r, now);
}

const isoOrNull = (ms: number | null | undefined) => (typeof ms === 'number' ? toIso(ms) : null);

/** Another process's JSON, checked against the wire schema: a row it cannot read shows no figures. */
function readFigures(json: string | null): SystemReplica['figures'] {
  if (!json) return null;
  try {
    const f = JSON.parse(json) as ReplicaFigures;
    const figures = {
      windowS: f.windowS,
      groups: GROUPS.flatMap((group) => {
        const g = f.groups?.[group];
        return g ? [{ group, rps: g.rps, p50Ms: g.p50Ms, p95Ms: g.p95Ms, errorRate: g.errorRate }] : [];
      }),
      streams: f.streams,
      rssBytes: f.rssBytes,
      sqlite: f.sqlite ?? null,
      pool: f.pool ?? null,
      backup: f.backup
        ? { lastOkAt: isoOrNull(f.backup.lastOkAt), lastErrorAt: isoOrNull(f.backup.lastErrorAt) }
        : null,
      reminders: f.reminders
        ? {
            channels: f.reminders.channels,
            lastRun: f.reminders.lastRun && { ...f.reminders.lastRun, at: toIso(f.reminders.lastRun.at) },
          }
        : null,
    };
    return Value.Check(ReplicaFiguresSchema, figures) ? figures : null;
  } catch {
    return null;
  }
}

/** A chart point from one beat's figures: all groups' requests, the slowest p95, the 5xx share. */
function historyPoint(at: number, f: SystemReplica['figures']): SystemReplica['history'][number] | null {
  if (!f) return null;
  const rps = f.groups.reduce((n, g) => n + g.rps, 0);
  const p95s = f.groups.flatMap((g) => (g.p95Ms === null ? [] : [g.p95Ms]));
  const errors = f.groups.reduce((n, g) => n + g.rps * g.errorRate, 0);
  return {
    at: toIso(at),
    rps,
    p95Ms: p95s.length ? Math.max(...p95s) : null,
    errorRate: rps > 0 ? errors / rps : 0,
  };
}

const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);

export async function systemRoutes(app: App, { deps, guards }: AdminFeatureOptions) {
  const me = { pid: process.pid, hostPrefix: `${hostname()}:` };

  app.get(
    '/v1/admin/system',
    { onRequest: guards.staff, schema: { response: { 200: SystemResponse, ...ERRORS } } },
    async (): Promise<SystemResponse> => {
      const now = deps.clock.now();
      const rows = (await deps.store.listReplicas()).map((r) => ({ row: r, state: replicaState(r, now) }));
      const running = (s: ReplicaStateName) => s === 'alive' || s === 'draining';
      const listed = rows
        .filter((r) => running(r.state) || now - r.row.beatAt <= LISTED_FOR_MS)
        .sort((a, b) => RANK[a.state] - RANK[b.state] || b.row.startedAt - a.row.startedAt);
      // This process: its pid on this host, the newest such row still running (a container
      // restarted under the same hostname is pid 1 again, so older rows can match too).
      const self = listed.find(
        (r) => running(r.state) && r.row.pid === me.pid && r.row.host.startsWith(me.hostPrefix),
      );

      const history = new Map<string, SystemReplica['history']>();
      for (const beat of await deps.store.replicaHistory(now - REPLICA_HISTORY_MS)) {
        const point = historyPoint(beat.at, readFigures(beat.figures));
        if (!point) continue;
        const series = history.get(beat.replicaId) ?? [];
        series.push(point);
        history.set(beat.replicaId, series);
      }

      const replicas: SystemReplica[] = listed.map(({ row, state }) => ({
        id: row.id,
        host: row.host,
        pid: row.pid,
        version: row.version,
        startedAt: toIso(row.startedAt),
        lastBeatAt: toIso(row.beatAt),
        state,
        self: self?.row === row,
        figures: readFigures(row.figures),
        history: history.get(row.id) ?? [],
      }));

      const live = replicas.filter((r) => running(r.state));
      const sized = live.find((r) => r.figures?.sqlite); // sorted: the freshest start first
      let backup: BackupStatus | null = null;
      if (deps.store.kind === 'sqlite') {
        backup = { lastOkAt: null, lastErrorAt: null };
        for (const r of replicas) {
          const b = r.figures?.backup;
          if (!b) continue;
          backup = {
            lastOkAt: later(backup.lastOkAt, b.lastOkAt),
            lastErrorAt: later(backup.lastErrorAt, b.lastErrorAt),
          };
        }
      }
      // The newest run any listed process made; the channels as the running processes see them.
      const reported = replicas.flatMap((r) => (r.figures?.reminders ? [{ r, m: r.figures.reminders }] : []));
      const lastRuns = reported.flatMap(({ m }) => (m.lastRun ? [m.lastRun] : []));
      const channelsFrom = reported.find(({ r }) => running(r.state)) ?? reported[0];
      const reminders: SystemResponse['reminders'] = channelsFrom
        ? {
            channels: channelsFrom.m.channels,
            lastRun: lastRuns.sort((a, b) => (a.at < b.at ? 1 : -1))[0] ?? null,
          }
        : null;
      return {
        serverTime: toIso(now),
        beatIntervalS: REPLICA_BEAT_MS / 1000,
        replicas,
        olderReplicas: rows.length - listed.length,
        database: {
          kind: deps.store.kind,
          dbBytes: sized?.figures?.sqlite?.dbBytes ?? null,
          walBytes: sized?.figures?.sqlite?.walBytes ?? null,
          measuredAt: sized ? sized.lastBeatAt : null,
          pool:
            deps.store.kind === 'postgres'
              ? live.reduce(
                  (sum, r) => {
                    const p = r.figures?.pool;
                    return p
                      ? {
                          inUse: sum.inUse + p.inUse,
                          idle: sum.idle + p.idle,
                          waiting: sum.waiting + p.waiting,
                        }
                      : sum;
                  },
                  { inUse: 0, idle: 0, waiting: 0 },
                )
              : null,
        },
        streams: live.reduce((n, r) => n + (r.figures?.streams ?? 0), 0),
        backup,
        reminders,
      };
    },
  );
}
