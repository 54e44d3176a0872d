/**
 * Issue 14.4: a power cut shortly after enrolment left `device-key.jwk.json` and
 * `enrollment.json` at 0 bytes, and the kiosk never started again (a JSON parse error), with
 * unsynced rows stuck behind it. Now a damaged identity stops the start with words that say
 * what happened and how to recover, the outbox is kept, and an admin's `rekey` code lets the
 * kiosk enrol again as the same kiosk and send what it kept.
 */
import { existsSync, readdirSync, rmSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KIOSK_DEFAULTS } from '../../protocol/config/kiosk-config.ts';
import { createKiosk } from '../../src-main/core/create-kiosk.ts';
import { IdentityDamagedError } from '../../src-main/core/identity/device-identity.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';

let server: TestServer;
let kiosk: TestKiosk | null = null;
let dataDir = '';

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('a kiosk whose identity files are 0 bytes says how to recover, keeps its outbox, and sends it after a rekey', async () => {
  const first = await startTestKiosk({ serverUrl: server.url, enrollCode: await server.enrollmentCode() });
  kiosk = first;
  dataDir = first.dataDir;
  const kioskId = first.enrollment.kioskId;
  await first.waitForView((v) => v.items.length > 0, 'the catalog');
  await first.core.api.simulateTap({ credential: DEMO_PEOPLE[0].badge });
  const session = await first.waitForView((v) => v.screen === 'session', 'the session');
  const items = session.items.filter((i) => i.available && !i.blockedFor).slice(0, 2);

  // The server goes away; two borrows are committed and wait in the outbox.
  await server.stop();
  expect(await first.core.api.borrow({ itemIds: items.map((i) => i.id) })).toEqual({ ok: true });
  await first.sync.flush();
  expect(first.outbox.stats().pending).toBe(2);
  // Power cut: the process is gone and both identity files are empty.
  await first.close();
  kiosk = null;
  truncateSync(join(dataDir, 'device-key.jwk.json'), 0);
  truncateSync(join(dataDir, 'enrollment.json'), 0);
  await server.start();

  // Without a code: a clear refusal that names the files and the way back, not a parse error.
  const config = { ...KIOSK_DEFAULTS, dataDir, serverUrl: server.url, simulator: true };
  const refused = await createKiosk(config).then(
    () => null,
    (err: unknown) => err,
  );
  expect(refused).toBeInstanceOf(IdentityDamagedError);
  const message = (refused as Error).message;
  expect(message).toContain('device-key.jwk.json (0 bytes)');
  expect(message).toContain('enrollment.json (0 bytes)');
  expect(message).toContain('npm run admin -- kiosk rekey');
  expect(message).toContain('RENTAL_ENROLL_CODE');
  expect(existsSync(join(dataDir, 'kiosk.db'))).toBe(true);

  // An admin makes a new code for the same kiosk; the kiosk enrols with it as itself.
  const res = await fetch(`${server.url}/v1/admin/kiosks/${kioskId}/enrollment-code`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await server.adminToken()}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const { enrollmentCode } = (await res.json()) as { enrollmentCode: string };
  kiosk = await startTestKiosk({ serverUrl: server.url, dataDir, enrollCode: enrollmentCode });
  expect(kiosk.enrollment.kioskId).toBe(kioskId);
  expect(readdirSync(dataDir).filter((f) => f.startsWith('damaged-identity-'))).toHaveLength(1);

  // What it kept reaches the server, once.
  await kiosk.sync.flush();
  expect(kiosk.outbox.stats().pending).toBe(0);
  const loans = await server.loans('open');
  for (const item of items) expect(loans.filter((l) => l.itemId === item.id)).toHaveLength(1);

  // The code is used up.
  const again = await fetch(`${server.url}/v1/kiosks/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      code: enrollmentCode,
      publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) },
    }),
  });
  expect(again.status).toBe(401);
});
