/** The clock port. Core logic takes a Clock; tests pass a fake they can move by hand. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const toIso = (ms: number) => new Date(ms).toISOString();
export const fromIso = (iso: string) => Date.parse(iso);
