/**
 * The overdue reminder run: list the overdue loans, group them by person, hand each
 * person's reminder to every notifier. One failed delivery does not stop the others; the
 * run is written to the audit log (as the system) with its counts.
 */
import type { Clock } from '../../protocol/index.ts';
import type { Store } from '../store/store.ts';
import type { Notifier, OverdueReminder } from './notifier.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export type ReminderRun = { overdueLoans: number; sent: number; failed: number };

export async function runOverdueReminders(deps: {
  store: Store;
  clock: Clock;
  notifiers: Notifier[];
  onError?: (notifier: string, personId: string, err: unknown) => void;
}): Promise<ReminderRun> {
  const now = deps.clock.now();
  const loans = await deps.store.adminLoans({ status: 'overdue', now });
  const byPerson = new Map<string, OverdueReminder>();
  for (const l of loans) {
    let r = byPerson.get(l.userId);
    if (!r) {
      const user = await deps.store.findUserById(l.userId);
      if (!user?.active) continue; // a deactivated person gets no mail; the loan stays listed
      r = { person: { id: user.id, displayName: user.displayName, email: user.email }, loans: [] };
      byPerson.set(l.userId, r);
    }
    r.loans.push({
      loanId: l.id,
      itemTag: l.itemTag,
      itemName: l.itemName,
      borrowedAt: new Date(l.borrowedAt).toISOString(),
      dueAt: new Date(l.dueAt).toISOString(),
      daysOverdue: Math.max(1, Math.ceil((now - l.dueAt) / DAY_MS)),
    });
  }

  let sent = 0;
  let failed = 0;
  for (const reminder of byPerson.values()) {
    for (const notifier of deps.notifiers) {
      try {
        await notifier.send(reminder);
        sent++;
      } catch (err) {
        failed++;
        deps.onError?.(notifier.name, reminder.person.id, err);
      }
    }
  }
  const run = { overdueLoans: loans.length, sent, failed };
  await deps.store.audit(
    {
      actor: { kind: 'system', id: null, name: 'reminders', via: null },
      action: 'reminders.run',
      targetKind: 'loan',
      targetId: '*',
      detail: `${run.overdueLoans} overdue, ${byPerson.size} people, ${sent} sent, ${failed} failed (${
        deps.notifiers.map((n) => n.name).join(', ') || 'no notifier'
      })`,
    },
    now,
  );
  return run;
}
