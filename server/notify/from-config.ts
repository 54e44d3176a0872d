/** Builds the configured notifiers and the daily reminder schedule (used by server/main.ts). */
import type { ResolvedServerConfig } from '../config.ts';
import type { ServerDeps } from '../deps.ts';
import { scheduleDaily } from './daily-schedule.ts';
import type { Notifier } from './notifier.ts';
import { runOverdueReminders } from './overdue-job.ts';
import { smtpNotifier } from './smtp-notifier.ts';
import { webhookNotifier } from './webhook-notifier.ts';

export const DEFAULT_REMINDER_HOUR = 9;

type Log = { info(o: object, msg: string): void; warn(o: object, msg: string): void };

export function startReminders(config: ResolvedServerConfig, deps: ServerDeps, log: Log): { stop(): void } {
  const notifiers: Notifier[] = [];
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
    return { stop() {} };
  }
  const hour = config.reminderHour ?? DEFAULT_REMINDER_HOUR;
  log.info({ hour, notifiers: notifiers.map((n) => n.name) }, 'overdue reminders scheduled daily');
  const schedule = scheduleDaily({
    hour,
    clock: deps.clock,
    run: async () => {
      const run = await runOverdueReminders({
        store: deps.store,
        clock: deps.clock,
        notifiers,
        onError: (notifier, personId, err) =>
          log.warn({ notifier, personId, err: (err as Error).message }, 'reminder not delivered'),
      });
      log.info(run, 'overdue reminders sent');
    },
    onError: (err) => log.warn({ err: (err as Error).message }, 'overdue reminder run failed'),
  });
  return {
    stop() {
      schedule.stop();
      for (const close of closers) close();
    },
  };
}
