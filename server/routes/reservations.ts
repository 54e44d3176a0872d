/**
 * Reservations on the dashboard (protocol/wire/reservations.ts), one plugin: a member reserves
 * for themself and cancels their own (/v1/people/me/reservations), staff reserve for anyone
 * and cancel any (/v1/admin/reservations); both see what is free when (…/availability). The
 * rules are protocol/reservations.ts, applied by server/reservations/ in one transaction with
 * the audit entry; a refusal is a typed 4xx, nothing saved.
 */
import { AppError, ErrorBody, IdParams, borrowBlock, toIso } from '../../protocol/index.ts';
import { pickupWindow } from '../../protocol/reservations.ts';
import {
  AvailabilityQuery,
  AvailabilityResponse,
  CreateReservationRequest,
  ReservationListQuery,
  ReservationListResponse,
  ReservationResponse,
  ReservableResponse,
  type Reservation,
} from '../../protocol/wire/reservations.ts';
import type { FastifyRequest } from 'fastify';
import { actorOf } from '../audit/record.ts';
import type { App, FeatureOptions } from '../http/app-type.ts';
import { IsStaff, userGuard, type Guard } from '../http/auth-guards.ts';
import { currentPolicies } from '../policies/policies.ts';
import { availability } from '../reservations/availability.ts';
import {
  RESERVATION_DEFAULTS,
  cancelReservation,
  createReservation,
  graceMs,
  type ReservationSettings,
} from '../reservations/reserve.ts';
import type { ReservationRecord } from '../store/reservation-store.ts';
import { pageLimit, readCursor, writeCursor } from './admin/list-paging.ts';
import { requestMoment } from '../http/request-time.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function presentReservation(r: ReservationRecord, grace: number): Reservation {
  return {
    id: r.id,
    itemId: r.itemId,
    itemName: r.itemName,
    itemTag: r.itemTag,
    category: r.category,
    userId: r.userId,
    userName: r.userName,
    startsAt: toIso(r.startsAt),
    endsAt: toIso(r.endsAt),
    pickupUntil: toIso(pickupWindow(r, grace).endsAt),
    status: r.status,
    createdByName: r.createdByName,
    createdAt: toIso(r.createdAt),
    loanId: r.loanId,
    endedAt: r.endedAt === null ? null : toIso(r.endedAt),
  };
}

export type ReservationRouteOptions = FeatureOptions & { settings?: ReservationSettings };

/** One audience's routes: members their own, staff anyone's. */
function audienceRoutes(
  app: App,
  { deps, settings }: ReservationRouteOptions,
  opts: {
    guard: Guard;
    prefix: string;
    availability: string;
    reservable: string;
    /** The person a member is limited to; null for staff. */
    ownerOnly: (request: FastifyRequest) => string | null;
  },
) {
  const s = settings ?? deps.reservations ?? RESERVATION_DEFAULTS;
  const grace = graceMs(s);

  app.get(
    opts.prefix,
    {
      onRequest: opts.guard,
      schema: { querystring: ReservationListQuery, response: { 200: ReservationListResponse, ...errors } },
    },
    async (request) => {
      const q = request.query;
      const owner = opts.ownerOnly(request);
      const limit = pageLimit(q.limit);
      const after = q.after ? readCursor(q.after) : null;
      const at = after ? Number(after.value) : NaN;
      const page = await deps.store.reservationsPage({
        ...(owner !== null ? { userId: owner } : q.userId !== undefined ? { userId: q.userId } : {}),
        ...(q.itemId !== undefined ? { itemId: q.itemId } : {}),
        ...(q.category !== undefined ? { category: q.category } : {}),
        status: q.status ?? 'current',
        now: deps.clock.now(),
        after: after && Number.isSafeInteger(at) ? { at, id: after.id } : null,
        limit,
      });
      return {
        reservations: page.rows.map((r) => presentReservation(r, grace)),
        total: page.total,
        next: page.next ? writeCursor({ value: String(page.next.at), id: page.next.id }) : null,
      };
    },
  );

  app.post(
    opts.prefix,
    {
      onRequest: opts.guard,
      schema: { body: CreateReservationRequest, response: { 200: ReservationResponse, ...errors } },
    },
    async (request) => {
      const b = request.body;
      const owner = opts.ownerOnly(request);
      if (owner !== null && b.userId !== undefined && b.userId !== owner)
        throw new AppError('FORBIDDEN', 'a member reserves for themself only');
      const now = deps.clock.now();
      const { policies } = await currentPolicies(deps.store, deps.maxLoansPerPerson);
      const saved = await createReservation(deps.store, {
        itemId: b.itemId,
        category: b.category,
        userId: owner ?? b.userId ?? request.user!.id,
        startsAt: requestMoment(b.startsAt, 'startsAt'),
        endsAt: requestMoment(b.endsAt, 'endsAt'),
        actor: actorOf(request),
        now,
        policies,
        settings: s,
      });
      deps.events.emit({ type: 'change', what: 'reservation' });
      return { reservation: presentReservation(saved, grace) };
    },
  );

  app.post(
    `${opts.prefix}/:id/cancel`,
    {
      onRequest: opts.guard,
      schema: { params: IdParams, response: { 200: ReservationResponse, ...errors } },
    },
    async (request) => {
      const done = await cancelReservation(deps.store, {
        id: request.params.id,
        ownerOnly: opts.ownerOnly(request),
        actor: actorOf(request),
        now: deps.clock.now(),
      });
      deps.events.emit({ type: 'change', what: 'reservation' });
      return { reservation: presentReservation(done, grace) };
    },
  );

  app.get(
    opts.reservable,
    { onRequest: opts.guard, schema: { response: { 200: ReservableResponse, ...errors } } },
    async (request) => {
      // A member sees what their role may borrow; staff everything that can be lent.
      const role = opts.ownerOnly(request) === null ? null : request.user!.role;
      const out = [];
      for (const { category } of await deps.store.itemCategories()) {
        const items = (await deps.store.itemsInCategory(category))
          .filter((i) => borrowBlock(i, role) === null)
          .map((i) => ({ id: i.id, tag: i.tag, name: i.name }));
        if (items.length > 0) out.push({ category, items });
      }
      return { categories: out };
    },
  );

  app.get(
    opts.availability,
    {
      onRequest: opts.guard,
      schema: { querystring: AvailabilityQuery, response: { 200: AvailabilityResponse, ...errors } },
    },
    async (request) =>
      availability(deps.store, {
        itemId: request.query.item,
        category: request.query.category,
        from: requestMoment(request.query.from, 'from'),
        to: requestMoment(request.query.to, 'to'),
        now: deps.clock.now(),
        grace,
        viewer: opts.ownerOnly(request),
      }),
  );
}

/** Registered with app.register(reservationRoutes, { deps, settings }). */
export async function reservationRoutes(app: App, options: ReservationRouteOptions) {
  const { deps } = options;
  audienceRoutes(app, options, {
    guard: userGuard(deps),
    prefix: '/v1/people/me/reservations',
    availability: '/v1/people/me/availability',
    reservable: '/v1/people/me/reservable',
    ownerOnly: (request) => request.user!.id,
  });
  audienceRoutes(app, options, {
    guard: userGuard(deps, IsStaff),
    prefix: '/v1/admin/reservations',
    availability: '/v1/admin/availability',
    reservable: '/v1/admin/reservable',
    ownerOnly: () => null,
  });
}
