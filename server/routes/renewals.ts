/**
 * Renewing loans from the dashboard (protocol/wire/renewals.ts): a member's own current and
 * past loans with a renew action, and staff renewing anyone's from the loans page. The rule
 * is protocol/renewals.ts, applied by server/sync/renewal.ts in one transaction with its
 * audit entry; a refusal is a typed 409/403 naming the rule, nothing saved.
 */
import {
  MyCurrentLoansResponse,
  MyPastLoansQuery,
  MyPastLoansResponse,
  RenewalPreviewResponse,
  RenewRequest,
  RenewResponse,
  IdParams,
  ErrorBody,
  toIso,
  type RenewalPreview,
  type RenewalRefusalBody,
  type RenewalVerdict,
} from '../../protocol/index.ts';
import type { FastifyRequest } from 'fastify';
import type { App, FeatureOptions } from '../http/app-type.ts';
import { actorOf } from '../audit/record.ts';
import type { ServerDeps } from '../deps.ts';
import { sseRoutes } from '../events/sse-route.ts';
import { configuredGraceMs } from '../reservations/reserve.ts';
import { userGuard, type Guard } from '../http/auth-guards.ts';
import { currentPolicies } from '../policies/policies.ts';
import type { OpenLoan } from '../store/store.ts';
import { previewRenewal, renewFromDashboard } from '../sync/renewal.ts';
import { pageLimit, readCursor, writeCursor } from './admin/list-paging.ts';
import { requestMoment } from '../http/request-time.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function presentRenewal(loan: OpenLoan, verdict: RenewalVerdict, limit: number): RenewalPreview {
  let refusal: RenewalRefusalBody | null = null;
  if (!verdict.ok) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(verdict.refusal))
      out[k] = k === 'dueAt' && typeof v === 'number' ? toIso(v) : v;
    refusal = out as RenewalRefusalBody;
  }
  return {
    loanId: loan.id,
    itemName: loan.itemName,
    userName: loan.userName,
    dueAt: toIso(loan.dueAt),
    renewals: loan.renewals,
    limit,
    newDueAt: verdict.ok ? toIso(verdict.dueAt) : null,
    refusal,
  };
}

/** The routes for one audience: members their own loans, staff anyone's. */
/** The rules a renewal is judged by: the policies in force, the overall limit, the pickup grace. */
async function renewalRules(deps: ServerDeps) {
  const { policies } = await currentPolicies(deps.store, deps.maxLoansPerPerson);
  return { policies, maxLoans: deps.maxLoansPerPerson, pickupGraceMs: configuredGraceMs(deps) };
}

function renewRoutes(
  app: App,
  deps: ServerDeps,
  opts: {
    guard: Guard;
    preview: string;
    renew: string;
    ownerOnly: (request: FastifyRequest) => string | null;
  },
) {
  const rules = () => renewalRules(deps);
  app.get(
    opts.preview,
    {
      onRequest: opts.guard,
      schema: { params: IdParams, response: { 200: RenewalPreviewResponse, ...errors } },
    },
    async (request) => {
      const { loan, verdict, limit } = await previewRenewal(deps.store, {
        loanId: request.params.id,
        ownerOnly: opts.ownerOnly(request),
        now: deps.clock.now(),
        ...(await rules()),
      });
      return { renewal: presentRenewal(loan, verdict, limit) };
    },
  );
  app.post(
    opts.renew,
    {
      onRequest: opts.guard,
      // A client that sends no body at all (as before the due date was asked for) renews as ever.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: { params: IdParams, body: RenewRequest, response: { 200: RenewResponse, ...errors } },
    },
    async (request) => {
      const now = deps.clock.now();
      const r = await rules();
      const ownerOnly = opts.ownerOnly(request);
      const seen = request.body?.dueAt;
      const renewed = await renewFromDashboard(deps.store, {
        loanId: request.params.id,
        ownerOnly,
        actor: actorOf(request),
        now,
        ...(seen !== undefined ? { expectDueAt: requestMoment(seen, 'dueAt') } : {}),
        ...r,
      });
      if (renewed) deps.events.emit({ type: 'change', what: 'loan' });
      const { loan, verdict, limit } = await previewRenewal(deps.store, {
        loanId: request.params.id,
        ownerOnly,
        now,
        ...r,
      });
      return { renewal: presentRenewal(loan, verdict, limit) };
    },
  );
}

/** Staff (the loans page): renew anyone's loan. Registered by the admin loan routes. */
export async function staffRenewalRoutes(app: App, { deps, staff }: FeatureOptions & { staff: Guard }) {
  renewRoutes(app, deps, {
    guard: staff,
    preview: '/v1/admin/loans/:id/renewal',
    renew: '/v1/admin/loans/:id/renew',
    ownerOnly: () => null,
  });
}

/** A member's own page: current loans (with what renewing each would do), past loans paged, renew. */
export async function memberLoanRoutes(app: App, { deps }: FeatureOptions) {
  const guard = userGuard(deps);
  // Live like the other pages: a bare tick on any change, and the page reloads its own loans.
  await app.register(sseRoutes, {
    deps,
    guard,
    stream: {
      path: '/v1/people/me/events',
      allows: () => true,
      present: () => ({ type: 'change', what: 'loans' }),
    },
  });
  renewRoutes(app, deps, {
    guard,
    preview: '/v1/people/me/loans/:id/renewal',
    renew: '/v1/people/me/loans/:id/renew',
    ownerOnly: (request) => request.user!.id,
  });

  app.get(
    '/v1/people/me/loans/current',
    { onRequest: guard, schema: { response: { 200: MyCurrentLoansResponse, ...errors } } },
    async (request) => {
      const me = request.user!.id;
      const now = deps.clock.now();
      const rules = await renewalRules(deps);
      const loans = await deps.store.openLoansOf(me);
      const out = [];
      for (const l of loans) {
        const { verdict, limit } = await previewRenewal(deps.store, {
          loanId: l.id,
          ownerOnly: me,
          now,
          ...rules,
        });
        out.push({
          id: l.id,
          itemId: l.itemId,
          itemName: l.itemName,
          borrowedAt: toIso(l.borrowedAt),
          dueAt: toIso(l.dueAt),
          overdue: l.dueAt < now,
          renewal: presentRenewal(l, verdict, limit),
        });
      }
      return { loans: out };
    },
  );

  app.get(
    '/v1/people/me/loans/past',
    {
      onRequest: guard,
      schema: { querystring: MyPastLoansQuery, response: { 200: MyPastLoansResponse, ...errors } },
    },
    async (request) => {
      const me = request.user!.id;
      const now = deps.clock.now();
      const limit = pageLimit(request.query.limit);
      const after = request.query.after ? readCursor(request.query.after) : null;
      const at = after ? Number(after.value) : null;
      const filter = { status: 'returned' as const, now, userId: me };
      const rows = await deps.store.adminLoans({
        ...filter,
        after: after && Number.isSafeInteger(at) ? { at: at!, id: after.id } : null,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        loans: page.map((l) => ({
          id: l.id,
          itemId: l.itemId,
          itemName: l.itemName,
          itemTag: l.itemTag,
          borrowedAt: toIso(l.borrowedAt),
          dueAt: toIso(l.dueAt),
          returnedAt: toIso(l.returnedAt ?? l.dueAt),
          late: l.returnedAt !== null && l.returnedAt > l.dueAt,
        })),
        total: await deps.store.countAdminLoans(filter),
        next:
          rows.length > limit && last ? writeCursor({ value: String(last.borrowedAt), id: last.id }) : null,
      };
    },
  );
}
