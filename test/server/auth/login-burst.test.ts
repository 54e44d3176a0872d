/**
 * Attacks on the login throttle (issue 13, items 1 and 2): guesses sent all at once, and the
 * throttle used as a tool to lock the owner out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_POLICY, PAIR_POLICY } from '../../../server/auth/login-throttle.ts';
import { addPerson, login, testServer, type TestServer } from '../fixtures.ts';

let s: TestServer;
beforeEach(async () => {
  s = await testServer();
});
afterEach(async () => {
  await s.close();
});

const statuses = (responses: { statusCode: number }[]) =>
  responses.reduce<Record<number, number>>(
    (n, r) => ({ ...n, [r.statusCode]: (n[r.statusCode] ?? 0) + 1 }),
    {},
  );

describe('guesses sent together', () => {
  it('lets no more guesses through than the throttle allows, even when all arrive at once', async () => {
    const alice = await addPerson(s, { role: 'member' });
    // 60 guesses from one address, all in flight together; the right password is guess 51.
    const guesses = Array.from({ length: 60 }, (_, i) => (i === 50 ? alice.password : `wrong guess ${i}`));
    const answers = await Promise.all(guesses.map((p) => login(s, alice.email, p)));
    const n = statuses(answers);
    expect(n[200]).toBeUndefined();
    expect(n[401]).toBe(PAIR_POLICY.freeFailures + 1);
    expect(n[429]).toBe(60 - (PAIR_POLICY.freeFailures + 1));
    expect(answers[50]!.json().code).toBe('RATE_LIMITED');
  });

  it('counts a burst spread over many accounts against the address', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(s, `nobody${i}@example.com`, 'wrong', 'bearer', '10.9.9.9')),
    );
    // 20 free for an address, the 21st is let through and arms the wait; the rest wait. (The
    // password-hash gate may also turn a few of those 21 away at once: 429 too, never a guess.)
    const n = statuses(answers);
    expect(n[200]).toBeUndefined();
    expect(n[401]).toBeGreaterThan(0);
    expect(n[401]).toBeLessThanOrEqual(21);
    expect(n[401]! + n[429]!).toBe(40);
  });
});

describe('the throttle is no lock-out tool', () => {
  it('a burst from a stranger does not stop the owner from the address they use', async () => {
    const alice = await addPerson(s, { role: 'member' });
    expect((await login(s, alice.email, alice.password, 'bearer', '10.1.1.1')).statusCode).toBe(200);
    await Promise.all(Array.from({ length: 16 }, () => login(s, alice.email, 'wrong', 'bearer', '10.6.6.6')));
    expect((await login(s, alice.email, 'wrong', 'bearer', '10.6.6.6')).statusCode).toBe(429);
    // The owner, from their usual address and from a new one, is not held.
    expect((await login(s, alice.email, alice.password, 'bearer', '10.1.1.1')).statusCode).toBe(200);
    expect((await login(s, alice.email, alice.password, 'bearer', '10.2.2.2')).statusCode).toBe(200);
  });

  it('guessing spread over many addresses slows strangers by at most a minute and never the owner’s address', async () => {
    const alice = await addPerson(s, { role: 'member' });
    expect((await login(s, alice.email, alice.password, 'bearer', '10.1.1.1')).statusCode).toBe(200);
    // One guess each from 200 addresses: the account-wide counter fills.
    for (let i = 0; i < 200; i++) await login(s, alice.email, 'wrong', 'bearer', `10.7.${i >> 8}.${i & 255}`);
    const stranger = await login(s, alice.email, alice.password, 'bearer', '10.8.0.1');
    expect(stranger.statusCode).toBe(429);
    expect(Number(stranger.headers['retry-after'])).toBeLessThanOrEqual(ACCOUNT_POLICY.maxMs / 1000);
    // Known-good source: straight in.
    expect((await login(s, alice.email, alice.password, 'bearer', '10.1.1.1')).statusCode).toBe(200);
    // And a new address only waits out the capped delay.
    s.clock.advance(ACCOUNT_POLICY.maxMs);
    expect((await login(s, alice.email, alice.password, 'bearer', '10.8.0.1')).statusCode).toBe(200);
  });
});
