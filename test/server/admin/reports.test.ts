/**
 * The Reports API over HTTP (issue 17): overdue by person and category, usage per item over a
 * period, their CSV exports (BOM, headers in ko/en, times in the policies' time zone,
 * Asia/Seoul by default), bad periods as typed 400s, and the reminders preview with and
 * without a channel.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ErrorBody,
  OverdueReportResponse,
  ReminderPreviewResponse,
  UsageReportResponse,
} from '../../../protocol/index.ts';
import type { Notifier, OverdueReminder } from '../../../server/notify/notifier.ts';
import { gear, kiosk, row, sync } from '../store/contract/fixtures.ts';
import { bearer, startFixture, type Fixture } from './fixture.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('reports API', () => {
  let f: Fixture;
  let admin: string;
  const get = (url: string, token = admin) => f.app.inject({ method: 'GET', url, headers: bearer(token) });

  beforeEach(async () => {
    f = await startFixture({ logger: false });
    admin = await f.login('admin');
  });
  afterEach(() => f.close());

  /** 2026-03-02 09:00 UTC: 김민준 has had a camera 10 days (3 overdue), 박지훈 a laptop 9 days (2 overdue). */
  async function lend() {
    const store = f.deps.store;
    const now = f.clock.now();
    const k = await kiosk(store, 'lobby', now - 20 * DAY);
    const cam = await gear(store, 'CAM-1', { name: '소니 카메라', category: '카메라' });
    const lap = await gear(store, 'LAP-1', { name: 'LG 그램', category: '노트북' });
    const lap2 = await gear(store, 'LAP-2', { name: '맥북, 14"', category: '노트북' });
    const results = await sync(
      store,
      k.id,
      [
        row({
          id: 't1',
          seq: 1,
          kind: 'borrow',
          itemId: cam.id,
          userId: f.users.member.id,
          occurredAt: now - 10 * DAY,
        }),
        row({
          id: 't2',
          seq: 2,
          kind: 'borrow',
          itemId: lap.id,
          userId: f.users.staff.id,
          occurredAt: now - 9 * DAY,
        }),
        row({
          id: 't3',
          seq: 3,
          kind: 'borrow',
          itemId: lap2.id,
          userId: f.users.member.id,
          occurredAt: now - DAY,
        }),
      ],
      now,
    );
    expect(results.every((r) => r.status === 'applied')).toBe(true);
    return { cam, lap, lap2 };
  }

  it('groups what is overdue by person and by category, longest overdue first', async () => {
    await lend();
    const res = await get('/v1/admin/reports/overdue');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<OverdueReportResponse>();
    expect(r.timeZone).toBe('Asia/Seoul');
    expect([r.people, r.loans]).toEqual([2, 2]);
    expect(r.byPerson.map((p) => [p.userName, p.loans, p.daysOverdue, p.oldestDueAt])).toEqual([
      ['김민준', 1, 3, '2026-02-27T09:00:00.000Z'],
      ['박지훈', 1, 2, '2026-02-28T09:00:00.000Z'],
    ]);
    expect(r.byCategory.map((c) => [c.category, c.loans, c.people, c.daysOverdue])).toEqual([
      ['노트북', 1, 1, 2],
      ['카메라', 1, 1, 3],
    ]);
    const cameras = (
      await get(`/v1/admin/reports/overdue?category=${encodeURIComponent('카메라')}`)
    ).json<OverdueReportResponse>();
    expect(cameras.byPerson.map((p) => p.userName)).toEqual(['김민준']);
    // Staff may read reports; a member may not.
    expect((await get('/v1/admin/reports/overdue', await f.login('staff'))).statusCode).toBe(200);
    expect((await get('/v1/admin/reports/overdue', await f.login('member'))).statusCode).toBe(403);
  });

  it('exports overdue CSVs with a BOM, headers in the chosen language and local times', async () => {
    await lend();
    const ko = await get('/v1/admin/reports/overdue-by-person.csv?lang=ko');
    expect(ko.statusCode).toBe(200);
    expect(ko.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(ko.headers['content-disposition']).toContain('attachment');
    expect(ko.body.startsWith('\uFEFF')).toBe(true);
    expect(ko.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(ko.body.slice(1).split('\r\n')).toEqual([
      '이름,이메일,연체 건수,가장 오래된 반납 기한,연체 일수',
      // due 2026-02-27 09:00 UTC is 18:00 in Seoul
      '김민준,member@example.com,1,2026-02-27 18:00,3',
      '박지훈,staff@example.com,1,2026-02-28 18:00,2',
      '',
    ]);
    const en = await get('/v1/admin/reports/overdue-by-person.csv?lang=en');
    expect(en.body.slice(1).split('\r\n')[0]).toBe('Name,Email,Overdue loans,Oldest due,Days overdue');
    const cat = await get('/v1/admin/reports/overdue-by-category.csv?lang=en');
    expect(cat.body.slice(1).split('\r\n')).toEqual([
      'Category,Overdue loans,People,Oldest due,Days overdue',
      '노트북,1,1,2026-02-28 18:00,2',
      '카메라,1,1,2026-02-27 18:00,3',
      '',
    ]);
  });

  it('reports usage per item over the last N days and over local dates', async () => {
    const { cam, lap, lap2 } = await lend();
    const res = await get('/v1/admin/reports/usage?days=30');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<UsageReportResponse>();
    expect([r.items, r.itemsUsed]).toEqual([3, 3]);
    expect(r.to).toBe('2026-03-02T09:00:00.000Z');
    expect(r.rows.map((u) => [u.itemId, u.loans, u.daysOnLoan, Math.round(u.share * 1000)])).toEqual([
      [cam.id, 1, 10, 333],
      [lap.id, 1, 9, 300],
      [lap2.id, 1, 1, 33],
    ]);
    // 25-26 February in Seoul: both days whole (00:00 KST is 15:00 UTC the day before).
    const local = (
      await get('/v1/admin/reports/usage?from=2026-02-25&to=2026-02-26')
    ).json<UsageReportResponse>();
    expect([local.from, local.to]).toEqual(['2026-02-24T15:00:00.000Z', '2026-02-26T15:00:00.000Z']);
    // Equal times on loan: the order between them is the item id's (store contract).
    expect(local.rows.map((u) => [u.tag, u.loans, u.daysOnLoan, u.share]).sort()).toEqual([
      ['CAM-1', 0, 2, 1],
      ['LAP-1', 0, 2, 1],
    ]);
    const laptops = (
      await get(`/v1/admin/reports/usage?days=7&category=${encodeURIComponent('노트북')}`)
    ).json<UsageReportResponse>();
    expect(laptops.rows.map((u) => u.tag)).toEqual(['LAP-1', 'LAP-2']);
    expect([laptops.items, laptops.itemsUsed]).toEqual([2, 2]);

    const csv = await get('/v1/admin/reports/usage.csv?from=2026-02-25&to=2026-02-26&lang=ko');
    expect(csv.body.startsWith('\uFEFF')).toBe(true);
    expect(csv.body.slice(1).split('\r\n')).toEqual([
      '자산 태그,물품,분류,대여 건수,대여 일수,대여 비율(%),기간 시작,기간 끝',
      ...[
        'CAM-1,소니 카메라,카메라,0,2,100,2026-02-25 00:00,2026-02-27 00:00',
        'LAP-1,LG 그램,노트북,0,2,100,2026-02-25 00:00,2026-02-27 00:00',
      ].sort((a, b) => (csv.body.indexOf(a) < csv.body.indexOf(b) ? -1 : 1)),
      '',
    ]);
    const en = await get('/v1/admin/reports/usage.csv?days=30&lang=en');
    const lines = en.body.slice(1).split('\r\n');
    expect(lines[0]).toBe('Tag,Item,Category,Loans,Days on loan,Time on loan (%),Period from,Period to');
    // A name with a comma and a quote stays one cell.
    expect(lines[3]).toBe('LAP-2,"맥북, 14""",노트북,1,1,3.3,2026-01-31 18:00,2026-03-02 18:00');
  });

  it('answers a bad or too long period with a typed 400, never a 500', async () => {
    await lend();
    const cases: [string, string][] = [
      ['days=0', 'REPORT_PERIOD_INVALID'],
      ['days=367', 'REPORT_PERIOD_TOO_LONG'],
      ['days=999999', 'REPORT_PERIOD_TOO_LONG'],
      ['days=1234567', 'BAD_REQUEST'],
      ['days=-5', 'BAD_REQUEST'],
      ['from=2026-02-30&to=2026-03-01', 'REPORT_PERIOD_INVALID'],
      ['from=yesterday&to=today', 'REPORT_PERIOD_INVALID'],
      ['from=2026-02-20', 'OK'],
      ['to=2026-02-20', 'REPORT_PERIOD_INVALID'],
      ['from=2026-03-01&to=2026-02-01', 'REPORT_PERIOD_INVALID'],
      ['from=2026-03-03&to=2026-03-05', 'REPORT_PERIOD_INVALID'],
      ['from=2025-02-28&to=2026-03-01', 'REPORT_PERIOD_TOO_LONG'],
      ['from=2025-03-01&to=2026-03-01', 'OK'],
      ['days=7&from=2026-02-01', 'REPORT_PERIOD_INVALID'],
      [`from=${'9'.repeat(41)}`, 'BAD_REQUEST'],
      ['lang=fr', 'BAD_REQUEST'],
    ];
    for (const [query, code] of cases) {
      for (const path of ['/v1/admin/reports/usage', '/v1/admin/reports/usage.csv']) {
        const res = await get(`${path}?${query}`);
        if (code === 'OK') {
          expect(res.statusCode, `${path}?${query}: ${res.body}`).toBe(200);
          continue;
        }
        expect(res.statusCode, `${path}?${query}`).toBe(400);
        expect(res.json<ErrorBody>().code, `${path}?${query}`).toBe(code);
      }
    }
  });

  it('answers an empty equipment room with empty reports and header-only CSVs', async () => {
    const overdue = (await get('/v1/admin/reports/overdue')).json<OverdueReportResponse>();
    expect([overdue.people, overdue.loans, overdue.byPerson, overdue.byCategory]).toEqual([0, 0, [], []]);
    const usage = (await get('/v1/admin/reports/usage?days=90')).json<UsageReportResponse>();
    expect([usage.items, usage.itemsUsed, usage.rows]).toEqual([0, 0, []]);
    const csv = await get('/v1/admin/reports/usage.csv?lang=en');
    expect(csv.body).toBe(
      '\uFEFFTag,Item,Category,Loans,Days on loan,Time on loan (%),Period from,Period to\r\n',
    );
  });

  it('previews the reminders: no channel means nothing can be sent; with one, who gets what', async () => {
    await lend();
    const none = await get('/v1/admin/reminders/preview');
    expect(none.statusCode, none.body).toBe(200);
    const p = none.json<ReminderPreviewResponse>();
    expect(p.canSend).toBe(false);
    expect(p.channels.map((c) => [c.name, c.configured, c.settings])).toEqual([
      ['email', false, ['RENTAL_SMTP_URL', 'RENTAL_SMTP_FROM']],
      ['webhook', false, ['RENTAL_REMINDER_WEBHOOK']],
    ]);
    expect([p.people, p.loans, p.inactiveLoans]).toEqual([2, 2, 0]);
    expect(p.sample.map((s) => [s.userName, s.loans.map((l) => [l.itemTag, l.daysOverdue])])).toEqual([
      ['김민준', [['CAM-1', 3]]],
      ['박지훈', [['LAP-1', 2]]],
    ]);
    const refused = await f.app.inject({
      method: 'POST',
      url: '/v1/admin/reminders/run',
      headers: bearer(admin),
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<ErrorBody>().code).toBe('REMINDERS_NOT_CONFIGURED');

    const sent: OverdueReminder[] = [];
    const webhook: Notifier = { name: 'webhook', send: async (r) => void sent.push(r) };
    f.deps.notifiers = [webhook];
    // A deactivated person's overdue loan is listed, not reminded.
    await f.deps.store.updateUser(f.users.staff.id, { active: false });
    const one = (await get('/v1/admin/reminders/preview?limit=1')).json<ReminderPreviewResponse>();
    expect(one.canSend).toBe(true);
    expect(one.channels.find((c) => c.name === 'webhook')).toMatchObject({ configured: true, people: 1 });
    expect([one.people, one.loans, one.inactiveLoans, one.sample.length]).toEqual([1, 1, 1, 1]);
    expect(sent).toEqual([]); // a preview sends nothing
    const run = await f.app.inject({
      method: 'POST',
      url: '/v1/admin/reminders/run',
      headers: bearer(admin),
    });
    expect(run.statusCode).toBe(200);
    expect(sent.map((r) => r.person.displayName)).toEqual(['김민준']);
    expect((await get('/v1/admin/reminders/preview', await f.login('member'))).statusCode).toBe(403);
  });
});
