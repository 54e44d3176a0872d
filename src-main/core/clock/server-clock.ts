/**
 * The kiosk's view of the server's clock. A Raspberry Pi has no real-time clock and may
 * boot with the wrong time, so the kiosk keeps the offset to the server (measured from
 * response times, halving the round trip) and says whether it has one it can trust.
 */
import type { Clock } from '../ports.ts';

export type ServerClock = Clock & {
  /** True once an offset has been measured since start. */
  trusted(): boolean;
  offsetMs(): number;
  /** Record a server timestamp received between `sentAt` and `receivedAt` (local ms). */
  observe(serverTimeMs: number, sentAt: number, receivedAt: number): void;
};

export function createServerClock(local: Clock): ServerClock {
  let offset = 0;
  let measured = false;
  let bestRtt = Infinity;
  return {
    now: () => local.now() + offset,
    trusted: () => measured,
    offsetMs: () => offset,
    observe(serverTimeMs, sentAt, receivedAt) {
      const rtt = Math.max(0, receivedAt - sentAt);
      // Prefer samples with short round trips, but let any sample in once the best is stale.
      if (measured && rtt > bestRtt * 2 + 50) return;
      bestRtt = Math.min(bestRtt, rtt);
      offset = Math.round(serverTimeMs + rtt / 2 - receivedAt);
      measured = true;
    },
  };
}
