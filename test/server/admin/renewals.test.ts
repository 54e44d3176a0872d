/**
 * Renewing from the dashboard over HTTP (server/routes/renewals.ts): a member's own page
 * (current loans with what renewing does, past loans paged, renew) and staff renewing from the
 * loans page. Refusals are typed codes with the rule's numbers; every renewal is audited.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  MyCurrentLoansResponse,
  MyPastLoansResponse,
  RenewalPreviewResponse,
  RenewResponse,
} from '../../../protocol/index.ts';
import { DAY, gear, kiosk, row, sync } from '../store/contract/fixtures.ts';
import { bearer, startFixture, type Fixture } from './fixture.ts';

describe('renewals on the dashboard', () => {
  let f: Fixture;
  let member: string;
  let staff: string;
  let loanIds: string[];
  beforeEach(async () => {
    f = await startFixture({ logger: false });
    member = await f.login('member');
    staff = await f.login('staff');
    const store = f.deps.store;
    const k = await kiosk(store, 'lobby', f.clock.now());
    const rows = [];
    for (let i = 0; i < 3; i++) {
      const item = await gear(store, `CAM-${i}`, { name: `Camera ${i}`, loanDays: 7 });
      rows.push(
        row({
          id: `tx-${i}`,
          seq: i + 1,
          kind: 'borrow',
          itemId: item.id,
          userId: f.users.member.id,
          occurredAt: f.clock.now() - (3 - i) * 60_000,
        }),
      );
    }
    // One comes back: it is a past loan.
    rows.push(
      row({
        id: 'tx-ret',
        seq: 4,
        kind: 'return',
        itemId: rows[0]!.itemId,
        userId: f.users.member.id,
        occurredAt: f.clock.now(),
      }),
    );
    const results = await sync(store, k.id, rows, f.clock.now());
    loanIds = results.slice(1, 3).map((r) => r.loanId!);
  });
  afterEach(() => f.close());

  const get = (url: string, token = member) => f.app.inject({ method: 'GET', url, headers: bearer(token) });
  const post = (url: string, token = member) =>
    f.app.inject({ method: 'POST', url, headers: bearer(token), payload: {} });

  it('a member sees current loans with the new due date before renewing, renews once per call, audited', async () => {
    const res = await get('/v1/people/me/loans/current');
    expect(res.statusCode, res.body).toBe(200);
    const { loans } = res.json<MyCurrentLoansResponse>();
    expect(loans).toHaveLength(2);
    const loan = loans.find((l) => l.id === loanIds[0])!;
    // Default policies: two renewals; from the old due date, in Seoul, no hours kept: +7 days.
    expect(loan.renewal).toMatchObject({ renewals: 0, limit: 2, refusal: null });
    expect(Date.parse(loan.renewal.newDueAt!)).toBe(Date.parse(loan.dueAt) + 7 * DAY);

    const renewed = await post(`/v1/people/me/loans/${loan.id}/renew`);
    expect(renewed.statusCode, renewed.body).toBe(200);
    const after = renewed.json<RenewResponse>().renewal;
    expect(after).toMatchObject({ renewals: 1, dueAt: loan.renewal.newDueAt });
    expect(Date.parse(after.newDueAt!)).toBe(Date.parse(loan.renewal.newDueAt!) + 7 * DAY);

    expect((await post(`/v1/people/me/loans/${loan.id}/renew`)).statusCode).toBe(200);
    const third = await post(`/v1/people/me/loans/${loan.id}/renew`);
    expect(third.statusCode).toBe(409);
    expect(third.json<{ code: string }>().code).toBe('RENEWAL_LIMIT_REACHED');
    const preview = (await get(`/v1/people/me/loans/${loan.id}/renewal`)).json<RenewalPreviewResponse>();
    expect(preview.renewal).toMatchObject({
      renewals: 2,
      newDueAt: null,
      refusal: { code: 'RENEWAL_LIMIT_REACHED', limit: 2, used: 2 },
    });
    const audit = (await f.deps.store.auditLog({ limit: 50 })).filter((a) => a.action === 'loan.renew');
    expect(audit).toHaveLength(2);
    expect(audit.every((a) => a.actorId === f.users.member.id && a.targetId === loan.id)).toBe(true);
  });

  it('a renewal sent with the due date the person saw extends once: sent again (a double click, a retry, a second tab) it moves nothing', async () => {
    const loan = (await get('/v1/people/me/loans/current'))
      .json<MyCurrentLoansResponse>()
      .loans.find((l) => l.id === loanIds[0])!;
    const send = (token = member, url = `/v1/people/me/loans/${loan.id}/renew`) =>
      f.app.inject({ method: 'POST', url, headers: bearer(token), payload: { dueAt: loan.dueAt } });
    const first = await send();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<RenewResponse>().renewal).toMatchObject({ renewals: 1, dueAt: loan.renewal.newDueAt });
    // The dialog promised newDueAt; the same request again must not give a second period.
    const again = await send();
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<RenewResponse>().renewal).toMatchObject({ renewals: 1, dueAt: loan.renewal.newDueAt });
    const staffAgain = await send(staff, `/v1/admin/loans/${loan.id}/renew`);
    expect(staffAgain.json<RenewResponse>().renewal).toMatchObject({ renewals: 1 });
    expect((await f.deps.store.findLoan(loan.id))?.renewals).toBe(1);
    const audit = (await f.deps.store.auditLog({ limit: 50 })).filter((a) => a.action === 'loan.renew');
    expect(audit).toHaveLength(1);
    // A due date that is not a time: a typed 400.
    const bad = await f.app.inject({
      method: 'POST',
      url: `/v1/people/me/loans/${loan.id}/renew`,
      headers: bearer(member),
      payload: { dueAt: 'tomorrow' },
    });
    expect(bad.statusCode).toBe(400);
    // No body at all (an older API client): renews as before, by the rule.
    const bare = await f.app.inject({
      method: 'POST',
      url: `/v1/people/me/loans/${loan.id}/renew`,
      headers: bearer(member),
    });
    expect(bare.statusCode, bare.body).toBe(200);
    expect(bare.json<RenewResponse>().renewal).toMatchObject({ renewals: 2 });
  });

  it('a member cannot renew or even see another person\u2019s loan; a returned loan is not renewed', async () => {
    const store = f.deps.store;
    const k = await kiosk(store, 'hall', f.clock.now());
    const item = await gear(store, 'MIC-1');
    const [theirs] = await sync(
      store,
      k.id,
      [
        row({
          id: 'o-1',
          seq: 1,
          kind: 'borrow',
          itemId: item.id,
          userId: f.users.staff.id,
          occurredAt: f.clock.now(),
        }),
      ],
      f.clock.now(),
    );
    expect((await post(`/v1/people/me/loans/${theirs!.loanId}/renew`)).statusCode).toBe(404);
    expect((await get(`/v1/people/me/loans/${theirs!.loanId}/renewal`)).statusCode).toBe(404);
    const past = (await get('/v1/people/me/loans/past')).json<MyPastLoansResponse>();
    expect(past.total).toBe(1);
    const res = await post(`/v1/people/me/loans/${past.loans[0]!.id}/renew`);
    expect(res.statusCode).toBe(409);
    expect(res.json<{ code: string }>().code).toBe('ITEM_NOT_ON_LOAN');
  });

  it('past loans come in pages, newest first, and never hold current ones', async () => {
    const res = await get('/v1/people/me/loans/past?limit=1');
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<MyPastLoansResponse>();
    expect(page).toMatchObject({ total: 1, next: null });
    expect(page.loans[0]).toMatchObject({ itemName: 'Camera 0', itemTag: 'CAM-0', late: false });
    expect((await get('/v1/people/me/loans/past?after=abc')).statusCode).toBe(400);
  });

  it('staff renew anyone\u2019s loan from the loans page; a member may not use the staff route; overdue is refused', async () => {
    const id = loanIds[1]!;
    expect((await post(`/v1/admin/loans/${id}/renew`)).statusCode).toBe(403);
    const preview = await get(`/v1/admin/loans/${id}/renewal`, staff);
    expect(preview.statusCode, preview.body).toBe(200);
    const ok = await post(`/v1/admin/loans/${id}/renew`, staff);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<RenewResponse>().renewal).toMatchObject({ renewals: 1, userName: '김민준' });
    const audit = (await f.deps.store.auditLog({ limit: 50 })).filter((a) => a.action === 'loan.renew');
    expect(audit).toMatchObject([{ actorId: f.users.staff.id, targetId: id }]);
    // Past its due date: not renewed, with the date it was due.
    f.clock.advance(40 * DAY);
    staff = await f.login('staff');
    const late = await post(`/v1/admin/loans/${id}/renew`, staff);
    expect(late.statusCode).toBe(409);
    expect(late.json<{ code: string }>().code).toBe('RENEWAL_OVERDUE');
    const why = (await get(`/v1/admin/loans/${id}/renewal`, staff)).json<RenewalPreviewResponse>();
    expect(why.renewal.refusal).toMatchObject({ code: 'RENEWAL_OVERDUE', dueAt: why.renewal.dueAt });
  });
});
