/**
 * token: badge tap -> rental token on the real server over loopback, under autocannon at
 * 50 connections, against the bare baseline route (one Ed25519 JWT signed with jose) on the
 * same server in the same run. Every tap carries its own fresh device assertion (each jti
 * is accepted once), signed ahead of the run so the load generator only sends.
 */
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnrolled } from '../../src-main/core/create-kiosk.ts';
import { openDeviceIdentity } from '../../src-main/core/identity/device-identity.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { round } from './stats.ts';

export type LoadResult = { rps: number; p50_ms: number; p99_ms: number; errors: number; requests: number };

export const CONNECTIONS = 50;

export function load(opts: autocannon.Options): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, r) => {
      if (err) return reject(err);
      resolve({
        rps: round(r.requests.average, 0),
        p50_ms: r.latency.p50,
        p99_ms: r.latency.p99,
        errors: r.errors + r.timeouts + r.non2xx,
        requests: r.requests.total,
      });
    });
  });
}

export async function benchToken(serverUrl: string, enrollCode: string, seconds: number) {
  const dir = mkdtempSync(join(tmpdir(), 'rental-bench-kiosk-'));
  try {
    const identity = await openDeviceIdentity(dir);
    await ensureEnrolled(identity, { serverUrl }, enrollCode);
    const clock = { now: () => Date.now() };
    // Enough assertions for the warm-up and the run at up to 8,000 taps/s; each is used once.
    const needed = (seconds + 3) * 8_000;
    const pool: string[] = [];
    for (let i = 0; i < needed; i++) pool.push(await identity.assertion(clock));
    let next = 0;

    const body = JSON.stringify({ credential: DEMO_PEOPLE[0].badge });
    const tap = (duration: number) =>
      load({
        url: `${serverUrl}/v1/badge-tap`,
        connections: CONNECTIONS,
        duration,
        requests: [
          {
            method: 'POST',
            body,
            setupRequest: (req) => ({
              ...req,
              headers: {
                ...req.headers,
                'content-type': 'application/json',
                authorization: `Kiosk ${pool[next++ % pool.length]}`,
              },
            }),
          },
        ],
      });
    const baseline = (duration: number) =>
      load({
        url: `${serverUrl}/bench/token-baseline`,
        connections: CONNECTIONS,
        duration,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });

    await baseline(1);
    await tap(1);
    const base = await baseline(seconds);
    const full = await tap(seconds);
    return { full, base, assertionsUsed: next, assertionsSigned: pool.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
