/**
 * Reservations not picked up within the grace time expire (server/maintenance/reservation-expiry.ts):
 * the item is free again, the expiry is audited once, and the person is told through the
 * webhook channel (a real HTTP server on loopback receives the notice) and by email (a
 * loopback SMTP sink). One picked up in time is left alone.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicies } from '../../../protocol/index.ts';
import { expireReservations } from '../../../server/maintenance/reservation-expiry.ts';
import { smtpNotifier } from '../../../server/notify/smtp-notifier.ts';
import { webhookNotifier } from '../../../server/notify/webhook-notifier.ts';
import { RESERVATION_DEFAULTS, createReservation } from '../../../server/reservations/reserve.ts';
import { openSqliteStore } from '../../../server/store/sqlite/open-sqlite-store.ts';
import type { Store } from '../../../server/store/store.ts';
import { bodyText, startSmtpSink } from '../../support/smtp-sink.ts';
import { DAY, HOUR, MIN, T0, row, sync, world } from '../store/contract/fixtures.ts';

describe('reservation expiry', () => {
  let dir: string;
  let store: Store;
  let hook: Server;
  let received: unknown[];
  let url: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rental-expiry-'));
    store = openSqliteStore({ file: join(dir, 'store.db') });
    received = [];
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  });
  afterEach(async () => {
    await store.close();
    await new Promise((r) => hook.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('expires what was not picked up in time, frees the item, audits once and tells the person', async () => {
    const { ann, bo, cam, tri, k1 } = await world(store);
    const base = {
      startsAt: T0 + DAY,
      endsAt: T0 + 2 * DAY,
      now: T0,
      policies: defaultPolicies(10),
      settings: RESERVATION_DEFAULTS,
    };
    const actor = { kind: 'user' as const, id: ann.id, name: 'Ann', via: null };
    const late = await createReservation(store, { ...base, itemId: cam.id, userId: ann.id, actor });
    const taken = await createReservation(store, { ...base, itemId: tri.id, userId: bo.id, actor });
    // Bo picks up the tripod in time.
    await sync(
      store,
      k1.id,
      [row({ id: 'p', seq: 1, kind: 'borrow', itemId: tri.id, userId: bo.id, occurredAt: T0 + DAY + MIN })],
      T0 + DAY + MIN,
    );
    const notifiers = [webhookNotifier({ url })];

    // Within the grace time nothing expires.
    const early = await expireReservations({ store, clock: { now: () => T0 + DAY + 30 * MIN }, notifiers });
    expect(early).toEqual({ expired: 0, told: 0, failed: 0 });

    const round = await expireReservations({ store, clock: { now: () => T0 + DAY + HOUR + MIN }, notifiers });
    expect(round).toEqual({ expired: 1, told: 1, failed: 0 });
    expect(await store.findReservation(late.id)).toMatchObject({
      status: 'expired',
      endedAt: T0 + DAY + HOUR + MIN,
    });
    expect((await store.findReservation(taken.id))?.status).toBe('picked_up');
    expect(received).toEqual([
      expect.objectContaining({
        type: 'reservation.expired',
        person: { id: ann.id, displayName: 'Ann', email: 'ann@example.org' },
        subject: expect.stringContaining('Camera'),
      }),
    ]);
    // Again: nothing more, nothing told twice.
    expect(await expireReservations({ store, clock: { now: () => T0 + DAY + 2 * HOUR }, notifiers })).toEqual(
      {
        expired: 0,
        told: 0,
        failed: 0,
      },
    );
    const log = await store.auditPage({ kind: 'reservation', limit: 20 });
    expect(log.rows.filter((e) => e.action === 'reservation.expire').map((e) => e.targetId)).toEqual([
      late.id,
    ]);
    // The camera is free for Bo that same afternoon.
    const again = await createReservation(store, {
      ...base,
      now: T0 + DAY + 2 * HOUR,
      startsAt: T0 + DAY + 3 * HOUR,
      itemId: cam.id,
      userId: bo.id,
      actor,
    });
    expect(again.status).toBe('active');
  });

  it('tells the person by email too, in Korean and English, and skips one without an address', async () => {
    const { ann, cam, tri } = await world(store);
    const base = {
      startsAt: T0 + DAY,
      endsAt: T0 + 2 * DAY,
      now: T0,
      policies: defaultPolicies(10),
      settings: RESERVATION_DEFAULTS,
    };
    const actor = { kind: 'user' as const, id: ann.id, name: 'Ann', via: null };
    await createReservation(store, { ...base, itemId: cam.id, userId: ann.id, actor });
    const nobody = await store.createUser({
      email: null,
      displayName: '이메일 없음',
      role: 'member',
      active: true,
      passwordHash: null,
    });
    await createReservation(store, { ...base, itemId: tri.id, userId: nobody.id, actor });
    const sink = await startSmtpSink();
    const email = smtpNotifier({
      transport: { host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true },
      from: 'rental@example.com',
    });
    try {
      const round = await expireReservations({
        store,
        clock: { now: () => T0 + DAY + HOUR + MIN },
        notifiers: [email],
      });
      expect(round).toEqual({ expired: 2, told: 2, failed: 0 });
      expect(sink.mails).toHaveLength(1);
      expect(sink.mails[0]).toMatchObject({ from: 'rental@example.com', to: ['ann@example.org'] });
      const text = bodyText(sink.mails[0]!.data);
      expect(text).toContain('Camera');
      expect(text).toMatch(/[가-힣]/);
    } finally {
      email.close();
      await new Promise((r) => sink.server.close(r));
    }
  });
});
