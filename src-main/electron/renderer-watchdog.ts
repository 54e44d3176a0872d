/**
 * Keeps the kiosk screen alive: a renderer that dies is reloaded, with a growing delay when
 * it keeps dying (a crash loop must not pin the Pi's CPU), and repeated crashes are logged
 * as errors so they show up in the journal. A renderer that hangs (an endless loop fires no
 * 'render-process-gone') is crashed on purpose after a grace period, which brings it here.
 *
 * Pure logic: Electron's events come in through `gone`/`unresponsive`/`responsive`, time
 * through the injected clock and scheduler.
 */
import type { Clock, Logger, Scheduler, TimerHandle } from '../core/index.ts';

export type WatchdogOptions = {
  /** Delay before the first reload; doubled per crash within `windowMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Crashes older than this are forgotten. */
  windowMs: number;
  /** From this many crashes within the window on, each crash is logged as an error. */
  repeatedAfter: number;
  /** How long a hung renderer gets before it is crashed and reloaded. */
  hangGraceMs: number;
};

export const WATCHDOG_DEFAULTS: WatchdogOptions = {
  baseDelayMs: 500,
  maxDelayMs: 60_000,
  windowMs: 10 * 60_000,
  repeatedAfter: 3,
  hangGraceMs: 15_000,
};

export type GoneDetails = { reason: string; exitCode: number };

export function createRendererWatchdog(deps: {
  reload(): void;
  /** Kill the hung renderer; its 'render-process-gone' then arrives at `gone`. */
  crash(): void;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  options?: Partial<WatchdogOptions>;
}) {
  const o = { ...WATCHDOG_DEFAULTS, ...deps.options };
  let crashes: number[] = [];
  let pendingReload: TimerHandle | null = null;
  let hangTimer: TimerHandle | null = null;
  let stopped = false;

  return {
    gone(details: GoneDetails): void {
      // 'clean-exit' is the renderer closing normally (window closing, app quitting).
      if (stopped || details.reason === 'clean-exit') return;
      hangTimer?.cancel();
      hangTimer = null;
      const now = deps.clock.now();
      crashes = crashes.filter((t) => now - t < o.windowMs);
      crashes.push(now);
      const n = crashes.length;
      const delayMs = Math.min(o.baseDelayMs * 2 ** (n - 1), o.maxDelayMs);
      const info = { ...details, crashesInWindow: n, reloadInMs: delayMs };
      if (n >= o.repeatedAfter)
        deps.logger.error(info, 'kiosk renderer keeps crashing; reloading with backoff');
      else deps.logger.warn(info, 'kiosk renderer gone; reloading');
      if (pendingReload) return; // one reload is already on its way
      pendingReload = deps.scheduler.after(delayMs, () => {
        pendingReload = null;
        if (!stopped) deps.reload();
      });
    },
    unresponsive(): void {
      if (stopped || hangTimer) return;
      deps.logger.warn({ graceMs: o.hangGraceMs }, 'kiosk renderer unresponsive');
      hangTimer = deps.scheduler.after(o.hangGraceMs, () => {
        hangTimer = null;
        if (stopped) return;
        deps.logger.error({}, 'kiosk renderer hung; crashing it to reload');
        deps.crash();
      });
    },
    responsive(): void {
      hangTimer?.cancel();
      hangTimer = null;
    },
    stop(): void {
      stopped = true;
      pendingReload?.cancel();
      hangTimer?.cancel();
    },
  };
}

export type RendererWatchdog = ReturnType<typeof createRendererWatchdog>;
