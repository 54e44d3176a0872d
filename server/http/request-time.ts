/**
 * Moments a request names (wire Timestamps: `2026-03-01T09:00:00.000Z`), as ms. The schema's
 * pattern admits month 13 or hour 99, which parse to nothing, and February 30, which Date
 * quietly reads as March 2: either way a filter would answer "nothing found" (or the wrong
 * days) where the request itself is wrong. Every route that reads a moment from a request
 * reads it here, so each such request is refused alike with a BAD_REQUEST that says which.
 */
import { AppError, fromIso, toIso } from '../../protocol/index.ts';

/** `iso` in ms; BAD_REQUEST naming `what` when it is no real moment. */
export function requestMoment(iso: string, what: string): number {
  const ms = fromIso(iso);
  // A real moment in this form reads back the same; a rolled-over date does not.
  if (!Number.isFinite(ms) || toIso(ms) !== iso) throw new AppError('BAD_REQUEST', `${what} is no date`);
  return ms;
}

/** A list filter's `from` and `to`, each optional: BAD_REQUEST when either is no date, DATE_RANGE_INVALID when `from` is after `to`. */
export function requestRange(q: { from?: string; to?: string }): { from?: number; to?: number } {
  const from = q.from !== undefined ? requestMoment(q.from, 'from') : undefined;
  const to = q.to !== undefined ? requestMoment(q.to, 'to') : undefined;
  if (from !== undefined && to !== undefined && from > to)
    throw new AppError('DATE_RANGE_INVALID', 'from is after to');
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}
