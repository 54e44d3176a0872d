/** The kiosk's estimate of server time: NTP-style samples, the best recent one, steps. */
import { describe, expect, it } from 'vitest';
import { createServerClock } from '../../../src-main/core/clock/server-clock.ts';

function kiosk(start = 1_000_000) {
  let t = start;
  const clock = createServerClock({ now: () => t });
  /** One exchange: `up` ms to the server, `work` ms there, `down` ms back; server = local + trueOffset. */
  const exchange = (trueOffset: number, up: number, work: number, down: number) => {
    const sentAt = t;
    const serverReceivedAt = sentAt + up + trueOffset;
    const serverSentAt = serverReceivedAt + work;
    t += up + work + down;
    clock.observe({ sentAt, receivedAt: t, serverReceivedAt, serverSentAt });
  };
  return { clock, exchange, advance: (ms: number) => (t += ms), jump: (ms: number) => (t += ms) };
}

describe('server clock', () => {
  it('measures the offset from the round trip with the server’s work taken out', () => {
    const k = kiosk();
    expect(k.clock.trusted()).toBe(false);
    k.exchange(-3_600_000, 4, 250, 4);
    expect(k.clock.trusted()).toBe(true);
    expect(k.clock.offsetMs()).toBe(-3_600_000);
    // The 250 ms the server spent answering is not uncertainty: only the 8 ms on the wire.
    expect(k.clock.errorMs()).toBeLessThan(6);
  });

  it('keeps the sample with the smallest error among recent ones', () => {
    const k = kiosk();
    k.exchange(500, 5, 1, 5); // symmetric: exact
    k.exchange(500, 300, 1, 20); // asymmetric and slow: 140 ms off, error 160
    expect(k.clock.offsetMs()).toBe(500);
    expect(k.clock.errorMs()).toBeLessThan(7);
  });

  it('lets a fresh sample outrank a better one taken long ago', () => {
    const k = kiosk();
    k.exchange(0, 1, 0, 1);
    k.advance(3_600_000); // an hour: the old sample may have drifted by up to 360 ms
    k.exchange(40, 30, 0, 30);
    expect(k.clock.offsetMs()).toBe(40);
  });

  it('follows a step of the local clock at once, even on a slower network than its best sample', () => {
    const k = kiosk();
    k.exchange(0, 1, 2, 1);
    k.exchange(0, 2, 2, 1);
    expect(k.clock.offsetMs()).toBe(0);
    // NTP steps the Pi's clock 10 s forward; answers now take far longer than the best one.
    k.jump(10_000);
    k.exchange(-10_000, 120, 5, 140);
    expect(Math.abs(k.clock.offsetMs() - -10_000)).toBeLessThanOrEqual(130);
    expect(k.clock.now()).toBeGreaterThan(0);
  });

  it('starts again when the local clock goes back', () => {
    const k = kiosk();
    k.exchange(0, 1, 0, 1);
    k.jump(-86_400_000);
    k.exchange(86_400_000, 1, 0, 1);
    expect(k.clock.offsetMs()).toBe(86_400_000);
  });

  it('takes a second-resolution Date header as a sample good to half a second', () => {
    const k = kiosk(10_000);
    const clock = k.clock;
    // Server at local + 1234 ms: its Date header says the whole second, 11 000.
    clock.observe({
      sentAt: 10_000,
      receivedAt: 10_010,
      serverReceivedAt: 11_000,
      serverSentAt: 11_000,
      resolutionMs: 1000,
    });
    expect(Math.abs(clock.offsetMs() - 1234)).toBeLessThanOrEqual(clock.errorMs());
    expect(clock.errorMs()).toBeGreaterThanOrEqual(500);
    expect(clock.errorMs()).toBeLessThan(520);
  });
});

describe('server clock across wall-clock steps between samples', () => {
  /** A kiosk whose wall clock can be stepped while its monotonic clock runs on. */
  function steppable() {
    let mono = 5_000;
    let wall = 1_000_000;
    const clock = createServerClock({ now: () => wall }, () => mono);
    return {
      clock,
      pass: (ms: number) => ((mono += ms), (wall += ms)),
      step: (ms: number) => (wall += ms),
      wall: () => wall,
      /** One clean exchange with a server `offset` ahead of the wall clock. */
      exchange(offset: number, sentAt = wall, receivedAt = wall + 4) {
        mono += receivedAt - sentAt;
        wall = receivedAt;
        clock.observe({
          sentAt,
          receivedAt,
          serverReceivedAt: sentAt + 2 + offset,
          serverSentAt: sentAt + 2 + offset,
        });
      },
    };
  }

  it.each([
    ['back a day', -86_400_000],
    ['forward a year', 365 * 86_400_000],
    ['back two seconds', -2_000],
  ])('keeps server time when the wall clock is stepped %s', (_, jump) => {
    const k = steppable();
    k.exchange(250);
    const serverNow = k.clock.now();
    k.pass(60_000);
    k.step(jump);
    expect(k.clock.now()).toBe(serverNow + 60_000);
    expect(k.clock.trusted()).toBe(true);
  });

  it('follows the wall clock while it agrees with the monotonic one', () => {
    const k = steppable();
    k.exchange(250);
    k.pass(3_600_000);
    k.step(300); // a slew-sized correction is the wall clock's to make
    expect(k.clock.now()).toBe(k.wall() + 250);
  });

  it('ignores an exchange the wall clock was stepped back during', () => {
    const k = steppable();
    k.exchange(250);
    const before = k.clock.offsetMs();
    // Sent before the step, received after it: the times are not one round trip.
    k.exchange(250, k.wall(), k.wall() - 86_400_000 + 4);
    expect(k.clock.offsetMs()).toBe(before);
  });

  it('reads whole milliseconds (times are signed and stored as integers)', () => {
    const k = steppable();
    k.exchange(0);
    k.pass(0.37);
    k.step(-86_400_000);
    expect(Number.isInteger(k.clock.now())).toBe(true);
  });
});
