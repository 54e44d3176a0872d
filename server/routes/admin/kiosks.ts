/**
 * Kiosks: list with live health, create (the enrollment code is shown once), a new code for a
 * kiosk that lost its key, revoke.
 */
import {
  AdminKiosksResponse,
  AppError,
  CreateKioskRequest,
  CreateKioskResponse,
  IdParams,
  KioskResponse,
  toIso,
} from '../../../protocol/index.ts';
import type { App } from '../../http/app-type.ts';
import { createKioskWithCode, ENROLLMENT_TTL_MS, renewKioskCode } from '../../auth/enrollment.ts';
import { ERRORS, type AdminFeatureOptions } from './guards.ts';
import { presentKiosk } from './present.ts';

export async function kioskAdminRoutes(app: App, { deps, guards, record }: AdminFeatureOptions) {
  const { store } = deps;
  const kioskNow = async (id: string, now: number) => {
    const k = (await store.listKiosks()).find((x) => x.id === id);
    if (!k) throw new AppError('NOT_FOUND', 'no such kiosk');
    return presentKiosk(k, now);
  };

  app.get(
    '/v1/admin/kiosks',
    { onRequest: guards.staff, schema: { response: { 200: AdminKiosksResponse, ...ERRORS } } },
    async () => {
      const now = deps.clock.now();
      return { kiosks: (await store.listKiosks()).map((k) => presentKiosk(k, now)), serverTime: toIso(now) };
    },
  );

  app.post(
    '/v1/admin/kiosks',
    {
      onRequest: guards.admin,
      schema: { body: CreateKioskRequest, response: { 200: CreateKioskResponse, ...ERRORS } },
    },
    async (request, reply) => {
      const now = deps.clock.now();
      const { kiosk, code } = await createKioskWithCode(store, request.body.name, now);
      await record(request, {
        action: 'kiosk.create',
        targetKind: 'kiosk',
        targetId: kiosk.id,
        detail: kiosk.name,
      });
      // The code exists in clear only in this response: nothing may cache it.
      reply.header('cache-control', 'no-store');
      return {
        kiosk: await kioskNow(kiosk.id, now),
        enrollmentCode: code,
        expiresAt: toIso(now + ENROLLMENT_TTL_MS),
      };
    },
  );

  app.post(
    '/v1/admin/kiosks/:id/revoke',
    { onRequest: guards.admin, schema: { params: IdParams, response: { 200: KioskResponse, ...ERRORS } } },
    async (request) => {
      const now = deps.clock.now();
      const before = await kioskNow(request.params.id, now);
      // Refused from its next call, and its roster key rotated with it (the store does both at once).
      if (!(await store.revokeKiosk(before.id, now)))
        throw new AppError('ALREADY_EXISTS', 'kiosk already revoked');
      await record(request, {
        action: 'kiosk.revoke',
        targetKind: 'kiosk',
        targetId: before.id,
        detail: before.name,
      });
      return { kiosk: await kioskNow(before.id, now) };
    },
  );

  app.post(
    '/v1/admin/kiosks/:id/enrollment-code',
    {
      onRequest: guards.admin,
      schema: { params: IdParams, response: { 200: CreateKioskResponse, ...ERRORS } },
    },
    async (request, reply) => {
      const now = deps.clock.now();
      const renewed = await renewKioskCode(store, request.params.id, now);
      if (!renewed) throw new AppError('NOT_FOUND', 'no active kiosk with this id');
      await record(request, {
        action: 'kiosk.rekey',
        targetKind: 'kiosk',
        targetId: renewed.kiosk.id,
        detail: renewed.kiosk.name,
      });
      reply.header('cache-control', 'no-store');
      return {
        kiosk: await kioskNow(renewed.kiosk.id, now),
        enrollmentCode: renewed.code,
        expiresAt: toIso(now + ENROLLMENT_TTL_MS),
      };
    },
  );
}
