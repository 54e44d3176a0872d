/**
 * The password gate bounds hashes in flight under a sustained flood: a hash that ends hands
 * its slot to the next waiter, never frees it and fills it twice (issue 18: a login flood
 * held all four libuv threads and badge taps waited seconds).
 */
import { expect, it } from 'vitest';
import { createPasswordGate } from '../../../server/auth/password-gate.ts';

it('never runs more than maxInFlight hashes, through many hand-overs', async () => {
  const gate = createPasswordGate({ maxInFlight: 2, maxWaiting: 16 });
  let inFlight = 0;
  let most = 0;
  const ends: (() => void)[] = [];
  const hash = () =>
    new Promise<void>((resolve) => {
      inFlight++;
      most = Math.max(most, inFlight);
      ends.push(() => {
        inFlight--;
        resolve();
      });
    });
  const settle = () => new Promise((r) => setImmediate(r));
  const runs: Promise<unknown>[] = [];
  const refused: unknown[] = [];
  const arrive = () => runs.push(gate.run(hash).catch((err: unknown) => void refused.push(err)));
  // A flood: logins keep arriving while hashes end one by one.
  for (let i = 0; i < 18; i++) arrive();
  await settle();
  for (let round = 0; round < 40; round++) {
    ends.shift()?.();
    arrive();
    await settle();
    expect(inFlight).toBeLessThanOrEqual(2);
    expect(gate.inFlight()).toBe(inFlight);
  }
  expect(most).toBe(2);
  while (ends.length) {
    ends.shift()!();
    await settle();
  }
  await Promise.all(runs);
  expect(gate.inFlight()).toBe(0);
  expect(gate.waiting()).toBe(0);
});

it('answers at once past maxWaiting', async () => {
  const gate = createPasswordGate({ maxInFlight: 1, maxWaiting: 1 });
  let end = () => {};
  const first = gate.run(() => new Promise<void>((r) => (end = r)));
  const second = gate.run(async () => 'second');
  await expect(gate.run(async () => 'third')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  end();
  await first;
  expect(await second).toBe('second');
});
