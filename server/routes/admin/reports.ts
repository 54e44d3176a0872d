/**
 * GET /v1/admin/reports/...: the Reports page (admin and staff). Overdue loans by person and
 * by category, usage per item over a period; each also as CSV (UTF-8 with a BOM like every
 * export here, headers in the dashboard's language, times in the lending policies' time zone).
 * The work is done in the store's SQL; the rows are bounded by a limit, the period by
 * REPORT_MAX_DAYS.
 */
import {
  OverdueReportQuery,
  OverdueReportResponse,
  UsageReportQuery,
  UsageReportResponse,
  toIso,
  type ReportLang,
  type UsageRow,
} from '../../../protocol/index.ts';
import type { App } from '../../http/app-type.ts';
import { daysOverdue } from '../../notify/overdue-job.ts';
import { currentPolicies } from '../../policies/policies.ts';
import { header, localDateTime } from '../../reports/csv-words.ts';
import { parsePeriod, type Period } from '../../reports/period.ts';
import type { ItemUsageRow } from '../../store/report-store.ts';
import { toCsv } from './csv.ts';
import { CsvText, ERRORS, type AdminFeatureOptions } from './guards.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE_LIMIT = 200;
const MAX_PAGE_LIMIT = 1000;
/** A CSV holds every row, up to the size of a very large equipment room. */
const CSV_LIMIT = 100_000;

const pageLimit = (raw: string | undefined) =>
  raw === undefined ? PAGE_LIMIT : Math.min(MAX_PAGE_LIMIT, Math.max(1, Number(raw)));

const round1 = (n: number) => Math.round(n * 10) / 10;

function usageRow(r: ItemUsageRow, p: Period): UsageRow {
  return {
    itemId: r.itemId,
    tag: r.tag,
    name: r.name,
    category: r.category,
    loans: r.loans,
    daysOnLoan: round1(r.msOnLoan / DAY_MS),
    share: p.to > p.from ? Math.min(1, r.msOnLoan / (p.to - p.from)) : 0,
  };
}

function csvReply(reply: { type(t: string): unknown; header(k: string, v: string): unknown }, name: string) {
  reply.type('text/csv; charset=utf-8');
  reply.header('content-disposition', `attachment; filename="${name}"`);
  reply.header('cache-control', 'no-store');
}

