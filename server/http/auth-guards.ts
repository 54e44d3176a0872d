/**
 * Route guards in the style of Django REST framework's permission classes: each route
 * declares who may call it; the guard authenticates and attaches the principal.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type Role } from '../../protocol/index.ts';
import type { KioskRecord, Store, UserRecord } from '../store/store.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { KioskAuthenticator } from '../auth/kiosk-assertion.ts';

declare module 'fastify' {
  interface FastifyRequest {
    kiosk?: KioskRecord;
    user?: UserRecord;
  }
}

export type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export function kioskGuard(authenticate: KioskAuthenticator): Guard {
  return async (request) => {
    request.kiosk = await authenticate(request.headers.authorization);
  };
}

export function userGuard(deps: { tokens: TokenService; store: Store }, roles?: Role[]): Guard {
  return async (request) => {
    const match = /^Bearer ([A-Za-z0-9_.-]{1,4096})$/.exec(request.headers.authorization ?? '');
    if (!match) throw new AppError('UNAUTHENTICATED', 'authentication required');
    const { userId } = await deps.tokens.verifyAccess(match[1]!);
    const user = deps.store.findUserById(userId);
    if (!user || !user.active) throw new AppError('UNAUTHENTICATED', 'authentication required');
    if (roles && !roles.includes(user.role)) throw new AppError('FORBIDDEN', 'not allowed');
    request.user = user;
  };
}
