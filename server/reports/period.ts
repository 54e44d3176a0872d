/**
 * The period of a usage report: the last N days up to now, or two local calendar dates (both
 * included) in the lending policies' time zone. Anything unreadable, backwards, in the future
 * or longer than REPORT_MAX_DAYS is a typed 400, never a 500 and never a silently cut period.
 */
import { AppError, addDays, atLocal, localDate } from '../../protocol/index.ts';

export const REPORT_MAX_DAYS = 366;
export const DEFAULT_REPORT_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export type Period = { from: number; to: number };

const isCalendarDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && addDays(s, 0) === s;

export function parsePeriod(
  q: { days?: string; from?: string; to?: string },
  now: number,
  timeZone: string,
): Period {
  if (q.days !== undefined) {
    if (q.from !== undefined || q.to !== undefined)
      throw new AppError('REPORT_PERIOD_INVALID', 'give either days or from and to, not both');
    const days = Number(q.days);
    if (!Number.isInteger(days) || days < 1)
      throw new AppError('REPORT_PERIOD_INVALID', 'days must be 1 or more');
    if (days > REPORT_MAX_DAYS)
      throw new AppError('REPORT_PERIOD_TOO_LONG', `a period is at most ${REPORT_MAX_DAYS} days`);
    return { from: now - days * DAY_MS, to: now };
  }
  if (q.from === undefined && q.to === undefined)
    return { from: now - DEFAULT_REPORT_DAYS * DAY_MS, to: now };
  const fromDate = q.from ?? '';
  // Without an end, the period runs to today.
  const toDate = q.to ?? localDate(now, timeZone);
  if (!isCalendarDate(fromDate) || !isCalendarDate(toDate))
    throw new AppError('REPORT_PERIOD_INVALID', 'from and to are calendar dates, YYYY-MM-DD');
  if (toDate < fromDate) throw new AppError('REPORT_PERIOD_INVALID', 'the period ends before it starts');
  const from = atLocal(fromDate, 0, 0, timeZone);
  if (from >= now) throw new AppError('REPORT_PERIOD_INVALID', 'the period starts in the future');
  // Counted in calendar days, so a daylight-saving change does not make a year 367 days.
  let days = 1;
  for (let d = fromDate; d < toDate && days <= REPORT_MAX_DAYS; d = addDays(d, 1)) days++;
  if (days > REPORT_MAX_DAYS)
    throw new AppError('REPORT_PERIOD_TOO_LONG', `a period is at most ${REPORT_MAX_DAYS} days`);
  return { from, to: Math.min(atLocal(addDays(toDate, 1), 0, 0, timeZone), now) };
}
