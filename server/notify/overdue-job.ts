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

/** Whole days past due, at least 1 (the reminder's and the reports' one rule). */
export const daysOverdue = (now: number, dueAt: number): number =>
  Math.max(1, Math.ceil((now - dueAt) / DAY_MS));

export type ReminderBatch = {
  /** One per active person with overdue loans, longest overdue first. */
  reminders: OverdueReminder[];
  /** Every overdue loan, of active and deactivated people. */
  loans: number;
  /** Overdue loans of deactivated people: they get no reminder; the loans stay listed. */
  inactiveLoans: number;
};

/** What a run would send now: the overdue loans grouped by person. Sends nothing. */
export async function collectReminders(store: Store, now: number): Promise<ReminderBatch> {
  const loans = await store.adminLoans({ status: 'overdue', now });
  const byPerson = new Map<string, { r: OverdueReminder; oldest: number } | null>();
  let inactiveLoans = 0;
  for (const l of loans) {
    let entry = byPerson.get(l.userId);
    if (entry === undefined) {
      const user = await store.findUserById(l.userId);
      entry = user?.active
        ? {
            r: { person: { id: user.id, displayName: user.displayName, email: user.email }, loans: [] },
            oldest: l.dueAt,
          }
        : null;
      byPerson.set(l.userId, entry);
    }
    if (!entry) {
      inactiveLoans++;
      continue;
    }
    entry.oldest = Math.min(entry.oldest, l.dueAt);
    entry.r.loans.push({
      loanId: l.id,
      itemTag: l.itemTag,
      itemName: l.itemName,
      borrowedAt: new Date(l.borrowedAt).toISOString(),
      dueAt: new Date(l.dueAt).toISOString(),
      daysOverdue: daysOverdue(now, l.dueAt),
    });
  }
  const reminders = [...byPerson.values()]
    .filter((e) => e !== null)
    .sort((x, y) => x.oldest - y.oldest || (x.r.person.id < y.r.person.id ? -1 : 1))
    .map((e) => e.r);
  return { reminders, loans: loans.length, inactiveLoans };
}

export async function runOverdueReminders(deps: {
  store: Store;
  clock: Clock;
  notifiers: Notifier[];
  onError?: (notifier: string, personId: string, err: unknown) => void;
}): Promise<ReminderRun> {
  const now = deps.clock.now();
  const { reminders, loans } = await collectReminders(deps.store, now);

  let sent = 0;
  let failed = 0;
  for (const reminder of reminders) {
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
  const run = { overdueLoans: loans, sent, failed };
  await deps.store.audit(
    {
      actor: { kind: 'system', id: null, name: 'reminders', via: null },
      action: 'reminders.run',
      targetKind: 'loan',
      targetId: '*',
      detail: `${run.overdueLoans} overdue, ${reminders.length} people, ${sent} sent, ${failed} failed (${
        deps.notifiers.map((n) => n.name).join(', ') || 'no notifier'
      })`,
    },
    now,
  );
  return run;
}
