/**
 * The catalog pull carries the reservations a kiosk keeps to (protocol 6, issue 16): the
 * active ones whose pickup time is now or within KIOSK_RESERVATION_DAYS, whose each is only by
 * the person's id; none once picked up, cancelled, or past its pickup time; a kiosk of
 * protocol 5 gets the answer its strict schema takes (no reservations).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  KIOSK_PROTOCOL_HEADER,
  KIOSK_RESERVATION_DAYS,
  toIso,
  type CatalogResponse,
} from '../../../protocol/index.ts';
import { check } from '../../../protocol/validate.ts';
import { CatalogResponse as CatalogResponseSchema } from '../../../protocol/wire/kiosk.ts';
import { RESERVATION_DEFAULTS, graceMs } from '../../../server/reservations/reserve.ts';
import { CatalogResponseV5 } from '../../fixtures/wire-v5.ts';
import { bearer, enrollKiosk, startFixture, type Fixture, type TestKiosk } from '../admin/fixture.ts';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

describe('reservations in the catalog pull', () => {
  let f: Fixture;
  let kiosk: TestKiosk;
  let camera: string;
  beforeEach(async () => {
    f = await startFixture({ logger: false });
    kiosk = await enrollKiosk(f, 'lobby');
    const item = (tag: string, name: string, category: string) =>
      f.deps.store.createItem({ tag, name, category, loanDays: 7, restrictedTo: null, lockerSlot: null });
    camera = (await item('CAM-1', 'Sony A7', 'Camera')).id;
    await item('CAM-2', 'Canon R6', 'Camera');
  });
  afterEach(async () => {
    await f.close();
  });

  const pull = async (version: number) => {
    const res = await f.app.inject({
      method: 'GET',
      url: '/v1/catalog',
      headers: { authorization: await kiosk.auth(), [KIOSK_PROTOCOL_HEADER]: String(version) },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as CatalogResponse;
  };
  const reserve = async (body: Record<string, unknown>) => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/v1/admin/reservations',
      headers: bearer(await f.login('staff')),
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { reservation: { id: string } }).reservation.id;
  };

  it('sends the reservations in pickup time or within the next days, by person id only', async () => {
    const now = f.clock.now();
    const soon = await reserve({
      itemId: camera,
      userId: f.users.member.id,
      startsAt: toIso(now + HOUR),
      endsAt: toIso(now + 5 * HOUR),
    });
    const anyOne = await reserve({
      category: 'Camera',
      userId: f.users.staff.id,
      startsAt: toIso(now + 2 * DAY),
      endsAt: toIso(now + 2 * DAY + 3 * HOUR),
    });
    // Beyond what a kiosk is told of.
    await reserve({
      category: 'Camera',
      userId: f.users.staff.id,
      startsAt: toIso(now + (KIOSK_RESERVATION_DAYS + 1) * DAY),
      endsAt: toIso(now + (KIOSK_RESERVATION_DAYS + 1) * DAY + HOUR),
    });

    const body = await pull(6);
    expect(check(CatalogResponseSchema, body)).toBe(true);
    // The grace the sync judges a pickup by (server config).
    expect(body.reservations!.pickupGraceMs).toBe(graceMs(f.deps.reservations ?? RESERVATION_DEFAULTS));
    expect(body.reservations!.held).toEqual([
      {
        id: soon,
        itemId: camera,
        category: 'Camera',
        userId: f.users.member.id,
        startsAt: toIso(now + HOUR),
        endsAt: toIso(now + 5 * HOUR),
      },
      {
        id: anyOne,
        itemId: null,
        category: 'Camera',
        userId: f.users.staff.id,
        startsAt: toIso(now + 2 * DAY),
        endsAt: toIso(now + 2 * DAY + 3 * HOUR),
      },
    ]);

    // Past its pickup time (not picked up): it holds nothing back, so it is not sent.
    f.clock.advance(HOUR + body.reservations!.pickupGraceMs);
    expect((await pull(6)).reservations!.held.map((r) => r.id)).toEqual([anyOne]);

    // Cancelled: gone with the next pull.
    const cancel = await f.app.inject({
      method: 'POST',
      url: `/v1/admin/reservations/${anyOne}/cancel`,
      headers: bearer(await f.login('staff')),
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect((await pull(6)).reservations!.held).toEqual([]);
  });

  it('gives a protocol 5 kiosk the answer its strict schema takes', async () => {
    const now = f.clock.now();
    await reserve({
      itemId: camera,
      userId: f.users.member.id,
      startsAt: toIso(now + HOUR),
      endsAt: toIso(now + 2 * HOUR),
    });
    const v5 = await pull(5);
    expect('reservations' in v5).toBe(false);
    expect(check(CatalogResponseV5, v5)).toBe(true);
    // The frozen schema is strict: the protocol 6 answer would be dropped whole by such a kiosk.
    expect(check(CatalogResponseV5, await pull(6))).toBe(false);
  });
});
