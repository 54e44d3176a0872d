/**
 * Overdue reminders (and other notices to a person) as JSON POSTs to a webhook (a chat bot, the ERP, a ticket system).
 * fetch is injected; a non-2xx answer or a timeout is a failed delivery.
 */
import type { Notifier, OverdueReminder, PersonNotice } from './notifier.ts';

export type WebhookOptions = { url: string; fetch?: typeof fetch; timeoutMs?: number };

export function webhookNotifier(opts: WebhookOptions): Notifier {
  const doFetch = opts.fetch ?? fetch;
  return {
    name: 'webhook',
    async send(reminder: OverdueReminder) {
      const res = await doFetch(opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'overdue', ...reminder }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      if (!res.ok) throw new Error(`webhook answered HTTP ${res.status}`);
    },
    async tell(notice: PersonNotice) {
      const res = await doFetch(opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(notice),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      if (!res.ok) throw new Error(`webhook answered HTTP ${res.status}`);
    },
  };
}
