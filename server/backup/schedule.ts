/**
 * The embedded server's scheduled backups: one every `everyMs`, the newest `keep` kept.
 * Timer and clock injected (STYLE.md rule 3). The last outcome is kept for the log and for
 * whoever asks (health, dashboard).
 */
import type { Clock } from '../../protocol/index.ts';
import { realTimer, type SetTimer } from '../notify/daily-schedule.ts';
import { backupSqlite, type BackupResult } from './sqlite-backup.ts';

export type BackupStatus = {
  lastOk: { at: number; file: string; bytes: number; ms: number } | null;
  lastError: { at: number; message: string } | null;
};

export function startBackups(opts: {
  dataDir: string;
  toDir: string;
  everyMs: number;
  keep: number;
  clock: Clock;
  setTimer?: SetTimer;
  onBackup?: (r: BackupResult) => void;
  onError?: (err: unknown) => void;
}): { stop(): void; status(): BackupStatus; runNow(): Promise<BackupResult> } {
  const setTimer = opts.setTimer ?? realTimer;
  const status: BackupStatus = { lastOk: null, lastError: null };
  let stopped = false;
  let cancel = () => {};
  let running: Promise<BackupResult> | null = null;

  const runNow = () => {
    // One at a time: a slow disk must not stack backups on top of each other.
    running ??= backupSqlite({
      dataDir: opts.dataDir,
      toDir: opts.toDir,
      now: opts.clock.now(),
      keep: opts.keep,
    })
      .then(
        (r) => {
          status.lastOk = { at: opts.clock.now(), file: r.file, bytes: r.bytes, ms: r.ms };
          opts.onBackup?.(r);
          return r;
        },
        (err: unknown) => {
          status.lastError = { at: opts.clock.now(), message: (err as Error).message };
          throw err;
        },
      )
      .finally(() => (running = null));
    return running;
  };

  const arm = () => {
    if (stopped || opts.everyMs <= 0) return;
    cancel = setTimer(() => {
      runNow()
        .catch((err: unknown) => opts.onError?.(err))
        .finally(arm);
    }, opts.everyMs);
  };
  arm();
  return {
    stop() {
      stopped = true;
      cancel();
    },
    status: () => ({ ...status }),
    runNow,
  };
}
