/** Routes for people (dashboard and API): the list of people, and loans with object-level rules. */
import {
  AppError,
  ErrorBody,
  IdParams,
  LoansQuery,
  LoansResponse,
  PeopleResponse,
  toIso,
} from '../../protocol/index.ts';
import type { App, FeatureOptions } from '../http/app-type.ts';
import { assertObject, CanReadLoansOf, IsAdmin, userGuard } from '../http/auth-guards.ts';
import type { LoanFilter, OpenLoan } from '../store/store.ts';
import { memberLoanRoutes } from './renewals.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

const loanRecord = (l: OpenLoan) => ({
  id: l.id,
  itemId: l.itemId,
  itemName: l.itemName,
  userId: l.userId,
  userName: l.userName,
  kioskId: l.kioskId,
  borrowedAt: toIso(l.borrowedAt),
  dueAt: toIso(l.dueAt),
  returnedAt: l.returnedAt === null ? null : toIso(l.returnedAt),
});

export async function peopleRoutes(app: App, { deps }: FeatureOptions) {
  // A member's own page: current loans with renewals, past loans paged (issue 16, 17).
  await app.register(memberLoanRoutes, { deps });
  app.get(
    '/v1/people',
    { onRequest: userGuard(deps, IsAdmin), schema: { response: { 200: PeopleResponse, ...errors } } },
    async () => ({
      people: (await deps.store.peopleWithCounts()).map((p) => ({
        id: p.id,
        email: p.email,
        displayName: p.displayName,
        role: p.role,
        active: p.active,
        badgeCount: p.badges,
      })),
    }),
  );

  app.get(
    '/v1/loans',
    {
      onRequest: userGuard(deps),
      schema: { querystring: LoansQuery, response: { 200: LoansResponse, ...errors } },
    },
    async (request) => {
      const user = request.user!;
      const { status = 'open', itemId, userId } = request.query;
      // Object-level rule: without a userId a member gets their own; with another's, 403.
      const owner = userId ?? (user.role === 'member' ? user.id : undefined);
      if (owner !== undefined) assertObject(user, CanReadLoansOf(owner));
      const filter: LoanFilter = {
        status,
        ...(owner ? { userId: owner } : {}),
        ...(itemId ? { itemId } : {}),
      };
      return { loans: (await deps.store.loans(filter)).map(loanRecord) };
    },
  );

  app.get(
    '/v1/people/:id/loans',
    {
      onRequest: userGuard(deps),
      schema: { params: IdParams, querystring: LoansQuery, response: { 200: LoansResponse, ...errors } },
    },
    async (request) => {
      const { id } = request.params;
      // Permission before existence: a member learns nothing about who exists.
      assertObject(request.user!, CanReadLoansOf(id));
      if (!(await deps.store.findUserById(id))) throw new AppError('NOT_FOUND', 'no such person');
      const { status = 'open', itemId, userId } = request.query;
      if (userId !== undefined && userId !== id)
        throw new AppError('BAD_REQUEST', 'userId disagrees with path');
      return {
        loans: (await deps.store.loans({ status, userId: id, ...(itemId ? { itemId } : {}) })).map(
          loanRecord,
        ),
      };
    },
  );
}
