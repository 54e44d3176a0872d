/**
 * Property-based fuzzing of the real server over loopback: every route the app registers
 * (read from the app itself, so a new route is fuzzed without touching this file) gets
 * random JSON bodies and path parameters, without credentials, with a kiosk's fresh device
 * assertion and with an admin's access token. No answer may be a 500, and every refusal
 * carries a typed error code. Then JWTs mutated byte by byte: a device assertion is never
 * accepted once changed, and a changed rental token never gets a transaction applied.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS, DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { ensureEnrolled } from '../../src-main/core/create-kiosk.ts';
import { openDeviceIdentity, type DeviceIdentity } from '../../src-main/core/identity/device-identity.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';

let server: TestServer;
let identity: DeviceIdentity;
let adminToken: string;
let kioskDir: string;
const clock = { now: () => Date.now() };

type Route = { method: string; path: string };

/** Every route from the app's own route tree (printRoutes), as method + full path. */
function routesOf(tree: string): Route[] {
  const out: Route[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]+)\))?/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    const path = stack.join('');
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) {
      if (method !== 'HEAD') out.push({ method, path });
    }
  }
  return out;
}

beforeAll(async () => {
  server = await startTestServer({ tapsPerMinute: 1e6 });
  kioskDir = mkdtempSync(join(tmpdir(), 'rental-fuzz-kiosk-'));
  identity = await openDeviceIdentity(kioskDir);
  await ensureEnrolled(identity, { serverUrl: server.url }, await server.enrollmentCode('fuzz kiosk'));
  adminToken = await server.adminToken();
});

afterAll(async () => {
  await server?.dispose();
  if (kioskDir) rmSync(kioskDir, { recursive: true, force: true });
});

async function call(method: string, path: string, body: unknown, auth: string | null) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(auth ? { authorization: auth } : {}),
    },
    ...(body !== undefined && method !== 'GET' ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  // An event stream (the dashboard's live events) never ends: its status is the answer.
  if (res.headers.get('content-type')?.includes('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, text: '' };
  }
  const text = await res.text();
  return { status: res.status, text };
}

describe('every route, random input', () => {
  it('answers no 500 and refuses with a typed code', async () => {
    // The fixture's app is not reachable from here; a second build of the same deps lists
    // the same routes.
    const { build } = await import('../../server/app.ts');
    const probe = build(server.deps());
    await probe.ready();
    const routes = routesOf(probe.printRoutes({ commonPrefix: false }));
    await probe.close();
    expect(routes.length).toBeGreaterThan(20);
    const fuzzed = routes.filter((r) => r.path !== '/v1/auth/logout'); // would end the admin's session
    const seen = new Set<number>();

    for (const route of fuzzed) {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.jsonValue({ maxDepth: 3 }),
            fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })),
          ),
          fc.constantFrom('none', 'kiosk', 'admin', 'garbage'),
          fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('usr_1', 'itm_1', '1', '..', '%00')),
          async (body, who, param) => {
            const auth =
              who === 'kiosk'
                ? `Kiosk ${await identity.assertion(clock)}`
                : who === 'admin'
                  ? `Bearer ${adminToken}`
                  : who === 'garbage'
                    ? 'Bearer x.y.z'
                    : null;
            const path = route.path.replace(/:[A-Za-z]+/g, encodeURIComponent(param) || 'x');
            const { status, text } = await call(
              route.method,
              path,
              route.method === 'GET' ? undefined : body,
              auth,
            );
            seen.add(status);
            if (status >= 500) throw new Error(`${route.method} ${path} -> ${status}: ${text.slice(0, 300)}`);
            if (status >= 400 && status !== 404) {
              const parsed = JSON.parse(text) as { code?: unknown; schemas?: unknown; status?: unknown };
              const what = `${route.method} ${path} ${status} ${text.slice(0, 200)}`;
              if (path.startsWith('/scim/')) {
                // SCIM answers errors in its own typed form (RFC 7644 3.12), as its clients expect.
                expect(parsed.schemas, what).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
                expect(parsed.status, what).toBe(String(status));
              } else expect(typeof parsed.code, what).toBe('string');
            }
          },
        ),
        { numRuns: 12 },
      );
    }
    console.log(`fuzz routes: ${fuzzed.length} routes, statuses seen ${[...seen].sort().join(',')}`);
  }, 180_000);
});

