/**
 * The kiosk's database failed: the first fault is kept until the kiosk restarts, and every
 * screen but service mode says "out of service" (view.ts). Periodic tasks and commands hand
 * their errors here to tell a storage fault from any other failure.
 */
import type { Logger } from './ports.ts';
import { storageFault } from './sqlite.ts';

export type OutOfService = ReturnType<typeof createOutOfService>;

export function createOutOfService(deps: { logger: Logger; onFault: () => void }) {
  let fault: string | null = null;

  /** Keep the first fault and log it; true when this is the first. */
  function latch(detail: string): boolean {
    if (fault) return false;
    fault = detail;
    deps.logger.error({ fault: detail }, 'kiosk database failed: out of service until staff look at it');
    return true;
  }

  return {
    fault: () => fault,
    /** A view found the fault while it was built: it already shows it, so nothing is sent. */
    latch,
    /** A periodic task or a read found the database damaged: out of service, and say so once. */
    report(detail: string) {
      if (latch(detail)) deps.onFault();
    },
    /** True when `err` was the database failing (the kiosk is now out of service). */
    noteFailure(err: unknown): boolean {
      const detail = storageFault(err);
      if (detail && latch(detail)) deps.onFault();
      return detail !== null;
    },
  };
}
