/**
 * token: badge tap -> rental token on the real server over loopback, under autocannon at
 * 50 connections, against the bare baseline route (one Ed25519 JWT signed with jose) on the
 * same server in the same run. Every tap carries its own fresh device assertion (each jti
 * is accepted once), signed ahead of the run so the load generator only sends.
 */
import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnrolled } from '../../src-main/core/create-kiosk.ts';
import { openDeviceIdentity } from '../../src-main/core/identity/device-identity.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { round } from './stats.ts';

export type LoadResult = {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  requests: number;
  /** What the errors were, when there were any. */
  error_kinds?: { '4xx': number; '5xx': number; socket: number; timeouts: number };
};

export const CONNECTIONS = 50;

/** autocannon's figures for one run; `perSecond`, when given, gets each second's count. */
export function load(opts: autocannon.Options, perSecond?: number[]): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, r) => {
      if (err) return reject(err);
      const errors = r.errors + r.timeouts + r.non2xx;
      resolve({
        rps: round(r.requests.average, 0),
        p50_ms: r.latency.p50,
        p99_ms: r.latency.p99,
        errors,
        requests: r.requests.total,
        ...(errors > 0
          ? {
              error_kinds: {
                '4xx': r['4xx'],
                '5xx': r['5xx'],
                socket: r.errors - r.timeouts,
                timeouts: r.timeouts,
              },
            }
          : {}),
      });
    });
    // 'tick' (once a second, with that second's count) is missing from the types.
    if (perSecond)
      (instance as unknown as EventEmitter).on('tick', (c: { counter: number }) => perSecond.push(c.counter));
  });
}

/**
 * A kiosk enrolled with `enrollCode` through `serverUrl`; `sign(n)` signs n device
 * assertions ahead (each is accepted once) and `tap(duration)` runs autocannon on
 * POST /v1/badge-tap, each request with the next of them. `close()` removes the kiosk's dir.
 */
async function tapper(serverUrl: string, enrollCode: string) {
  const dir = mkdtempSync(join(tmpdir(), 'rental-bench-kiosk-'));
  try {
    const identity = await openDeviceIdentity(dir);
    await ensureEnrolled(identity, { serverUrl }, enrollCode);
    const clock = { now: () => Date.now() };
    let pool: string[] = [];
    let next = 0;
    let used = 0;
    let signed = 0;

    const body = JSON.stringify({ credential: DEMO_PEOPLE[0].badge });
    return {
      body,
      async sign(count: number) {
        pool = [];
        next = 0;
        for (let i = 0; i < count; i++) pool.push(await identity.assertion(clock));
        signed += count;
      },
      tap: (duration: number) =>
        load({
          url: `${serverUrl}/v1/badge-tap`,
          connections: CONNECTIONS,
          duration,
          requests: [
            {
              method: 'POST',
              body,
              setupRequest: (req) => {
                used++;
                return {
                  ...req,
                  headers: {
                    ...req.headers,
                    'content-type': 'application/json',
                    authorization: `Kiosk ${pool[next++ % pool.length]}`,
                  },
                };
              },
            },
          ],
        }),
      used: () => ({ assertionsUsed: used, assertionsSigned: signed }),
      close: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

export async function benchToken(serverUrl: string, enrollCode: string, seconds: number) {
  const t = await tapper(serverUrl, enrollCode);
  try {
    const baseline = (duration: number) =>
      load({
        url: `${serverUrl}/bench/token-baseline`,
        connections: CONNECTIONS,
        duration,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: t.body,
      });

    await baseline(1);
    const base = await baseline(seconds);
    const { full, warmup_rps } = await tapRuns(t, seconds, 8_000);
    return { full, base, warmup_rps, ...t.used() };
  } finally {
    t.close();
  }
}

/**
 * The badge tap alone (no sign-only baseline), for a server whose figure is compared with
 * another's. See tapRuns.
 */
export async function benchTap(serverUrl: string, enrollCode: string, seconds: number, maxRps: number) {
  const t = await tapper(serverUrl, enrollCode);
  try {
    const { full, warmup_rps } = await tapRuns(t, seconds, maxRps);
    return { full, warmup_rps, ...t.used() };
  } finally {
    t.close();
  }
}

/**
 * A 1 s warm-up at up to `maxRps`, then `seconds` under load with assertions signed just
 * before for three times the warm-up's rate (at least 500/s, at most `maxRps`). An assertion
 * lives 30 s (plus 5 s of tolerance) from its signing: a pool signed far ahead, or far larger
 * than the server can use, would let the last ones expire before they are sent (seen: 1,562
 * refused taps on a loaded machine); one used twice is refused as a replay. Either would
 * count as errors (error_kinds says which).
 */
async function tapRuns(t: Awaited<ReturnType<typeof tapper>>, seconds: number, maxRps: number) {
  await t.sign(2 * maxRps);
  const warm = await t.tap(1);
  await t.sign((seconds + 1) * Math.max(500, Math.min(maxRps, 3 * warm.rps)));
  const full = await t.tap(seconds);
  return { full, warmup_rps: warm.rps };
}
