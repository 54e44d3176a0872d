/**
 * The timer port for hardware drivers. Frame gaps, buzzer patterns, relay pulses and
 * reconnect back-off all run on it, so tests drive a fake instead of sleeping.
 * (Structurally the same as the kiosk core's Scheduler; hardware/ imports only protocol/.)
 */
export type TimerHandle = unknown;

export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending pattern or retry must never keep a closing process alive.
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};
