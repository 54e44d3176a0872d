/**
 * Overdue reminders, and notices to one person (a reservation that expired unpicked), by email
 * over SMTP (nodemailer). The connection URL carries host, port, TLS and credentials
 * (smtp://user:pass@host:587, smtps://... for implicit TLS); it is a secret and never logged.
 * People without an email address are skipped, not failed.
 */
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { reminderText, type Notifier, type OverdueReminder, type PersonNotice } from './notifier.ts';

export type SmtpOptions = {
  /** smtp:// or smtps:// URL, or transport options (tests pass a loopback sink). */
  transport: string | SMTPTransport.Options;
  from: string;
};

export function smtpNotifier(opts: SmtpOptions): Notifier & { close(): void } {
  const transporter = nodemailer.createTransport(opts.transport);
  return {
    name: 'email',
    async send(reminder: OverdueReminder) {
      if (!reminder.person.email) return;
      const { subject, text } = reminderText(reminder);
      await transporter.sendMail({ from: opts.from, to: reminder.person.email, subject, text });
    },
    async tell(notice: PersonNotice) {
      if (!notice.person.email) return;
      await transporter.sendMail({
        from: opts.from,
        to: notice.person.email,
        subject: notice.subject,
        text: notice.text,
      });
    },
    close: () => transporter.close(),
  };
}
