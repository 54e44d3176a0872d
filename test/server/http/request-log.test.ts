/**
 * Badge taps are logged at debug one by one and summed up at info once a minute (issue 18:
 * two info lines per tap cost ~4.5% of the tap rate); every other route keeps its
 * per-request info lines, and a failing tap still logs at once.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { REDACT } from '../../../server/app.ts';
import { SUMMARY_EVERY_MS } from '../../../server/http/request-log.ts';
import { addPerson, enrolledKiosk, testServer, type TestServer } from '../fixtures.ts';

type Line = { level: number; msg: string; [k: string]: unknown };
const INFO = 30;
const DEBUG = 20;

let s: TestServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function serverLoggingAt(level: 'info' | 'debug') {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l) as Line);
      done();
    },
  });
  s = await testServer({ logger: pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, sink) });
  await addPerson(s, { role: 'member', badge: 'nfc:0a0b0c0d' });
  const kiosk = await enrolledKiosk(s);
  const tap = async (credential = 'nfc:0a0b0c0d') =>
    (
      await s!.app.inject({
        method: 'POST',
        url: '/v1/badge-tap',
        headers: await kiosk.auth(),
        payload: { credential },
      })
    ).statusCode;
  return { s, lines, tap };
}

const tapLines = (lines: Line[]) =>
  lines.filter((l) => (l.req as { url?: string } | undefined)?.url === '/v1/badge-tap' || l.route);

it('at info: no line per tap, one summary a minute with the counts by status', async () => {
  const { s, lines, tap } = await serverLoggingAt('info');
  const before = lines.length;
  for (let i = 0; i < 5; i++) expect(await tap()).toBe(200);
  expect(await tap('nfc:ffffffff')).toBe(403);
  expect(
    lines.slice(before).filter((l) => l.msg === 'incoming request' || l.msg === 'request completed'),
  ).toEqual([]);
  expect(tapLines(lines)).toEqual([]);

  s.clock.advance(SUMMARY_EVERY_MS);
  expect(await tap()).toBe(200); // the first tap after the minute writes the minute's line
  const summaries = lines.filter((l) => l.msg === 'requests summary');
  expect(summaries).toHaveLength(1);
  expect(summaries[0]).toMatchObject({
    level: INFO,
    route: '/v1/badge-tap',
    seconds: 60,
    requests: 6,
    byStatus: { 200: 5, 403: 1 },
  });
  expect(summaries[0]!.slowestMs).toBeGreaterThan(0);

  // Closing writes the open minute (the one tap since).
  await s.app.close();
  expect(lines.filter((l) => l.msg === 'requests summary').at(-1)).toMatchObject({
    requests: 1,
    byStatus: { 200: 1 },
  });
});

it('other routes keep their per-request info lines', async () => {
  const { s, lines } = await serverLoggingAt('info');
  await s.app.inject({ method: 'GET', url: '/healthz' });
  const health = lines.filter((l) => (l.req as { url?: string } | undefined)?.url === '/healthz');
  expect(health.map((l) => [l.level, l.msg])).toEqual([[INFO, 'incoming request']]);
  expect(lines.some((l) => l.msg === 'request completed' && l.level === INFO)).toBe(true);
});

it('at debug: each tap has its lines', async () => {
  const { lines, tap } = await serverLoggingAt('debug');
  expect(await tap()).toBe(200);
  const each = lines.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed');
  const taps = each.filter((l) => l.level === DEBUG);
  expect(taps.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
  expect((taps[0]!.req as { url: string }).url).toBe('/v1/badge-tap');
});
