/**
 * Load: the server (its own process, the bench server) at a fixed rate of badge taps, each
 * with a fresh device assertion, plus catalog pulls, for 60 s in `npm run test:soak` (not in
 * `npm test`: a rate held for a time is a property of the machine): zero errors, and memory
 * that levels off (the peak of the last third of the run is not far above the middle third's).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { ensureEnrolled } from '../../src-main/core/create-kiosk.ts';
import { openDeviceIdentity } from '../../src-main/core/identity/device-identity.ts';
import { startChild } from '../bench/child.ts';
import { load } from '../bench/token.ts';
import { SOAK } from './soak.ts';

const SECONDS = SOAK ? 60 : 10; // 10 s when run on its own with `npx vitest run`
const RATE = 200; // requests per second, all connections together

const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

it(
  `holds ${RATE} req/s for ${SECONDS} s with zero errors and level memory`,
  { timeout: SECONDS * 1000 + 120_000 },
  async () => {
    const server = startChild(join(import.meta.dirname, '../bench/bench-server.ts'), { BENCH_KIOSKS: '1' });
    const dir = mkdtempSync(join(tmpdir(), 'rental-load-kiosk-'));
    try {
      const info = await server.next<{ url: string; codes: string[] }>();
      const identity = await openDeviceIdentity(dir);
      await ensureEnrolled(identity, { serverUrl: info.url }, info.codes[0]!);
      const clock = { now: () => Date.now() };
      const pool: string[] = [];
      for (let i = 0; i < (SECONDS + 2) * RATE; i++) pool.push(await identity.assertion(clock));
      let next = 0;
      const auth = () => `Kiosk ${pool[next++ % pool.length]}`;

      const samples: number[] = [];
      const sampler = setInterval(() => samples.push(rssMb(server.pid)), 250);
      const result = await load({
        url: info.url,
        connections: 10,
        overallRate: RATE,
        duration: SECONDS,
        requests: [
          {
            method: 'POST',
            path: '/v1/badge-tap',
            body: JSON.stringify({ credential: DEMO_PEOPLE[1].badge }),
            setupRequest: (req) => ({
              ...req,
              headers: { ...req.headers, 'content-type': 'application/json', authorization: auth() },
            }),
          },
          {
            method: 'GET',
            path: '/v1/catalog',
            setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: auth() } }),
          },
        ],
      });
      clearInterval(sampler);
      const third = Math.floor(samples.length / 3);
      const middle = Math.max(...samples.slice(third, 2 * third));
      const last = Math.max(...samples.slice(2 * third));
      console.log(
        `load: ${JSON.stringify(result)} rss middle=${middle.toFixed(1)} MB last=${last.toFixed(1)} MB`,
      );
      expect(result.errors).toBe(0);
      expect(result.requests).toBeGreaterThan(RATE * SECONDS * 0.8);
      expect(last).toBeLessThan(middle * 1.15 + 10);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
