/**
 * Reservations over HTTP (server/routes/reservations.ts): a member reserves for themself and
 * cancels their own, staff reserve for anyone and cancel any, both see availability. Bad
 * input is a typed 4xx with a code and nothing half-saved; every create and cancel is audited.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditResponse } from '../../../protocol/index.ts';
import type {
  AvailabilityResponse,
  ReservationListResponse,
  ReservationResponse,
} from '../../../protocol/wire/reservations.ts';
import { DAY, HOUR, gear, kiosk, row, sync } from '../store/contract/fixtures.ts';
import { bearer, startFixture, type Fixture } from '../admin/fixture.ts';

describe('reservations over HTTP', () => {
  let f: Fixture;
  let member: string;
  let staff: string;
  let camId: string;
  let triId: string;
  beforeEach(async () => {
    f = await startFixture({ logger: false });
    member = await f.login('member');
    staff = await f.login('staff');
    camId = (await gear(f.deps.store, 'CAM-1', { name: 'Camera', category: 'Photo' })).id;
    triId = (await gear(f.deps.store, 'TRI-1', { name: 'Tripod', category: 'Photo', loanDays: 2 })).id;
  });
  afterEach(() => f.close());

  const at = (ms: number) => new Date(f.clock.now() + ms).toISOString();
  const send = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
    f.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
  const reserve = (token: string, body: object, url = '/v1/people/me/reservations') =>
    send('POST', url, token, { startsAt: at(DAY), endsAt: at(2 * DAY), ...body });
  const count = async () =>
    (await send('GET', '/v1/admin/reservations?status=all', staff)).json<ReservationListResponse>().total;

  it('a member reserves an item and sees it; another overlapping request is a 409 RESERVATION_CONFLICT', async () => {
    const res = await reserve(member, { itemId: camId });
    expect(res.statusCode, res.body).toBe(200);
    const { reservation } = res.json<ReservationResponse>();
    expect(reservation).toMatchObject({
      itemId: camId,
      itemName: 'Camera',
      userId: f.users.member.id,
      status: 'active',
      startsAt: at(DAY),
      endsAt: at(2 * DAY),
      // Default grace: an hour to pick it up.
      pickupUntil: at(DAY + HOUR),
    });
    const mine = (await send('GET', '/v1/people/me/reservations', member)).json<ReservationListResponse>();
    expect(mine.reservations.map((r) => r.id)).toEqual([reservation.id]);

    const clash = await reserve(staff, { itemId: camId, startsAt: at(DAY + HOUR), endsAt: at(3 * DAY) });
    expect(clash.statusCode).toBe(409);
    expect(clash.json<{ code: string }>().code).toBe('RESERVATION_CONFLICT');
    expect(await count()).toBe(1);
  });

  it('bad input: reversed, past, unknown item, a retired item, both item and category: typed 4xx, nothing saved', async () => {
    const cases: [object, number, string][] = [
      [{ itemId: camId, startsAt: at(2 * DAY), endsAt: at(DAY) }, 400, 'RESERVATION_WINDOW_INVALID'],
      [{ itemId: camId, startsAt: at(-DAY), endsAt: at(DAY) }, 400, 'RESERVATION_IN_PAST'],
      [{ itemId: 'itm_nope' }, 404, 'ITEM_UNKNOWN'],
      [{ itemId: camId, category: 'Photo' }, 400, 'BAD_REQUEST'],
      [{ itemId: camId, startsAt: 'tomorrow' }, 400, 'BAD_REQUEST'],
      [{ itemId: camId, userId: f.users.staff.id }, 403, 'FORBIDDEN'],
    ];
    for (const [body, status, code] of cases) {
      const res = await reserve(member, body);
      expect(res.statusCode, `${JSON.stringify(body)} ${res.body}`).toBe(status);
      expect(res.json<{ code: string }>().code).toBe(code);
    }
    await f.deps.store.updateItem(triId, { retired: true });
    const retired = await reserve(member, { itemId: triId });
    expect(retired.statusCode).toBe(409);
    expect(retired.json<{ code: string }>().code).toBe('ITEM_UNAVAILABLE');
    expect(await count()).toBe(0);
  });

  it('members may not use the staff routes; staff reserve for a member and cancel it; audited', async () => {
    expect((await send('GET', '/v1/admin/reservations', member)).statusCode).toBe(403);
    const made = await reserve(
      staff,
      { category: 'Photo', userId: f.users.member.id },
      '/v1/admin/reservations',
    );
    expect(made.statusCode, made.body).toBe(200);
    const r = made.json<ReservationResponse>().reservation;
    expect(r).toMatchObject({ itemId: null, category: 'Photo', userId: f.users.member.id });
    expect(r.createdByName).not.toBeNull();
    // A member cannot cancel someone else's: it is not theirs to see.
    const other = await reserve(staff, { itemId: camId, userId: f.users.staff.id }, '/v1/admin/reservations');
    const otherId = other.json<ReservationResponse>().reservation.id;
    expect((await send('POST', `/v1/people/me/reservations/${otherId}/cancel`, member)).statusCode).toBe(404);
    // The member cancels their own; a second cancel is a 409.
    const cancel = await send('POST', `/v1/people/me/reservations/${r.id}/cancel`, member);
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json<ReservationResponse>().reservation.status).toBe('cancelled');
    const again = await send('POST', `/v1/admin/reservations/${r.id}/cancel`, staff);
    expect(again.statusCode).toBe(409);
    expect(again.json<{ code: string }>().code).toBe('RESERVATION_NOT_ACTIVE');
    const staffCancel = await send('POST', `/v1/admin/reservations/${otherId}/cancel`, staff);
    expect(staffCancel.statusCode).toBe(200);

    const admin = await f.login('admin');
    const log = (await send('GET', '/v1/admin/audit?kind=reservation', admin)).json<AuditResponse>();
    expect(log.entries.map((e) => e.action).sort()).toEqual([
      'reservation.cancel',
      'reservation.cancel',
      'reservation.create',
      'reservation.create',
    ]);
  });

  it('availability: what is free when for an item and a category, names only for staff or the owner', async () => {
    const store = f.deps.store;
    const k = await kiosk(store, 'lobby', f.clock.now());
    // The tripod is out for 2 days; the camera is reserved by staff from day 3 to day 4.
    await sync(
      store,
      k.id,
      [
        row({
          id: 'b1',
          seq: 1,
          kind: 'borrow',
          itemId: triId,
          userId: f.users.admin.id,
          occurredAt: f.clock.now(),
        }),
      ],
      f.clock.now(),
    );
    expect(
      (await reserve(staff, { itemId: camId, startsAt: at(3 * DAY), endsAt: at(4 * DAY) })).statusCode,
    ).toBe(200);
    const url = (who: string, q: string) =>
      `/v1/${who}/availability?${q}&from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(7 * DAY))}`;
    const cat = (await send('GET', url('admin', 'category=Photo'), staff)).json<AvailabilityResponse>();
    expect(cat).toMatchObject({ category: 'Photo', lendable: 2, itemId: null });
    expect(cat.segments).toEqual([
      { startsAt: at(0), endsAt: at(2 * DAY), free: 1 },
      { startsAt: at(2 * DAY), endsAt: at(3 * DAY), free: 2 },
      { startsAt: at(3 * DAY), endsAt: at(4 * DAY), free: 1 },
      { startsAt: at(4 * DAY), endsAt: at(7 * DAY), free: 2 },
    ]);
    expect(cat.bookings.map((b) => [b.kind, b.itemName, b.who !== null])).toEqual([
      ['loan', 'Tripod', true],
      ['reservation', 'Camera', true],
    ]);
    const item = (await send('GET', url('people/me', `item=${camId}`), member)).json<AvailabilityResponse>();
    expect(item.segments.map((s) => s.free)).toEqual([1, 0, 1]);
    expect(item.bookings).toEqual([expect.objectContaining({ kind: 'reservation', mine: false, who: null })]);
    const reversed = await send(
      'GET',
      `/v1/people/me/availability?item=${camId}&from=${encodeURIComponent(at(DAY))}&to=${encodeURIComponent(at(0))}`,
      member,
    );
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json<{ code: string }>().code).toBe('RESERVATION_WINDOW_INVALID');
  });
});
