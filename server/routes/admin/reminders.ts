/** POST /v1/admin/reminders/run: send the overdue reminders now (the daily job does the same). */
import { RunRemindersResponse } from '../../../protocol/index.ts';
import type { App } from '../../app.ts';
import type { Recorder } from '../../audit/record.ts';
import type { ServerDeps } from '../../deps.ts';
import { runOverdueReminders } from '../../notify/overdue-job.ts';
import { ERRORS, type AdminGuards } from './guards.ts';

export function reminderRoutes(app: App, deps: ServerDeps, guards: AdminGuards, record: Recorder) {
  app.post(
    '/v1/admin/reminders/run',
    { onRequest: guards.admin, schema: { response: { 200: RunRemindersResponse, ...ERRORS } } },
    async (request) => {
      const run = await runOverdueReminders({
        store: deps.store,
        clock: deps.clock,
        notifiers: deps.notifiers ?? [],
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