/** Every single-character change of a compact JWT (one position at a time). */
function mutations(jwt: string): string[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return [...jwt].map((ch, i) => {
    const other = ch === '.' ? 'A' : alphabet[(alphabet.indexOf(ch) + 17) % alphabet.length]!;
    return jwt.slice(0, i) + other + jwt.slice(i + 1);
  });
}

/** Same bytes after base64url decoding: the unused low bits of a segment's last character. */
const sameBytes = (a: string, b: string) => {
  const pa = a.split('.');
  const pb = b.split('.');
  return (
    pa.length === pb.length &&
    pa.every((s, i) => Buffer.from(s, 'base64url').equals(Buffer.from(pb[i]!, 'base64url')))
  );
};

describe('JWTs mutated byte by byte', () => {
  it('a changed device assertion is never accepted', async () => {
    const assertion = await identity.assertion(clock);
    const body = { credential: DEMO_PEOPLE[0].badge };
    // The original once (accepted), so a change that decodes to the same bytes is a replay.
    expect((await call('POST', '/v1/badge-tap', body, `Kiosk ${assertion}`)).status).toBe(200);
    const statuses = new Map<number, number>();
    for (const m of mutations(assertion)) {
      const { status, text } = await call('POST', '/v1/badge-tap', body, `Kiosk ${m}`);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      expect(status, text).toBe(401);
    }
    console.log(
      `fuzz assertion: ${assertion.length} mutations -> ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
  });

  it('a changed rental token never gets a transaction applied', async () => {
    const tap = await call(
      'POST',
      '/v1/badge-tap',
      { credential: DEMO_PEOPLE[0].badge },
      `Kiosk ${await identity.assertion(clock)}`,
    );
    const { token, user } = JSON.parse(tap.text) as { token: string; user: { id: string } };
    const items = (await (
      await fetch(`${server.url}/v1/catalog`, {
        headers: { authorization: `Kiosk ${await identity.assertion(clock)}` },
      })
    ).json()) as { items: { id: string; tag: string }[] };
    const item = items.items.find((i) => i.tag === DEMO_ITEMS[0].tag)!;
    const all = mutations(token).filter((m) => !sameBytes(m, token));
    // A change of a '.' breaks the compact form: the request schema refuses the batch.
    const malformed = all.filter((m) => m.split('.').length !== 3);
    const changed = all.filter((m) => m.split('.').length === 3);
    const now = new Date().toISOString();
    const txs = changed.map((m, i) => ({
      id: uuidv7(),
      seq: i + 1,
      kind: i % 2 === 0 ? 'borrow' : 'return',
      itemId: item.id,
      userId: user.id,
      occurredAt: now,
      clockTrusted: true,
      auth: { kind: 'rental', token: m },
    }));
    const outcomes = new Map<string, number>();
    for (let i = 0; i < txs.length; i += 200) {
      const { status, text } = await call(
        'POST',
        '/v1/sync',
        { transactions: txs.slice(i, i + 200) },
        `Kiosk ${await identity.assertion(clock)}`,
      );
      expect(status, text).toBe(200);
      for (const r of (JSON.parse(text) as { results: { status: string; code?: string }[] }).results) {
        const k = `${r.status}:${r.code ?? ''}`;
        outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
        expect(r.status).toBe('rejected');
      }
    }
    for (const m of malformed) {
      const tx = { ...txs[0]!, id: uuidv7(), auth: { kind: 'rental', token: m } };
      const { status, text } = await call(
        'POST',
        '/v1/sync',
        { transactions: [tx] },
        `Kiosk ${await identity.assertion(clock)}`,
      );
      expect(status, text).toBe(400);
    }
    console.log(
      `fuzz rental token: ${all.length} mutations -> ${JSON.stringify(Object.fromEntries(outcomes))}`,
    );
  });
});
