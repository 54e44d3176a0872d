/**
 * The kiosk's view of the server's clock. A Raspberry Pi has no real-time clock and may
 * boot with the wrong time, or have it stepped by NTP later, so the kiosk keeps the offset
 * to the server and says whether it has one it can trust.
 *
 * Each answer from the server is one sample, as in NTP: the kiosk's send and receive times
 * and the server's receive and send times (milliseconds, from the SERVER_CLOCK_HEADER) give
 * an offset and a round-trip delay with the server's own work taken out; the offset is
 * right to within half that delay. Of the recent samples the one with the smallest error
 * wins (NTP's clock filter), and a sample's error grows with its age, so a sample taken on
 * a quiet network an hour ago does not outrank a fresh one.
 *
 * A sample that cannot be true together with the estimate (their error bounds do not
 * overlap) means a clock was stepped, here or on the server: the old samples describe a
 * clock that no longer exists, so they are dropped and the new sample is taken at once.
 * Keeping the old best sample instead left the kiosk ten seconds wrong after a step, and
 * the server refused its device assertions.
 *
 * Between samples (offline), the local wall clock may be stepped too: a Pi's clock set back
 * a day or a year, or forward by NTP after a boot without a real-time clock. So each sample
 * also keeps the monotonic time it was taken at, and server time is read as the sample's
 * server time plus the monotonic time elapsed since. When the wall clock disagrees with
 * that by more than a second (plus drift), the wall clock was stepped and the monotonic
 * reading wins: receipts, due dates, session deadlines and roster checks stay on server time.
 */
import type { Clock } from '../ports.ts';

export type ClockSample = {
  /** Local time the request left. */
  sentAt: number;
  /** Local time the answer arrived. */
  receivedAt: number;
  /** Server time the request arrived. */
  serverReceivedAt: number;
  /** Server time the answer left. */
  serverSentAt: number;
  /** How coarse the server's times are (1000 for an HTTP Date header, 1 for milliseconds). */
  resolutionMs?: number;
};

export type ServerClock = Clock & {
  /** True once an offset has been measured since start. */
  trusted(): boolean;
  offsetMs(): number;
  /** How far off the current offset may be (ms); Infinity before the first sample. */
  errorMs(): number;
  /** Record one exchange with the server. */
  observe(sample: ClockSample): void;
};

/** How many recent samples compete (NTP's clock filter keeps eight). */
const KEEP = 8;
/** How fast a sample's error grows with age: a crystal drifts well under 100 ppm. */
const DRIFT_PER_MS = 100e-6;

type Kept = { offset: number; error: number; at: number; mono: number };

/** How far the wall clock may wander from the monotonic reading before it counts as a step. */
const STEP_TOLERANCE_MS = 1_000;

/**
 * `monotonic`: a clock that never steps (performance.now in production). Defaults to `local`
 * itself, so a test that drives time through one fake clock keeps that one timeline.
 */
export function createServerClock(local: Clock, monotonic: () => number = local.now): ServerClock {
  let samples: Kept[] = [];
  let best: Kept | null = null;

  const errorNow = (s: Kept, now: number) => s.error + Math.max(0, now - s.at) * DRIFT_PER_MS;
  const pick = (now: number) => {
    best = samples.reduce<Kept | null>((b, s) => (!b || errorNow(s, now) < errorNow(b, now) ? s : b), null);
  };

  const now = () => {
    const wall = local.now();
    if (!best) return wall;
    const elapsed = monotonic() - best.mono;
    const viaMonotonic = best.at + best.offset + elapsed;
    const viaWall = wall + best.offset;
    const stepped = Math.abs(viaWall - viaMonotonic) > STEP_TOLERANCE_MS + Math.abs(elapsed) * DRIFT_PER_MS;
    // Whole milliseconds, as every time the kiosk stores, signs and sends is.
    return stepped ? Math.round(viaMonotonic) : viaWall;
  };

  return {
    now,
    trusted: () => best !== null,
    offsetMs: () => best?.offset ?? 0,
    errorMs: () => (best ? errorNow(best, best.at + (monotonic() - best.mono)) : Infinity),
    observe(s) {
      // The wall clock went back while the request was out: the times do not describe one
      // round trip, and the formula below would take half the step as the offset.
      if (s.receivedAt < s.sentAt) return;
      const resolution = s.resolutionMs ?? 1;
      const serverWork = Math.max(0, s.serverSentAt - s.serverReceivedAt);
      const delay = Math.max(0, s.receivedAt - s.sentAt - serverWork);
      // NTP: the server's midpoint against ours.
      const offset = Math.round(
        (s.serverReceivedAt - s.sentAt + (s.serverSentAt - s.receivedAt)) / 2 +
          (resolution > 1 ? resolution / 2 : 0),
      );
      // The monotonic time of receipt: `receivedAt` was read from the wall clock just now.
      const mono = monotonic() - (local.now() - s.receivedAt);
      const sample: Kept = { offset, error: delay / 2 + resolution / 2 + 1, at: s.receivedAt, mono };
      if (best) {
        const stepped = Math.abs(sample.offset - best.offset) > sample.error + errorNow(best, s.receivedAt);
        // Every kept sample was taken by the clock before the step (or before the local
        // clock went back, which makes their ages meaningless too).
        if (stepped || s.receivedAt < best.at) samples = [];
      }
      samples = [...samples, sample].slice(-KEEP);
      pick(s.receivedAt);
    },
  };
}
