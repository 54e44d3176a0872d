/**
 * Service mode, end to end against the real server: an admin badge opens it, the people
 * list comes from the server, an unknown badge is enrolled to a person by tapping it and
 * then logs that person in. Also: scanned item tags reach the UI as scan events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanEvent } from '../../protocol/index.ts';
import { DEMO_ADMIN_BADGE, DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';

const NEW_BADGE = 'nfc:04cafe00000001';
let server: TestServer;
let kiosk: TestKiosk;
let skew = 0;

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

describe('service mode', () => {
  it('refuses service commands outside service mode', async () => {
    expect(await kiosk.core.api.forceSync({})).toEqual({ ok: false, code: 'FORBIDDEN' });
    expect(await kiosk.core.api.startEnrol({ userId: 'x' })).toEqual({ ok: false, code: 'FORBIDDEN' });
  });

  it('an admin badge opens service mode with the people list', async () => {
    await kiosk.core.api.simulateTap({ credential: DEMO_ADMIN_BADGE });
    const view = await kiosk.waitForView(
      (v) => v.screen === 'service' && (v.service?.people.length ?? 0) > 0,
      'service mode with people',
    );
    expect(view.service?.admin.role).toBe('admin');
    expect(view.service?.people.map((p) => p.displayName)).toContain(DEMO_PEOPLE[3].displayName);
    // With what tells two of one name apart (protocol 4): here the email; no department set.
    expect(view.service?.people.find((p) => p.displayName === DEMO_PEOPLE[3].displayName)).toMatchObject({
      email: DEMO_PEOPLE[3].email,
      department: null,
      employeeNumber: null,
    });
    expect(view.session).toBeNull();
    expect(await kiosk.core.api.forceSync({})).toEqual({ ok: true });
  });

  it('enrols an unknown badge to a person, who can then log in with it', async () => {
    const view = await kiosk.core.api.getView({});
    const yuna = view.service!.people.find((p) => p.displayName === DEMO_PEOPLE[3].displayName)!;
    expect(await kiosk.core.api.startEnrol({ userId: yuna.id })).toEqual({ ok: true });
    expect((await kiosk.core.api.getView({})).service?.enrol).toMatchObject({
      state: 'waiting',
      userId: yuna.id,
    });

    await kiosk.core.api.simulateTap({ credential: NEW_BADGE });
    const done = await kiosk.waitForView((v) => v.service?.enrol?.state === 'enrolled', 'the enrolment');
    expect(done.screen).toBe('service');

    // Enrolling the same badge again is refused with a clear code.
    await kiosk.core.api.startEnrol({ userId: yuna.id });
    skew += 5_000;
    await kiosk.core.api.simulateTap({ credential: NEW_BADGE });
    const again = await kiosk.waitForView(
      (v) => v.service?.enrol?.state === 'failed',
      'the refused enrolment',
    );
    expect(again.service?.enrol?.error).toBe('BADGE_ALREADY_ENROLLED');

    await kiosk.core.api.endSession({});
    skew += 5_000;
    await kiosk.core.api.simulateTap({ credential: NEW_BADGE });
    const session = await kiosk.waitForView((v) => v.screen === 'session', 'a session with the new badge');
    expect(session.session?.user.displayName).toBe(DEMO_PEOPLE[3].displayName);
  });

  it('the badge route refuses a non-admin rental token', async () => {
    const state = kiosk.core.state();
    if (state.screen !== 'session') throw new Error('expected a session');
    const res = await fetch(`${server.url}/v1/kiosk/badges`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Kiosk ${await kiosk.assertion()}` },
      body: JSON.stringify({
        token: state.session.token,
        userId: state.session.user.id,
        credential: 'nfc:04cafe00000002',
      }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('FORBIDDEN');
  });

  it('a scanned item tag reaches the UI as a scan event during a session', async () => {
    const scans: ScanEvent[] = [];
    const off = kiosk.core.api.on('scan', (s) => scans.push(s));
    const view = await kiosk.core.api.getView({});
    const item = view.items[0]!;
    expect(await kiosk.core.api.simulateScan({ tag: item.tag.toLowerCase() })).toEqual({ ok: true });
    expect(await kiosk.core.api.simulateScan({ tag: 'NOPE-999' })).toEqual({ ok: true });
    off();
    expect(scans.map((s) => [s.tag, s.itemId])).toEqual([
      [item.tag.toLowerCase(), item.id],
      ['NOPE-999', null],
    ]);
    await kiosk.core.api.endSession({});
    expect(await kiosk.core.api.simulateScan({ tag: item.tag })).toEqual({
      ok: false,
      code: 'SESSION_REQUIRED',
    });
  });
});
