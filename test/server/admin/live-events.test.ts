/**
 * The live stream over a real socket: events arrive as SSE; a logged-out session's stream ends;
 * one person holds at most MAX_STREAMS_PER_PERSON at once.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../server/auth/passwords.ts';
import { MAX_STREAMS_PER_PERSON } from '../../../server/events/sse-route.ts';
import { enrollKiosk, kioskDoes, startFixture, type Fixture } from './fixture.ts';

async function openStream(url: string, token: string) {
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.getReader();
  let text = '';
  return {
    /** Read until `pattern` shows up; null if the stream ended first. */
    async until(pattern: RegExp): Promise<string | null> {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) return null;
        text += new TextDecoder().decode(value);
      }
      return text;
    },
    cancel: () => reader.cancel(),
  };
}

describe('live events (SSE)', () => {
  let f: Fixture;
  let base: string;
  beforeEach(async () => {
    f = await startFixture();
    await f.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(f.app.server.address() as AddressInfo).port}`;
  });
  afterEach(() => f.close());

  it('sends applied transactions and kiosk heartbeats as they happen', async () => {
    const token = await f.login('staff');
    const stream = await openStream(`${base}/v1/admin/events`, token);
    await stream.until(/: connected/);
    const person = await f.deps.store.createUser({
      displayName: 'P',
      email: null,
      role: 'member',
      active: true,
      passwordHash: null,
    });
    await f.deps.store.addBadge(person.id, f.deps.hashBadge('kbd:90000001'));
    const item = await f.deps.store.createItem({
      tag: 'E-1',
      name: 'E',
      category: 'c',
      loanDays: 1,
      restrictedTo: null,
      lockerSlot: null,
    });
    const kiosk = await enrollKiosk(f, 'K');
    await kioskDoes(f, kiosk, 'kbd:90000001', 'borrow', item.id);
    const text = await stream.until(/event: transactions\ndata: .*\n\n/);
    expect(text).toContain(`"kioskId":"${kiosk.id}","applied":1,"conflicts":0,"rejected":0`);
    await f.app.inject({
      method: 'POST',
      url: '/v1/kiosk/heartbeat',
      headers: { authorization: await kiosk.auth() },
      payload: { appVersion: '1', queueDepth: 0, oldestUnsyncedAgeS: null, readers: [], clockOffsetMs: 0 },
    });
    expect(await stream.until(/event: kiosk\n/)).toContain(`{"type":"kiosk","kioskId":"${kiosk.id}"}`);
    await stream.cancel();
  });

  it('ends the stream of a session that logged out', async () => {
    const token = await f.login('admin');
    const stream = await openStream(`${base}/v1/admin/events`, token);
    await stream.until(/: connected/);
    const out = await f.app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.statusCode).toBe(204);
    f.deps.events.emit({ type: 'change', what: 'item' });
    expect(await stream.until(/event: change/)).toBeNull();
  });

  it('ends the stream of a person deactivated or demoted while it is open', async () => {
    for (const change of [{ active: false }, { role: 'member' }] as const) {
      const staff = await f.deps.store.createUser({
        displayName: 'Watcher',
        email: `watch-${Object.keys(change)[0]}@example.com`,
        role: 'staff',
        active: true,
        passwordHash: await hashPassword('watcher password 1', { N: 2 ** 10, r: 8, p: 1 }),
      });
      const login = await f.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: staff.email, password: 'watcher password 1' },
      });
      const stream = await openStream(`${base}/v1/admin/events`, login.json().accessToken);
      await stream.until(/: connected/);
      const admin = await f.login('admin');
      const res = await f.app.inject({
        method: 'PATCH',
        url: `/v1/admin/people/${staff.id}`,
        headers: { authorization: `Bearer ${admin}` },
        payload: change,
      });
      expect(res.statusCode).toBe(200);
      // The admin's change is itself an event: the stream ends there, before anything else.
      expect(await stream.until(/event: change/)).toBeNull();
    }
  });

  it('one person holds at most a few streams at once; one more is refused until one closes', async () => {
    const token = await f.login('staff');
    const streams = [];
    for (let i = 0; i < MAX_STREAMS_PER_PERSON; i++) {
      const s = await openStream(`${base}/v1/admin/events`, token);
      await s.until(/: connected/);
      streams.push(s);
    }
    const refused = await fetch(`${base}/v1/admin/events`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'RATE_LIMITED' });
    // Someone else is not counted against them.
    const other = await openStream(`${base}/v1/admin/events`, await f.login('admin'));
    await other.until(/: connected/);
    // One closes: one may open again.
    await streams.pop()!.cancel();
    let again: Response | null = null;
    for (let i = 0; i < 50 && again?.status !== 200; i++) {
      await again?.body?.cancel();
      again = await fetch(`${base}/v1/admin/events`, { headers: { authorization: `Bearer ${token}` } });
      if (again.status !== 200) await new Promise((r) => setTimeout(r, 20));
    }
    expect(again!.status).toBe(200);
    await again!.body!.cancel();
    for (const s of [...streams, other]) await s.cancel();
  });
});
