/**
 * Server replicas (issue 21.5, the server side of the System page): each process writes its
 * row with its figures; others read it as alive, draining or gone; the figures are this
 * process's request rate, p50/p95 and error rate per route group over the last interval;
 * /metrics shows the replicas by state.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { build } from '../../../server/app.ts';
import { runCli, type CliIo } from '../../../server/cli/commands.ts';
import { createServerMetrics } from '../../../server/metrics/server-metrics.ts';
import { replicaFigures, type ReplicaFigures } from '../../../server/replicas/replica-figures.ts';
import { REPLICA_BEAT_MS, startReplicaHeartbeat } from '../../../server/replicas/replica-heartbeat.ts';
import { replicaLiveness } from '../../../server/replicas/replica-state.ts';
import { enrolledKiosk, testServer, type TestServer } from '../fixtures.ts';

let s: TestServer;
beforeEach(async () => {
  s = await testServer();
});
afterEach(async () => {
  await s.close();
});

const identity = { id: 'rep_a', host: 'app-1:8421', pid: 4242, version: '0.1.0' };

it('writes its row at start and on every beat; draining, then stopped; others see it gone when silent', async () => {
  const timers: (() => void)[] = [];
  const startedAt = s.clock.now();
  let n = 0;
  const hb = startReplicaHeartbeat({
    store: s.deps.store,
    clock: s.clock,
    identity: { ...identity, startedAt },
    figures: async () => ({ beat: ++n }),
    setTimer: (fn) => (timers.push(fn), () => {}),
  });
  await hb.started;
  let [row] = await s.deps.store.listReplicas();
  expect(row).toMatchObject({ ...identity, startedAt, beatAt: startedAt, state: 'alive' });
  expect(JSON.parse(row!.figures!)).toEqual({ beat: 1 });
  expect(replicaLiveness(row!, s.clock.now())).toBe('alive');

  s.clock.advance(REPLICA_BEAT_MS);
  timers.shift()!();
  await new Promise((r) => setTimeout(r, 20));
  [row] = await s.deps.store.listReplicas();
  expect(row!.beatAt).toBe(startedAt + REPLICA_BEAT_MS);
  expect(JSON.parse(row!.figures!)).toEqual({ beat: 2 });

  // Silent (a SIGKILL): after three beats the others call it gone.
  expect(replicaLiveness(row!, s.clock.now() + 3 * REPLICA_BEAT_MS)).toBe('alive');
  expect(replicaLiveness(row!, s.clock.now() + 3 * REPLICA_BEAT_MS + 1)).toBe('gone');

  await hb.draining();
  [row] = await s.deps.store.listReplicas();
  expect(replicaLiveness(row!, s.clock.now())).toBe('draining');
  await hb.stop();
  [row] = await s.deps.store.listReplicas();
  expect(row!.state).toBe('stopped');
  expect(replicaLiveness(row!, s.clock.now())).toBe('gone');
});

it('figures: request rate, p50/p95 and error rate per route group over the last interval', async () => {
  const metrics = createServerMetrics(s.deps);
  const app = build(s.deps, { metrics });
  try {
    const startedAt = s.clock.now();
    const figures = replicaFigures(metrics, { rssBytes: () => 123 });
    // Made up times, to check the arithmetic: 20 catalog answers, 1 of them a 5xx.
    for (let i = 0; i < 19; i++) metrics.observe('catalog', 'GET', 200, 0.02); // in the 10-25 ms bucket
    metrics.observe('catalog', 'GET', 503, 0.4); // in the 250-500 ms bucket
    const first = await figures(startedAt + 10_000, startedAt);
    expect(first.windowS).toBe(10);
    expect(first.groups.catalog).toEqual({
      rps: 2,
      p50Ms: expect.closeTo(10 + (15 * 10) / 19, 1),
      p95Ms: 25, // rank 19 of 20: the top of the 10-25 ms bucket, as histogram_quantile says
      errorRate: 0.05,
    } satisfies ReplicaFigures['groups']['catalog']);
    expect(first.rssBytes).toBe(123);
    expect(first.streams).toBe(0);

    // The next interval counts only what came after.
    const kiosk = await enrolledKiosk(s);
    for (let i = 0; i < 3; i++)
      await app.inject({ method: 'GET', url: '/v1/catalog', headers: await kiosk.auth() });
    const second = await figures(startedAt + 15_000, startedAt);
    expect(second.windowS).toBe(5);
    expect(second.groups.catalog!.rps).toBeCloseTo(3 / 5, 3);
    expect(second.groups.catalog!.errorRate).toBe(0);
    expect(second.groups.tap).toBeUndefined();
  } finally {
    await app.close();
  }
});

it('/metrics shows the server processes by state from the database', async () => {
  const out: string[] = [];
  const io: CliIo = { out: (l) => void out.push(l), err: () => {}, readStdin: async () => '' };
  await runCli(['metrics', 'token'], s.deps, io);
  const now = s.clock.now();
  const row = { ...identity, startedAt: now - 60_000, figures: null };
  await s.deps.store.beatReplica({ ...row, beatAt: now, state: 'alive' });
  await s.deps.store.beatReplica({ ...row, id: 'rep_b', host: 'app-2:8421', beatAt: now, state: 'draining' });
  await s.deps.store.beatReplica({ ...row, id: 'rep_c', beatAt: now - 10 * 60_000, state: 'alive' }); // silent
  const body = (
    await s.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${out[0]}` } })
  ).body;
  expect(body).toContain('rental_replicas{state="alive",version="0.1.0"} 1');
  expect(body).toContain('rental_replicas{state="draining",version="0.1.0"} 1');
  expect(body).toContain('rental_replicas{state="gone",version="0.1.0"} 1');
  expect(body).toContain(
    'rental_replica_heartbeat_age_seconds{replica="rep_a",host="app-1:8421",version="0.1.0"} 0',
  );
  expect(body).not.toContain('replica="rep_c"');
});
