/**
 * The dashboard's Reports and Reminders pages (issue 17): overdue loans by person and by
 * category, usage per item over a period, and what an overdue reminder run would send.
 * Times leave as ISO strings; the CSV exports of the same reports are text (see the routes).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Id, Strict, Timestamp } from './common.ts';
import { SAFE_LINE } from '../text.ts';

/** The language of a CSV export's header row (the dashboard's chosen one). */
export const ReportLang = Type.Union([Type.Literal('ko'), Type.Literal('en')]);
export type ReportLang = Static<typeof ReportLang>;

/** Loose on purpose: a bad date is answered with REPORT_PERIOD_INVALID, not a schema error. */
const LocalDate = Type.String({ maxLength: 40 });
const Count = Type.String({ pattern: '^[0-9]{1,6}$' });

export const OverdueReportQuery = Strict({
  category: Type.Optional(Type.String({ maxLength: 200, pattern: SAFE_LINE })),
  /** At most this many people (1-1000, 200 when absent). */
  limit: Type.Optional(Count),
  lang: Type.Optional(ReportLang),
});
export type OverdueReportQuery = Static<typeof OverdueReportQuery>;

export const OverduePersonRow = Strict({
  userId: Id,
  userName: Type.String(),
  loans: Type.Integer(),
  oldestDueAt: Timestamp,
  /** Whole days (at least 1) since the oldest due time. */
  daysOverdue: Type.Integer(),
});
export type OverduePersonRow = Static<typeof OverduePersonRow>;

export const OverdueCategoryRow = Strict({
  category: Type.String(),
  loans: Type.Integer(),
  people: Type.Integer(),
  oldestDueAt: Timestamp,
  daysOverdue: Type.Integer(),
});
export type OverdueCategoryRow = Static<typeof OverdueCategoryRow>;

export const OverdueReportResponse = Strict({
  asOf: Timestamp,
  /** The lending policies' time zone, in which the CSV export writes its times. */
  timeZone: Type.String(),
  /** Over every person, whatever the limit. */
  people: Type.Integer(),
  loans: Type.Integer(),
  byPerson: Type.Array(OverduePersonRow),
  byCategory: Type.Array(OverdueCategoryRow),
});
export type OverdueReportResponse = Static<typeof OverdueReportResponse>;

export const UsageReportQuery = Strict({
  /** The last N days up to now (1-366); or `from` and `to`, local dates (YYYY-MM-DD, both included). */
  days: Type.Optional(Count),
  from: Type.Optional(LocalDate),
  to: Type.Optional(LocalDate),
  category: Type.Optional(Type.String({ maxLength: 200, pattern: SAFE_LINE })),
  /** At most this many items (1-1000, 200 when absent). */
  limit: Type.Optional(Count),
  lang: Type.Optional(ReportLang),
});
export type UsageReportQuery = Static<typeof UsageReportQuery>;

export const UsageRow = Strict({
  itemId: Id,
  tag: Type.String(),
  name: Type.String(),
  category: Type.String(),
  /** Loans that started in the period. */
  loans: Type.Integer(),
  /** Days on loan inside the period, to one decimal. */
  daysOnLoan: Type.Number(),
  /** Share of the period the item was on loan, 0-1. */
  share: Type.Number(),
});
export type UsageRow = Static<typeof UsageRow>;

export const UsageReportResponse = Strict({
  from: Timestamp,
  /** The period's end (now, when it reaches past now). */
  to: Timestamp,
  timeZone: Type.String(),
  /** Items not retired (in the category) and how many of them were lent in the period. */
  items: Type.Integer(),
  itemsUsed: Type.Integer(),
  rows: Type.Array(UsageRow),
});
export type UsageReportResponse = Static<typeof UsageReportResponse>;

// ---------- reminders ----------

export const ReminderChannel = Strict({
  /** `email`, `webhook` (or another notifier's name). */
  name: Type.String(),
  configured: Type.Boolean(),
  /** The settings (environment variables) that turn it on. */
  settings: Type.Array(Type.String()),
  /** People a send would reach on this channel (email: those with an address). */
  people: Type.Integer(),
  /** People it would skip (email: no address). */
  skipped: Type.Integer(),
});
export type ReminderChannel = Static<typeof ReminderChannel>;

export const ReminderPreviewQuery = Strict({
  /** How many people to list (1-100, 20 when absent). */
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
});
export type ReminderPreviewQuery = Static<typeof ReminderPreviewQuery>;

export const ReminderPreviewPerson = Strict({
  userId: Id,
  userName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  loans: Type.Array(
    Strict({
      itemTag: Type.String(),
      itemName: Type.String(),
      dueAt: Timestamp,
      daysOverdue: Type.Integer(),
    }),
  ),
});
export type ReminderPreviewPerson = Static<typeof ReminderPreviewPerson>;

export const ReminderPreviewResponse = Strict({
  /** True when at least one channel is configured (otherwise a send is refused). */
  canSend: Type.Boolean(),
  channels: Type.Array(ReminderChannel),
  /** Active people with overdue loans, and those loans. */
  people: Type.Integer(),
  loans: Type.Integer(),
  /** Overdue loans of deactivated people: listed, never reminded. */
  inactiveLoans: Type.Integer(),
  /** The first people (longest overdue first), with their overdue items. */
  sample: Type.Array(ReminderPreviewPerson),
});
export type ReminderPreviewResponse = Static<typeof ReminderPreviewResponse>;
