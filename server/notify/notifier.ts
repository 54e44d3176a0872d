/**
 * The notifier port for overdue reminders: one reminder per person, with every overdue loan
 * of theirs. Adapters: webhook (webhook-notifier.ts) and email over SMTP (smtp-notifier.ts).
 * A notifier throws when a reminder could not be delivered; the job counts it and goes on.
 */
export type OverdueLoan = {
  loanId: string;
  itemTag: string;
  itemName: string;
  borrowedAt: string;
  dueAt: string;
  daysOverdue: number;
};

export type OverdueReminder = {
  person: { id: string; displayName: string; email: string | null };
  loans: OverdueLoan[];
};

/** Something a person is told besides overdue loans (a reservation that expired unpicked). */
export type PersonNotice = {
  type: 'reservation.expired';
  person: { id: string; displayName: string; email: string | null };
  subject: string;
  text: string;
};

export type Notifier = {
  /** For logs and the audit log: `webhook`, `email`. */
  readonly name: string;
  send(reminder: OverdueReminder): Promise<void>;
  /** Tell one person something (absent: this channel carries overdue reminders only). */
  tell?(notice: PersonNotice): Promise<void>;
};

/** The reminder's words, Korean first and English after (a person's language is not stored). */
export function reminderText(r: OverdueReminder): { subject: string; text: string } {
  const lines = r.loans.map(
    (l) =>
      `- ${l.itemName} (${l.itemTag}): ${l.dueAt.slice(0, 10)} · ${l.daysOverdue}일 / ${l.daysOverdue} day(s)`,
  );
  return {
    subject: `[장비 대여] 반납 기한이 지난 물품 ${r.loans.length}건 / Overdue equipment (${r.loans.length})`,
    text: [
      `${r.person.displayName}님, 반납 기한이 지난 물품이 있습니다. 가까운 키오스크에서 반납해 주세요.`,
      '',
      ...lines,
      '',
      `${r.person.displayName}, these items are past their due date. Please return them at a kiosk.`,
    ].join('\n'),
  };
}
