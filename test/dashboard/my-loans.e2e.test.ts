/**
 * A member's own page in real Chromium (issues 16, 17): current loans with Renew (the new due
 * date in the dialog before confirming), the rule that stops a renewal with its numbers, past
 * loans; live (a change elsewhere reloads it); Korean and English at 1366x768. And staff
 * renewing from the loans page.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicies } from '../../protocol/index.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { DEMO_ADMIN } from '../../server/seed/demo.ts';
import { renewFromDashboard } from '../../server/sync/renewal.ts';
import { kiosk as enrolKiosk, row, sync } from '../server/store/contract/fixtures.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../support/chromium.ts';
import { leakedInternals, overflows, shot } from '../support/ui-page.ts';

const skip = chromiumSkipReason();
const SUITE = 'dashboard';
const DAY = 86_400_000;
const MEMBER = { email: 'haneul@example.com', password: 'member-pass-1234' };

describe.skipIf(skip)('a member’s own loans page in Chromium', () => {
  let server: TestServer;
  let chromium: LaunchedBrowser;
  let page: Page;
  let loanIds: Record<string, string>;
  let memberId: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    await viteBuild({
      configFile: join(import.meta.dirname, '../../src-dashboard/vite.config.ts'),
      logLevel: 'warn',
    });
    server = await startTestServer();
    const { store } = server.deps();
    const member = await store.createUser({
      email: MEMBER.email,
      displayName: '정하늘',
      role: 'member',
      active: true,
      passwordHash: await hashPassword(MEMBER.password),
    });
    memberId = member.id;
    const k = await enrolKiosk(store, 'lobby', Date.now() - 40 * DAY);
    const now = Date.now();
    const tag = async (t: string) => (await store.findItemByTag(t))!.id;
    const borrows = [
      { id: 'b-1', tag: 'CM-001', at: now - DAY },
      { id: 'b-2', tag: 'TB-001', at: now - 2 * DAY },
      { id: 'b-3', tag: 'LB-002', at: now - 30 * DAY },
      { id: 'b-4', tag: 'LT-001', at: now - 20 * DAY },
    ];
    const rows = [];
    for (const [i, b] of borrows.entries())
      rows.push(
        row({
          id: b.id,
          seq: i + 1,
          kind: 'borrow',
          itemId: await tag(b.tag),
          userId: member.id,
          occurredAt: b.at,
        }),
      );
    rows.push(
      row({
        id: 'r-4',
        seq: 5,
        kind: 'return',
        itemId: await tag('LT-001'),
        userId: member.id,
        occurredAt: now - 15 * DAY,
      }),
    );
    const results = await sync(store, k.id, rows, now);
    loanIds = { camera: results[0]!.loanId!, tablet: results[1]!.loanId!, lab: results[2]!.loanId! };
    // The tablet has used both renewals the default rule allows.
    const policies = defaultPolicies(5);
    for (let i = 0; i < 2; i++)
      await renewFromDashboard(store, {
        loanId: loanIds.tablet!,
        ownerOnly: null,
        actor: { kind: 'user', id: null, name: 'staff', via: null },
        now,
        policies,
        maxLoans: 5,
      });

    chromium = await launchChromium();
    const context = await chromium.browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'ko-KR',
    });
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
  }, 120_000);

  afterAll(async () => {
    expect(dialogs).toEqual([]);
    await chromium?.close();
    await server?.dispose();
  });

  const signIn = async (email: string, password: string, landing: string) => {
    await page.goto(`${server.url}/dashboard/`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.getByRole('heading', { level: 1, name: landing }).waitFor();
  };
  const ask = () => page.getByTestId('ask');

  it('shows current loans with Renew or the rule that stops it, and past loans (ko)', async () => {
    await signIn(MEMBER.email, MEMBER.password, '내 대여');
    const current = page.getByTestId('my-loans');
    await expect.poll(() => current.locator('tbody tr').count()).toBe(3);
    const tablet = current.locator('tr', { hasText: 'iPad' });
    expect(await tablet.getByTestId('renew-why').textContent()).toBe(
      '이 물품은 2번까지 연장할 수 있고, 이미 2번 연장했습니다',
    );
    expect(await tablet.textContent()).toContain('2/2번');
    const lab = current.locator(`tr[data-loan="${loanIds.lab}"]`);
    expect(await lab.getByTestId('renew-why').textContent()).toMatch(
      /^반납일이 지나서 연장할 수 없습니다 \(.+\)\. 반납해 주세요$/,
    );
    expect(await current.locator(`tr[data-loan="${loanIds.camera}"]`).getByTestId('renew').count()).toBe(1);
    await expect.poll(() => page.getByTestId('my-past-loans').locator('tbody tr').count()).toBe(1);
    expect(await overflows(page)).toMatchObject({ x: false });
    expect(await leakedInternals(page)).toBeNull();
    await shot(page, SUITE, '40-my-loans-ko');
  });

  it('renews after showing the new due date; the page reloads live when something changes', async () => {
    const store = () => server.deps().store;
    const before = (await store().findLoan(loanIds.camera!))!;
    const camera = page.getByTestId('my-loans').locator(`tr[data-loan="${loanIds.camera}"]`);
    await camera.getByTestId('renew').click();
    await ask().waitFor();
    expect(await ask().getByRole('heading').textContent()).toBe('Sony A7 IV 대여를 연장할까요?');
    expect(await ask().textContent()).toMatch(/반납일이 .+에서 .+\(으\)로 바뀝니다\./);
    await shot(page, SUITE, '41-my-loans-renew-dialog-ko');
    await ask().getByRole('button', { name: '연장' }).click();
    await ask().waitFor({ state: 'detached' });
    await page.getByTestId('renew-done').waitFor();
    const after = (await store().findLoan(loanIds.camera!))!;
    expect(after.renewals).toBe(1);
    expect(after.dueAt).toBeGreaterThan(before.dueAt);
    expect(await camera.textContent()).toContain('1/2번');

    // Live: the tablet comes back at a kiosk elsewhere; the page follows without a reload.
    const k = await enrolKiosk(store(), 'hall', Date.now());
    const tablet = (await store().findItemByTag('TB-001'))!;
    await sync(
      store(),
      k.id,
      [
        row({
          id: 'r-tab',
          seq: 1,
          kind: 'return',
          itemId: tablet.id,
          userId: memberId,
          occurredAt: Date.now(),
        }),
      ],
      Date.now(),
    );
    server.deps().events.emit({ type: 'transactions', kioskId: k.id, applied: 1, conflicts: 0, rejected: 0 });
    await expect
      .poll(() => page.getByTestId('my-loans').locator('tbody tr').count(), { timeout: 10_000 })
      .toBe(2);
    await expect.poll(() => page.getByTestId('my-past-loans').locator('tbody tr').count()).toBe(2);
  });

  it('reads in English too', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'My loans' }).waitFor();
    expect(
      await page
        .getByTestId('my-loans')
        .locator(`tr[data-loan="${loanIds.lab}"]`)
        .getByTestId('renew-why')
        .textContent(),
    ).toMatch(/^It was due .+: an overdue loan cannot be renewed\. Please return it$/);
    expect(await overflows(page)).toMatchObject({ x: false });
    await shot(page, SUITE, '40-my-loans-en');
    await page.getByRole('button', { name: '한국어' }).click();
  });

  it('staff renew from the loans page, the person’s new due date shown first', async () => {
    await page.context().clearCookies();
    await signIn(DEMO_ADMIN.email, DEMO_ADMIN.password, '개요');
    await page.goto(`${server.url}/dashboard/#/loans`);
    const camera = page.getByTestId('loans').locator('tr', { hasText: 'Sony A7 IV' });
    await camera.getByTestId('staff-renew').click();
    await ask().waitFor();
    expect(await ask().textContent()).toContain('정하늘 님의 반납일이');
    await ask().getByRole('button', { name: '연장' }).click();
    await ask().waitFor({ state: 'detached' });
    await expect.poll(async () => (await server.deps().store.findLoan(loanIds.camera!))!.renewals).toBe(2);
    const audit = (await server.deps().store.auditLog({ limit: 20 })).filter(
      (a) => a.action === 'loan.renew',
    );
    expect(audit.map((a) => a.actorId)).toContain(memberId);
    expect(audit.length).toBe(4);
  });
});
