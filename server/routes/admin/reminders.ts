/**
 * The overdue reminders (admin): GET /v1/admin/reminders/preview says which channels are
 * configured (and what setting turns on the others) and what a send would do now, sending
 * nothing; POST /v1/admin/reminders/run sends them (the daily job does the same), and is
 * refused with REMINDERS_NOT_CONFIGURED when no channel is set up, instead of "0 sent".
 */
import {
  AppError,
  ReminderPreviewQuery,
  ReminderPreviewResponse,
  RunRemindersResponse,
  type ReminderChannel,
} from '../../../protocol/index.ts';
import type { App } from '../../http/app-type.ts';
import { collectReminders, runOverdueReminders } from '../../notify/overdue-job.ts';
import type { OverdueReminder } from '../../notify/notifier.ts';
import { ERRORS, type AdminFeatureOptions } from './guards.ts';

/** The channels the server knows how to build (notify/from-config.ts) and what turns each on. */
const KNOWN_CHANNELS: { name: string; settings: string[] }[] = [
  { name: 'email', settings: ['RENTAL_SMTP_URL', 'RENTAL_SMTP_FROM'] },
  { name: 'webhook', settings: ['RENTAL_REMINDER_WEBHOOK'] },
];

/** Who a channel reaches: email needs an address (smtp-notifier.ts skips the others). */
function reach(channel: string, reminders: OverdueReminder[]): { people: number; skipped: number } {
  if (channel !== 'email') return { people: reminders.length, skipped: 0 };
  const people = reminders.filter((r) => r.person.email).length;
  return { people, skipped: reminders.length - people };
}

export async function reminderRoutes(app: App, { deps, guards, record }: AdminFeatureOptions) {
  app.get(
    '/v1/admin/reminders/preview',
    {
      onRequest: guards.admin,
      schema: { querystring: ReminderPreviewQuery, response: { 200: ReminderPreviewResponse, ...ERRORS } },
    },
    async (request) => {
      const limit = Math.min(100, Math.max(1, Number(request.query.limit ?? 20)));
      const configured = new Set((deps.notifiers ?? []).map((n) => n.name));
      const batch = await collectReminders(deps.store, deps.clock.now());
      const names = [
        ...KNOWN_CHANNELS,
        ...[...configured]
          .filter((n) => !KNOWN_CHANNELS.some((k) => k.name === n))
          .map((name) => ({ name, settings: [] })),
      ];
      const channels: ReminderChannel[] = names.map((c) => ({
        ...c,
        configured: configured.has(c.name),
        ...reach(c.name, batch.reminders),
      }));
      return {
        canSend: configured.size > 0,
        channels,
        people: batch.reminders.length,
        loans: batch.loans - batch.inactiveLoans,
        inactiveLoans: batch.inactiveLoans,
        sample: batch.reminders.slice(0, limit).map((r) => ({
          userId: r.person.id,
          userName: r.person.displayName,
          email: r.person.email,
          loans: r.loans.map((l) => ({
            itemTag: l.itemTag,
            itemName: l.itemName,
            dueAt: l.dueAt,
            daysOverdue: l.daysOverdue,
          })),
        })),
      };
    },
  );

  app.post(
    '/v1/admin/reminders/run',
    { onRequest: guards.admin, schema: { response: { 200: RunRemindersResponse, ...ERRORS } } },
    async (request) => {
      const notifiers = deps.notifiers ?? [];
      if (notifiers.length === 0)
        throw new AppError('REMINDERS_NOT_CONFIGURED', 'no reminder channel (email, webhook) is configured');
      const run = await runOverdueReminders({
        store: deps.store,
        clock: deps.clock,
        notifiers,
        onError: (notifier, personId, err) =>
          request.log.warn({ notifier, personId, err: (err as Error).message }, 'reminder not delivered'),
      });
      await record(request, {
        action: 'reminders.trigger',
        targetKind: 'loan',
        targetId: '*',
        detail: `${run.sent} sent, ${run.failed} failed`,
      });
      return run;
    },
  );
}
