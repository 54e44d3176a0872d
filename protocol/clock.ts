/** The clock port. Core logic takes a Clock; tests pass a fake they can move by hand. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const toIso = (ms: number) => new Date(ms).toISOString();
export const fromIso = (iso: string) => Date.parse(iso);

/**
 * Every server answer carries `<received> <sent>`: the server's time (ms since the epoch)
 * when the request arrived and when the answer left, so a kiosk can measure its offset
 * NTP-style, with the server's own work taken out of the round trip (the HTTP Date header
 * alone is only good to a second).
 */
export const SERVER_CLOCK_HEADER = 'x-server-clock';

export function formatServerClock(receivedAt: number, sentAt: number): string {
  return `${Math.round(receivedAt)} ${Math.round(sentAt)}`;
}

/** The two times, or null when the header is missing or not two whole numbers in order. */
export function parseServerClock(
  value: string | null | undefined,
): { receivedAt: number; sentAt: number } | null {
  const m = /^(\d{1,15}) (\d{1,15})$/.exec(value ?? '');
  if (!m) return null;
  const receivedAt = Number(m[1]);
  const sentAt = Number(m[2]);
  return sentAt >= receivedAt ? { receivedAt, sentAt } : null;
}