export async function reportRoutes(app: App, { deps, guards }: AdminFeatureOptions) {
  const timeZone = async () => (await currentPolicies(deps.store, deps.maxLoansPerPerson)).policies.timeZone;

  const overdue = async (q: OverdueReportQuery, limit: number) => {
    const now = deps.clock.now();
    const [byPerson, byCategory, tz] = await Promise.all([
      deps.store.overdueByPerson({ now, limit, ...(q.category ? { category: q.category } : {}) }),
      deps.store.overdueByCategory(now),
      timeZone(),
    ]);
    return { now, tz, byPerson, byCategory };
  };

  const usage = async (q: UsageReportQuery, limit: number) => {
    const now = deps.clock.now();
    const tz = await timeZone();
    const period = parsePeriod(q, now, tz);
    const result = await deps.store.itemUsage({
      ...period,
      limit,
      ...(q.category ? { category: q.category } : {}),
    });
    return { tz, period, result };
  };

  app.get(
    '/v1/admin/reports/overdue',
    {
      onRequest: guards.staff,
      schema: { querystring: OverdueReportQuery, response: { 200: OverdueReportResponse, ...ERRORS } },
    },
    async (request) => {
      const { now, tz, byPerson, byCategory } = await overdue(request.query, pageLimit(request.query.limit));
      return {
        asOf: toIso(now),
        timeZone: tz,
        people: byPerson.people,
        loans: byPerson.loans,
        byPerson: byPerson.rows.map((r) => ({
          userId: r.userId,
          userName: r.userName,
          loans: r.loans,
          oldestDueAt: toIso(r.oldestDueAt),
          daysOverdue: daysOverdue(now, r.oldestDueAt),
        })),
        byCategory: byCategory.map((r) => ({
          category: r.category,
          loans: r.loans,
          people: r.people,
          oldestDueAt: toIso(r.oldestDueAt),
          daysOverdue: daysOverdue(now, r.oldestDueAt),
        })),
      };
    },
  );

  app.get(
    '/v1/admin/reports/overdue-by-person.csv',
    {
      onRequest: guards.staff,
      schema: { querystring: OverdueReportQuery, response: { 200: CsvText, ...ERRORS } },
    },
    async (request, reply) => {
      const lang: ReportLang = request.query.lang ?? 'ko';
      const { now, tz, byPerson } = await overdue(request.query, CSV_LIMIT);
      csvReply(reply, 'overdue-by-person.csv');
      return toCsv(byPerson.rows, [
        [header(lang, 'person'), (r) => r.userName],
        [header(lang, 'email'), (r) => r.email],
        [header(lang, 'overdueLoans'), (r) => r.loans],
        [header(lang, 'oldestDue'), (r) => localDateTime(r.oldestDueAt, tz)],
        [header(lang, 'daysOverdue'), (r) => daysOverdue(now, r.oldestDueAt)],
      ]);
    },
  );

  app.get(
    '/v1/admin/reports/overdue-by-category.csv',
    {
      onRequest: guards.staff,
      schema: { querystring: OverdueReportQuery, response: { 200: CsvText, ...ERRORS } },
    },
    async (request, reply) => {
      const lang: ReportLang = request.query.lang ?? 'ko';
      const now = deps.clock.now();
      const [byCategory, tz] = await Promise.all([deps.store.overdueByCategory(now), timeZone()]);
      csvReply(reply, 'overdue-by-category.csv');
      return toCsv(byCategory, [
        [header(lang, 'category'), (r) => r.category],
        [header(lang, 'overdueLoans'), (r) => r.loans],
        [header(lang, 'people'), (r) => r.people],
        [header(lang, 'oldestDue'), (r) => localDateTime(r.oldestDueAt, tz)],
        [header(lang, 'daysOverdue'), (r) => daysOverdue(now, r.oldestDueAt)],
      ]);
    },
  );

  app.get(
    '/v1/admin/reports/usage',
    {
      onRequest: guards.staff,
      schema: { querystring: UsageReportQuery, response: { 200: UsageReportResponse, ...ERRORS } },
    },
    async (request) => {
      const { tz, period, result } = await usage(request.query, pageLimit(request.query.limit));
      return {
        from: toIso(period.from),
        to: toIso(period.to),
        timeZone: tz,
        items: result.items,
        itemsUsed: result.itemsUsed,
        rows: result.rows.map((r) => usageRow(r, period)),
      };
    },
  );

  app.get(
    '/v1/admin/reports/usage.csv',
    {
      onRequest: guards.staff,
      schema: { querystring: UsageReportQuery, response: { 200: CsvText, ...ERRORS } },
    },
    async (request, reply) => {
      const lang: ReportLang = request.query.lang ?? 'ko';
      const { tz, period, result } = await usage(request.query, CSV_LIMIT);
      const from = localDateTime(period.from, tz);
      const to = localDateTime(period.to, tz);
      csvReply(reply, 'usage.csv');
      return toCsv(
        result.rows.map((r) => usageRow(r, period)),
        [
          [header(lang, 'tag'), (r) => r.tag],
          [header(lang, 'item'), (r) => r.name],
          [header(lang, 'category'), (r) => r.category],
          [header(lang, 'loans'), (r) => r.loans],
          [header(lang, 'daysOnLoan'), (r) => r.daysOnLoan],
          [header(lang, 'share'), (r) => round1(r.share * 100)],
          [header(lang, 'periodFrom'), () => from],
          [header(lang, 'periodTo'), () => to],
        ],
      );
    },
  );
}
