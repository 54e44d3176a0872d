/** Builds the configured notifiers and the daily reminder schedule (used by server/main.ts). */
import type { ResolvedServerConfig } from '../config.ts';
import type { ServerDeps } from '../deps.ts';
import { scheduleDaily } from './daily-schedule.ts';
import type { Notifier } from './notifier.ts';
import { runOverdueReminders, type ReminderRun } from './overdue-job.ts';
import { smtpNotifier } from './smtp-notifier.ts';
import { webhookNotifier } from './webhook-notifier.ts';

export const DEFAULT_REMINDER_HOUR = 9;

/**
 * Every replica schedules the daily run; the first to claim the day sends, so people get
 * one reminder a day however many servers run. The claim outlives the day, so a replica
 * that starts late (or restarts) does not send again.
 */
export function claimTodaysRun(deps: Pick<ServerDeps, 'shared' | 'clock'>): Promise<boolean> {
  const now = deps.clock.now();
  const d = new Date(now);
  const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return deps.shared.claimOnce(`job:reminders:${day}`, now + 36 * 60 * 60_000, now);
}

type Log = { info(o: object, msg: string): void; warn(o: object, msg: string): void };

/** The scheduled run: claimed for the day first, so only one server of the fleet sends. Null when another has it. */
export async function runScheduledReminders(
  deps: Pick<ServerDeps, 'store' | 'shared' | 'clock'>,
  notifiers: Notifier[],
  log: Log,
): Promise<ReminderRun | null> {
  if (!(await claimTodaysRun(deps))) {
    log.info({}, "overdue reminders: another server has today's run");
    return null;
  }
  const run = await runOverdueReminders({
    store: deps.store,
    clock: deps.clock,
    notifiers,
    onError: (notifier, personId, err) =>
      log.warn({ notifier, personId, err: (err as Error).message }, 'reminder not delivered'),
  });
  log.info(run, 'overdue reminders sent');
  return run;
}

export type RemindersStatus = {
  channels: string[];
  lastRun: (ReminderRun & { at: number }) | null;
};

export function startReminders(
  config: ResolvedServerConfig,
  deps: ServerDeps,
  log: Log,
): { stop(): void; status(): RemindersStatus } {
  const notifiers: Notifier[] = [];
  let lastRun: RemindersStatus['lastRun'] = null;
  const status = (): RemindersStatus => ({ channels: notifiers.map((n) => n.name), lastRun });
  const closers: (() => void)[] = [];
  if (config.reminderWebhookUrl) notifiers.push(webhookNotifier({ url: config.reminderWebhookUrl }));
  if (config.smtpUrl) {
    const email = smtpNotifier({ transport: config.smtpUrl, from: config.smtpFrom ?? 'rental@localhost' });
    notifiers.push(email);
    closers.push(email.close);
  }
  deps.notifiers = notifiers;
  if (notifiers.length === 0) {
    log.info({}, 'overdue reminders off (set RENTAL_REMINDER_WEBHOOK or RENTAL_SMTP_URL)');
    return { stop() {}, status };
  }
  const hour = config.reminderHour ?? DEFAULT_REMINDER_HOUR;
  log.info({ hour, notifiers: notifiers.map((n) => n.name) }, 'overdue reminders scheduled daily');
  const schedule = scheduleDaily({
    hour,
    clock: deps.clock,
    run: async () => {
      const at = deps.clock.now();
      const run = await runScheduledReminders(deps, notifiers, log);
      if (run) lastRun = { ...run, at };
      return run;
    },
    onError: (err) => log.warn({ err: (err as Error).message }, 'overdue reminder run failed'),
  });
  return {
    stop() {
      schedule.stop();
      for (const close of closers) close();
    },
    status,
  };
}
