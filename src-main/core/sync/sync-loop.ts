/**
 * The sync loop: sends pending outbox rows in sequence order, a batch at a time, and
 * records each answer. One sync at a time; after a failure it waits with capped
 * exponential backoff and jitter; wake() (a new commit, the network back) runs it at once.
 * It knows nothing of HTTP: `send` is the transport.
 */
import type { TxResult } from '../../../protocol/index.ts';
import type { Outbox, OutboxRow } from '../outbox/outbox.ts';
import type { Clock, Logger, Random, Scheduler, TimerHandle } from '../ports.ts';

export type SyncStatus = {
  online: boolean;
  /** A round is running right now. */
  syncing: boolean;
  lastSyncAt: number | null;
  failures: number;
  lastError: string | null;
};

export type SyncLoop = {
  start(): void;
  stop(): Promise<void>;
  /** Run now (or right after the current run) instead of waiting out a backoff. */
  wake(): void;
  /** Resolve when the outbox has been drained or the current attempt failed. */
  flush(): Promise<void>;
  /** Another call reached the server (or failed to): keeps `online` honest between syncs. */
  reachable(ok: boolean): void;
  status(): SyncStatus;
};

export function createSyncLoop(deps: {
  outbox: Pick<Outbox, 'pending' | 'complete'>;
  send: (rows: OutboxRow[]) => Promise<TxResult[]>;
  scheduler: Scheduler;
  clock: Clock;
  random: Random;
  logger: Logger;
  batchSize: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Between drains, look again this often even without a wake-up. */
  idlePollMs?: number;
  onStatus?: (s: SyncStatus) => void;
  /** After a drain that delivered rows: the server's state changed, e.g. pull the catalog. */
  onDelivered?: () => void;
}): SyncLoop {
  const baseDelay = deps.baseDelayMs ?? 1_000;
  const maxDelay = deps.maxDelayMs ?? 60_000;
  const idlePoll = deps.idlePollMs ?? 30_000;

  let status: SyncStatus = { online: false, syncing: false, lastSyncAt: null, failures: 0, lastError: null };
  let running: Promise<void> | null = null;
  let again = false;
  let timer: TimerHandle | null = null;
  let stopped = true;

  const setStatus = (patch: Partial<SyncStatus>) => {
    status = { ...status, ...patch };
    deps.onStatus?.(status);
  };

  const schedule = (ms: number) => {
    timer?.cancel();
    if (stopped) return;
    timer = deps.scheduler.after(ms, () => {
      timer = null;
      kick();
    });
  };

  async function drain(): Promise<void> {
    for (let delivered = false; ; delivered = true) {
      const rows = deps.outbox.pending(deps.batchSize);
      if (rows.length === 0) {
        if (delivered) deps.onDelivered?.();
        return;
      }
      const results = await deps.send(rows);
      deps.outbox.complete(results);
      setStatus({ online: true, lastSyncAt: deps.clock.now(), failures: 0, lastError: null });
      // The server answered only part of the batch: the rest stays pending, go again.
      if (results.length === 0) throw new Error('server answered none of the batch');
    }
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    setStatus({ syncing: true });
    running = drain()
      .then(() => {
        schedule(idlePoll);
      })
      .catch((err: unknown) => {
        const failures = status.failures + 1;
        const ceiling = Math.min(maxDelay, baseDelay * 2 ** Math.min(failures - 1, 30));
        const delay = Math.round(ceiling / 2 + (deps.random() * ceiling) / 2);
        setStatus({ online: false, failures, lastError: (err as Error).message });
        deps.logger.warn({ failures, retryInMs: delay, err: (err as Error).message }, 'sync failed');
        schedule(delay);
      })
      .finally(() => {
        running = null;
        setStatus({ syncing: false });
        if (again) {
          again = false;
          timer?.cancel();
          kick();
        }
      });
  }

  return {
    start() {
      stopped = false;
      kick();
    },
    async stop() {
      stopped = true;
      timer?.cancel();
      await running;
    },
    wake() {
      timer?.cancel();
      kick();
    },
    async flush() {
      if (stopped) return;
      if (!running) kick();
      while (running) await running;
    },
    reachable(ok) {
      if (ok === status.online) return;
      setStatus({ online: ok });
      // Back online: rows waiting out a backoff go now.
      if (ok && !running) {
        timer?.cancel();
        kick();
      }
    },
    status: () => status,
  };
}
