/** Routes for people (dashboard and API): login and loans. */
import {
  AppError,
  ErrorBody,
  LoansQuery,
  LoansResponse,
  LoginRequest,
  LoginResponse,
  toIso,
} from '../../protocol/index.ts';
import type { App } from '../app.ts';
import type { ServerDeps } from '../deps.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { userGuard } from '../http/auth-guards.ts';

// Verified against when the email is unknown, so both paths cost the same time.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function peopleRoutes(app: App, deps: ServerDeps) {
  app.post(
    '/v1/auth/login',
    { schema: { body: LoginRequest, response: { 200: LoginResponse, 400: ErrorBody, 401: ErrorBody } } },
    async (request) => {
      const user = deps.store.findUserByEmail(request.body.email.trim());
      const ok = await verifyPassword(request.body.password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok || !user.active || !user.passwordHash) {
        throw new AppError('INVALID_CREDENTIALS', 'email or password is wrong');
      }
      const { token, expiresAtMs } = await deps.tokens.issueAccess(user.id, user.role);
      return {
        accessToken: token,
        expiresAt: toIso(expiresAtMs),
        user: { id: user.id, displayName: user.displayName, role: user.role, email: user.email ?? '' },
      };
    },
  );

  app.get(
    '/v1/loans',
    {
      onRequest: userGuard(deps),
      schema: { querystring: LoansQuery, response: { 200: LoansResponse, 401: ErrorBody, 403: ErrorBody } },
    },
    async (request) => {
      const user = request.user!;
      const { status = 'open', itemId } = request.query;
      let { userId } = request.query;
      // Object-level rule: a member sees only their own loans.
      if (user.role === 'member') {
        if (userId && userId !== user.id) throw new AppError('FORBIDDEN', 'not allowed');
        userId = user.id;
      }
      const loans = deps.store.loans({
        status,
        ...(userId ? { userId } : {}),
        ...(itemId ? { itemId } : {}),
      });
      return {
        loans: loans.map((l) => ({
          id: l.id,
          itemId: l.itemId,
          itemName: l.itemName,
          userId: l.userId,
          userName: l.userName,
          kioskId: l.kioskId,
          borrowedAt: toIso(l.borrowedAt),
          dueAt: toIso(l.dueAt),
          returnedAt: l.returnedAt === null ? null : toIso(l.returnedAt),
        })),
      };
    },
  );
}
