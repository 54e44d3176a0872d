/**
 * GET /v1/admin/system (issue 21, the System page): the server processes from their
 * heartbeats in the database, with the figures each measured; stopped and gone told apart;
 * the database, streams and backups; admins and staff only.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SystemResponse } from '../../../protocol/index.ts';
import { build } from '../../../server/app.ts';
import { createServerMetrics } from '../../../server/metrics/server-metrics.ts';
import { replicaFigures } from '../../../server/replicas/replica-figures.ts';
import { REPLICA_BEAT_MS, startReplicaHeartbeat } from '../../../server/replicas/replica-heartbeat.ts';
import type { ReplicaBeat } from '../../../server/store/replica-store.ts';
import { bearer, startFixture, type Fixture } from './fixture.ts';

describe('GET /v1/admin/system', () => {
  let f: Fixture;
  let stop: (() => Promise<void>) | null = null;
  beforeEach(async () => {
    f = await startFixture();
  });
  afterEach(async () => {
    await stop?.();
    stop = null;
    await f.close();
  });

  const system = async (token: string) => {
    const res = await f.app.inject({ method: 'GET', url: '/v1/admin/system', headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as SystemResponse;
  };
  const row = (over: Partial<ReplicaBeat>): ReplicaBeat => ({
    id: 'rep_x',
    host: 'app-9:8421',
    pid: 999_999,
    version: '0.1.0',
    startedAt: f.clock.now() - 3_600_000,
    beatAt: f.clock.now(),
    state: 'alive',
    figures: null,
    ...over,
  });

  it("shows this process's replica with the figures it measured over the last beat", async () => {
    // Wired as main.ts does: the app's own request figures feed this process's heartbeat.
    const metrics = createServerMetrics(f.deps, { sqliteFile: join(f.dir, 'server.db') });
    const app = build(f.deps, { metrics });
    const timers: (() => void)[] = [];
    const startedAt = f.clock.now();
    const figures = replicaFigures(metrics, { rssBytes: () => process.memoryUsage.rss() });
    const hb = startReplicaHeartbeat({
      store: f.deps.store,
      clock: f.clock,
      identity: {
        id: 'rep_self',
        host: `${hostname()}:8421`,
        pid: process.pid,
        version: f.deps.version,
        startedAt,
      },
      figures: (now) => figures(now, startedAt),
      setTimer: (fn) => (timers.push(fn), () => {}),
    });
    stop = async () => {
      await hb.stop();
      await app.close();
    };
    await hb.started;
    await f.deps.store.beatReplica(row({ id: 'rep_other' }));

    const staff = await f.login('staff');
    for (let i = 0; i < 4; i++) {
      const res = await app.inject({ method: 'GET', url: '/v1/admin/overview', headers: bearer(staff) });
      expect(res.statusCode).toBe(200);
    }
    expect((await app.inject({ method: 'GET', url: '/no-such-route' })).statusCode).toBe(404);
    f.clock.advance(REPLICA_BEAT_MS);
    timers.shift()!();
    await vi.waitFor(async () => {
      const mine = (await f.deps.store.listReplicas()).find((r) => r.id === 'rep_self');
      expect(mine!.beatAt).toBe(startedAt + REPLICA_BEAT_MS);
    });

    const res = await app.inject({ method: 'GET', url: '/v1/admin/system', headers: bearer(staff) });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as SystemResponse;
    expect(body.beatIntervalS).toBe(15);
    const self = body.replicas.find((r) => r.self)!;
    expect(self).toMatchObject({
      id: 'rep_self',
      pid: process.pid,
      state: 'alive',
      lastBeatAt: new Date(startedAt + REPLICA_BEAT_MS).toISOString(),
    });
    expect(body.replicas.filter((r) => r.self)).toHaveLength(1);
    expect(body.replicas.find((r) => r.id === 'rep_other')).toMatchObject({
      self: false,
      state: 'alive',
      figures: null,
    });
    const dashboard = self.figures!.groups.find((g) => g.group === 'dashboard')!;
    // Four overviews in 15 s (the login went to the fixture's own app).
    expect(dashboard.rps).toBeCloseTo(4 / 15, 3);
    expect(dashboard.errorRate).toBe(0);
    expect(dashboard.p50Ms).toBeGreaterThan(0);
    expect(dashboard.p95Ms).toBeGreaterThanOrEqual(dashboard.p50Ms!);
    expect(self.figures!.groups.find((g) => g.group === 'other')).toMatchObject({
      rps: expect.closeTo(1 / 15, 3),
    });
    expect(self.figures!.groups.find((g) => g.group === 'tap')).toBeUndefined();
    expect(self.figures!.windowS).toBe(15);
    expect(self.figures!.rssBytes).toBeGreaterThan(0);
    // The embedded database, measured by the freshest running process.
    expect(body.database.kind).toBe('sqlite');
    expect(body.database.dbBytes).toBeGreaterThan(0);
    expect(body.database.walBytes).not.toBeNull();
    expect(body.database.measuredAt).toBe(self.lastBeatAt);
    expect(body.streams).toBe(0);
    expect(body.backup).toEqual({ lastOkAt: null, lastErrorAt: null });
  });

  it('tells a stopped process from a gone one, lists running ones first, hides long-gone ones', async () => {
    const now = f.clock.now();
    const backup = { lastOkAt: now - 600_000, lastErrorAt: now - 7_200_000 };
    const figures = (streams: number) =>
      JSON.stringify({
        windowS: 15,
        groups: {},
        streams,
        sqlite: { dbBytes: 4096, walBytes: 0 },
        rssBytes: 1,
        backup,
      });
    await f.deps.store.beatReplica(row({ id: 'rep_alive', startedAt: now - 60_000, figures: figures(2) }));
    await f.deps.store.beatReplica(row({ id: 'rep_draining', state: 'draining', figures: figures(1) }));
    await f.deps.store.beatReplica(row({ id: 'rep_stopped', state: 'stopped', beatAt: now - 120_000 }));
    // Silent: its last beat just over three beats ago, while it still said alive.
    await f.deps.store.beatReplica(
      row({ id: 'rep_silent', beatAt: now - 3 * REPLICA_BEAT_MS - 1, figures: figures(5) }),
    );
    await f.deps.store.beatReplica(row({ id: 'rep_late', beatAt: now - 3 * REPLICA_BEAT_MS }));
    await f.deps.store.beatReplica(
      row({ id: 'rep_old', state: 'stopped', beatAt: now - 2 * 24 * 3_600_000 }),
    );
    await f.deps.store.beatReplica(row({ id: 'rep_garbled', figures: '{"windowS":"soon"' }));

    const body = await system(await f.login('admin'));
    const states = Object.fromEntries(body.replicas.map((r) => [r.id, r.state]));
    expect(states).toEqual({
      rep_alive: 'alive',
      rep_late: 'alive',
      rep_garbled: 'alive',
      rep_draining: 'draining',
      rep_stopped: 'stopped',
      rep_silent: 'gone',
    });
    expect(body.replicas.map((r) => r.state)).toEqual([
      'alive',
      'alive',
      'alive',
      'draining',
      'stopped',
      'gone',
    ]);
    expect(body.replicas[0]!.id).toBe('rep_alive'); // the newest start first among the alive
    expect(body.olderReplicas).toBe(1);
    expect(body.replicas.find((r) => r.id === 'rep_garbled')!.figures).toBeNull();
    expect(body.replicas.some((r) => r.self)).toBe(false); // no row of this process here
    // Streams of running processes only; the gone one's figures are stale.
    expect(body.streams).toBe(3);
    expect(body.database).toMatchObject({ kind: 'sqlite', dbBytes: 4096, walBytes: 0 });
    expect(body.backup).toEqual({
      lastOkAt: new Date(backup.lastOkAt).toISOString(),
      lastErrorAt: new Date(backup.lastErrorAt).toISOString(),
    });
  });

  it('answers staff and admins, refuses members and strangers', async () => {
    await system(await f.login('staff'));
    await system(await f.login('admin'));
    const member = await f.app.inject({
      method: 'GET',
      url: '/v1/admin/system',
      headers: bearer(await f.login('member')),
    });
    expect(member.statusCode).toBe(403);
    expect(member.json()).toMatchObject({ code: 'FORBIDDEN' });
    const none = await f.app.inject({ method: 'GET', url: '/v1/admin/system' });
    expect(none.statusCode).toBe(401);
  });

  it('draws the last hour from every beat: all groups summed, the slowest p95, older beats trimmed', async () => {
    const now = f.clock.now();
    const beat = (at: number, tapRps: number, syncP95: number) =>
      row({
        id: 'rep_hist',
        beatAt: at,
        figures: JSON.stringify({
          windowS: 15,
          groups: {
            tap: { rps: tapRps, p50Ms: 5, p95Ms: 10, errorRate: 0.5 },
            sync: { rps: 1, p50Ms: 5, p95Ms: syncP95, errorRate: 0 },
          },
          streams: 0,
          sqlite: null,
          rssBytes: 1,
          backup: null,
        }),
      });
    await f.deps.store.beatReplica(beat(now - 2 * 3_600_000, 9, 99)); // over an hour before the latest
    for (let k = 3; k >= 0; k--) await f.deps.store.beatReplica(beat(now - k * 15_000, k + 1, 20 + k));
    const r = (await system(await f.login('staff'))).replicas.find((x) => x.id === 'rep_hist')!;
    expect(r.history).toEqual(
      [3, 2, 1, 0].map((k) => ({
        at: new Date(now - k * 15_000).toISOString(),
        rps: k + 2,
        p95Ms: 20 + k,
        errorRate: (0.5 * (k + 1)) / (k + 2),
      })),
    );
  });

  it("says the reminder job's newest run any process made, and the channels running processes have", async () => {
    const now = f.clock.now();
    const withReminders = (channels: string[], at: number | null, sent = 0) =>
      JSON.stringify({
        windowS: 15,
        groups: {},
        streams: 0,
        sqlite: null,
        rssBytes: 1,
        backup: null,
        reminders: { channels, lastRun: at === null ? null : { at, overdueLoans: 4, sent, failed: 1 } },
      });
    await f.deps.store.beatReplica(row({ id: 'rep_a', figures: withReminders(['webhook'], null) }));
    await f.deps.store.beatReplica(
      row({
        id: 'rep_old',
        state: 'stopped',
        beatAt: now - 60_000,
        figures: withReminders(['smtp'], now - 3_600_000, 3),
      }),
    );
    const body = await system(await f.login('staff'));
    expect(body.reminders).toEqual({
      channels: ['webhook'],
      lastRun: { at: new Date(now - 3_600_000).toISOString(), overdueLoans: 4, sent: 3, failed: 1 },
    });
  });

  it('with no heartbeat yet (a process just started) answers an empty list, not an error', async () => {
    const body = await system(await f.login('staff'));
    expect(body).toMatchObject({ replicas: [], olderReplicas: 0, streams: 0 });
    expect(body.database).toEqual({
      kind: 'sqlite',
      dbBytes: null,
      walBytes: null,
      measuredAt: null,
      pool: null,
    });
  });
});
