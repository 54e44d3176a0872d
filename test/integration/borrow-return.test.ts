/**
 * The walking skeleton, all real: a simulated badge tap -> rental token from the real
 * server (kiosk authenticated by its device assertion) -> the person on screen -> borrow
 * -> the kiosk's SQLite outbox -> sync -> the server's API lists the loan; return closes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtVerify, createRemoteJWKSet, decodeProtectedHeader } from 'jose';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';

const minjun = DEMO_PEOPLE[0];

let server: TestServer;
let kiosk: TestKiosk;
/** The kiosk's local clock runs ahead by `skew`: lets a test step past the badge de-duplication window. */
let skew = 0;
const laterTap = () => (skew += 5_000);

beforeAll(async () => {
  server = await startTestServer();
  kiosk = await startTestKiosk({
    serverUrl: server.url,
    enrollCode: await server.enrollmentCode(),
    ports: { clock: { now: () => Date.now() + skew } },
  });
});

afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
});

describe('badge tap to synced borrow and return', () => {
  it('serves health and a JWKS with Ed25519 keys', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toMatch(/application\/json/);
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
      keys: { kty: string; crv: string; kid: string; d?: string }[];
    };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const k of jwks.keys) {
      expect(k).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
      expect(k.kid).toBeTruthy();
      expect(k.d).toBeUndefined();
    }
  });

  it('shows the catalog pulled from the server', async () => {
    const view = await kiosk.waitForView((v) => v.items.length === 12, 'the demo catalog');
    expect(view.screen).toBe('idle');
    expect(view.items.every((i) => i.available)).toBe(true);
  });

  it('borrows two items and the server lists the loans', async () => {
    expect(await kiosk.core.api.simulateTap({ credential: minjun.badge })).toEqual({ ok: true });
    const session = await kiosk.waitForView((v) => v.screen === 'session', 'the session');
    expect(session.session?.user.displayName).toBe(minjun.displayName);
    expect(session.session?.offline).toBe(false);

    // The session holds a real rental token: EdDSA, typ rental+jwt, aud this kiosk.
    const state = kiosk.core.state();
    if (state.screen !== 'session') throw new Error('not in a session');
    const token = state.session.token!;
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'EdDSA', typ: 'rental+jwt' });
    const { payload } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`)),
      {
        issuer: server.url,
        audience: `kiosk:${kiosk.enrollment.kioskId}`,
        typ: 'rental+jwt',
      },
    );
    expect(payload.sub).toBe(`user:${session.session!.user.id}`);

    const [a, b] = session.items.filter((i) => i.available && !i.blockedFor);
    expect(await kiosk.core.api.borrow({ itemIds: [a!.id, b!.id] })).toEqual({ ok: true });
    const receipt = await kiosk.waitForView((v) => v.screen === 'receipt', 'the receipt');
    expect(receipt.receipt?.kind).toBe('borrow');
    expect(receipt.receipt?.lines.map((l) => l.itemId)).toEqual([a!.id, b!.id]);
    // Committed locally before anything else: the items are out on this kiosk at once.
    expect(receipt.items.find((i) => i.id === a!.id)?.available).toBe(false);

    await kiosk.sync.flush();
    expect(kiosk.outbox.stats().pending).toBe(0);
    const open = await server.loans('open');
    expect(open.map((l) => l.itemId).sort()).toEqual([a!.id, b!.id].sort());
    expect(
      open.every((l) => l.userId === session.session!.user.id && l.kioskId === kiosk.enrollment.kioskId),
    ).toBe(true);
  });

  it('returns one item and the server closes its loan', async () => {
    await kiosk.core.api.endSession({});
    laterTap();
    await kiosk.core.api.simulateTap({ credential: minjun.badge });
    const session = await kiosk.waitForView((v) => v.screen === 'session', 'the second session');
    expect(session.session?.loans).toHaveLength(2);
    const returned = session.session!.loans[0]!;

    expect(
      await kiosk.core.api.returnItems({
        itemIds: [returned.itemId],
        reports: [{ itemId: returned.itemId, note: '  케이블 없음 ' }],
      }),
    ).toEqual({
      ok: true,
    });
    await kiosk.waitForView(
      (v) => v.screen === 'receipt' && v.receipt?.kind === 'return',
      'the return receipt',
    );
    await kiosk.sync.flush();

    const all = await server.loans('all');
    const closed = all.find((l) => l.itemId === returned.itemId)!;
    expect(closed.returnedAt).not.toBeNull();
    expect((await server.loans('open')).map((l) => l.itemId)).not.toContain(returned.itemId);
    expect(all).toHaveLength(2);
  });

  it('denies an unknown badge without saying why', async () => {
    await kiosk.core.api.endSession({});
    await kiosk.core.api.simulateTap({ credential: 'nfc:0badbadbad0001' });
    const denied = await kiosk.waitForView((v) => v.screen === 'denied', 'the denial');
    expect(denied.error).toBe('BADGE_DENIED');
    expect(denied.session).toBeNull();
  });

  it('refuses to borrow an item that is already out', async () => {
    await kiosk.core.api.endSession({});
    await kiosk.core.api.simulateTap({ credential: DEMO_PEOPLE[1].badge });
    // The server's state after sync (pulled by the kiosk), not a pending row, says it is out.
    const view = await kiosk.waitForView(
      (v) => v.screen === 'session' && v.items.some((i) => !i.available),
      'a session for another person',
    );
    expect(view.status.pending).toBe(0);
    const out = view.items.find((i) => !i.available)!;
    expect(await kiosk.core.api.borrow({ itemIds: [out.id] })).toEqual({
      ok: false,
      code: 'ITEM_UNAVAILABLE',
    });
    expect(kiosk.outbox.stats().pending).toBe(0);
  });
});
