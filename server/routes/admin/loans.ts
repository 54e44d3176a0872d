/** Loans: filtered list, CSV export, and closing a loan by hand (staff), which is audited. */
import {
  AdminLoansQuery,
  AdminLoansResponse,
  AppError,
  CloseLoanRequest,
  IdParams,
  LoanResponse,
  type AdminLoansQuery as Query,
} from '../../../protocol/index.ts';
import type { App } from '../../http/app-type.ts';
import type { AdminLoanFilter } from '../../store/admin-store.ts';
import { toCsv } from './csv.ts';
import { pageLimit, readCursor, writeCursor, type Cursor } from './list-paging.ts';
import { CsvText, ERRORS, type AdminFeatureOptions } from './guards.ts';
import { presentLoan } from './present.ts';
import { staffRenewalRoutes } from '../renewals.ts';
import { requestRange } from '../../http/request-time.ts';

function filterOf(q: Query, now: number): AdminLoanFilter {
  return {
    status: q.status ?? 'open',
    now,
    ...(q.userId ? { userId: q.userId } : {}),
    ...(q.itemId ? { itemId: q.itemId } : {}),
    ...(q.kioskId ? { kioskId: q.kioskId } : {}),
    ...requestRange(q),
  };
}

/** A loans page starts after a borrow time (ms) and loan id. */
function loanCursor(c: Cursor): { at: number; id: string } {
  const at = Number(c.value);
  if (!Number.isSafeInteger(at))
    throw new AppError('BAD_REQUEST', 'this page link is not valid; start from the first page');
  return { at, id: c.id };
}

export async function loanRoutes(app: App, { deps, guards, record }: AdminFeatureOptions) {
  // Staff renew anyone's loan (audited in the same transaction): GET .../renewal, POST .../renew.
  await app.register(staffRenewalRoutes, { deps, staff: guards.staff });
  app.get(
    '/v1/admin/loans',
    {
      onRequest: guards.staff,
      schema: { querystring: AdminLoansQuery, response: { 200: AdminLoansResponse, ...ERRORS } },
    },
    async (request) => {
      const now = deps.clock.now();
      const filter = filterOf(request.query, now);
      const limit = pageLimit(request.query.limit);
      const after = request.query.after ? loanCursor(readCursor(request.query.after)) : null;
      const rows = await deps.store.adminLoans({ ...filter, after, limit: limit + 1 });
      const loans = rows.slice(0, limit);
      const last = loans[loans.length - 1];
      return {
        loans: loans.map((l) => presentLoan(l, now)),
        total: await deps.store.countAdminLoans(filter),
        next:
          rows.length > limit && last ? writeCursor({ value: String(last.borrowedAt), id: last.id }) : null,
      };
    },
  );

  app.get(
    '/v1/admin/loans.csv',
    {
      onRequest: guards.staff,
      schema: { querystring: AdminLoansQuery, response: { 200: CsvText, ...ERRORS } },
    },
    async (request, reply) => {
      const now = deps.clock.now();
      const loans = (await deps.store.adminLoans(filterOf(request.query, now))).map((l) =>
        presentLoan(l, now),
      );
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="loans.csv"')
        .header('cache-control', 'no-store');
      return toCsv(loans, [
        ['loanId', (l) => l.id],
        ['itemTag', (l) => l.itemTag],
        ['itemName', (l) => l.itemName],
        ['personId', (l) => l.userId],
        ['person', (l) => l.userName],
        ['kiosk', (l) => l.kioskName ?? l.kioskId],
        ['borrowedAt', (l) => l.borrowedAt],
        ['dueAt', (l) => l.dueAt],
        ['returnedAt', (l) => l.returnedAt],
        ['overdue', (l) => (l.overdue ? 'yes' : 'no')],
      ]);
    },
  );

  app.post(
    '/v1/admin/loans/:id/close',
    {
      onRequest: guards.staff,
      schema: { params: IdParams, body: CloseLoanRequest, response: { 200: LoanResponse, ...ERRORS } },
    },
    async (request) => {
      const now = deps.clock.now();
      const loan = await deps.store.findAdminLoan(request.params.id);
      if (!loan) throw new AppError('NOT_FOUND', 'no such loan');
      if (!(await deps.store.closeLoanManually(loan.id, now)))
        throw new AppError('ITEM_NOT_ON_LOAN', 'loan already closed');
      await record(request, {
        action: 'loan.close',
        targetKind: 'loan',
        targetId: loan.id,
        detail: `${loan.itemName} · ${loan.userName} · ${request.body.note}`,
      });
      return { loan: presentLoan((await deps.store.findAdminLoan(loan.id))!, now) };
    },
  );
}
