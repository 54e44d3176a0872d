/** Admin routes for kiosks: create one (with its one-time enrollment code) and revoke one. */
import {
  AppError,
  ErrorBody,
  IdParams,
  KioskCreateRequest,
  KioskCreateResponse,
  KioskRevokeResponse,
  toIso,
} from '../../protocol/index.ts';
import type { App } from '../app.ts';
import type { ServerDeps } from '../deps.ts';
import { createKioskWithCode, ENROLLMENT_TTL_MS } from '../auth/enrollment.ts';
import { IsAdmin, userGuard } from '../http/auth-guards.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export function kioskAdminRoutes(app: App, deps: ServerDeps) {
  const onRequest = userGuard(deps, IsAdmin);

  app.post(
    '/v1/kiosks',
    { onRequest, schema: { body: KioskCreateRequest, response: { 200: KioskCreateResponse, ...errors } } },
    async (request, reply) => {
      const now = deps.clock.now();
      const { kiosk, code } = createKioskWithCode(deps.store, request.body.name.trim(), now);
      request.log.info({ kioskId: kiosk.id, by: request.user!.id }, 'kiosk created');
      reply.header('cache-control', 'no-store');
      return { kioskId: kiosk.id, name: kiosk.name, code, expiresAt: toIso(now + ENROLLMENT_TTL_MS) };
    },
  );

  app.post(
    '/v1/kiosks/:id/revoke',
    { onRequest, schema: { params: IdParams, response: { 200: KioskRevokeResponse, ...errors } } },
    async (request) => {
      const now = deps.clock.now();
      if (!deps.store.revokeKiosk(request.params.id, now)) {
        throw new AppError('NOT_FOUND', 'no active kiosk with that id');
      }
      request.log.warn({ kioskId: request.params.id, by: request.user!.id }, 'kiosk revoked');
      return { kioskId: request.params.id, revokedAt: toIso(now) };
    },
  );
}
