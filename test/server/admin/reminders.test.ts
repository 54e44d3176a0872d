/**
 * Overdue reminders through real delivery paths on loopback: an SMTP sink (a tiny SMTP
 * server written here on node:net) receives the email, an HTTP receiver the webhook.
 * The daily schedule is driven by a fake timer.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { msUntilHour, scheduleDaily } from '../../../server/notify/daily-schedule.ts';
import { runOverdueReminders } from '../../../server/notify/overdue-job.ts';
import { smtpNotifier } from '../../../server/notify/smtp-notifier.ts';
import { webhookNotifier } from '../../../server/notify/webhook-notifier.ts';
import type { AuditEntry, RunRemindersResponse } from '../../../protocol/index.ts';
import { bearer, enrollKiosk, fakeClock, kioskDoes, startFixture, type Fixture } from './fixture.ts';
import { bodyText, startSmtpSink } from '../../support/smtp-sink.ts';

function startWebhookReceiver(status = 200): Promise<{ url: string; bodies: unknown[]; server: HttpServer }> {
  const bodies: unknown[] = [];
  const server = createHttpServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      bodies.push(JSON.parse(raw));
      res.writeHead(status).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies, server }),
    ),
  );
}

const DAY = 24 * 60 * 60 * 1000;

describe('overdue reminders', () => {
  let f: Fixture;
  let closers: (() => void)[];
  beforeEach(async () => {
    f = await startFixture();
    closers = [];
  });
  afterEach(async () => {
    for (const c of closers) c();
    await f.close();
  });

  async function overdueLoanFor(name: string, email: string | null, badge: string, tag: string) {
    const user = await f.deps.store.createUser({
      displayName: name,
      email,
      role: 'member',
      active: true,
      passwordHash: null,
    });
    await f.deps.store.addBadge(user.id, f.deps.hashBadge(badge));
    const item = await f.deps.store.createItem({
      tag,
      name: `Camera ${tag}`,
      category: 'Cameras',
      loanDays: 3,
      restrictedTo: null,
      lockerSlot: null,
    });
    const kiosk = await enrollKiosk(f, `K-${tag}`);
    expect((await kioskDoes(f, kiosk, badge, 'borrow', item.id)).status).toBe('applied');
    return user;
  }

  it('emails each person their overdue loans through SMTP and posts them to a webhook', async () => {
    const sink = await startSmtpSink();
    closers.push(() => sink.server.close());
    const hook = await startWebhookReceiver();
    closers.push(() => hook.server.close());
    const yuna = await overdueLoanFor('최유나', 'yuna@example.com', 'kbd:40000001', 'CM-101');
    await overdueLoanFor('No Mail', null, 'kbd:40000002', 'CM-102');
    f.clock.advance(5 * DAY);

    const email = smtpNotifier({
      transport: { host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true },
      from: 'rental@example.com',
    });
    closers.push(email.close);
    const run = await runOverdueReminders({
      store: f.deps.store,
      clock: f.clock,
      notifiers: [email, webhookNotifier({ url: hook.url })],
    });
    expect(run).toEqual({ overdueLoans: 2, sent: 4, failed: 0 });

    expect(sink.mails).toHaveLength(1);
    expect(sink.mails[0]).toMatchObject({ from: 'rental@example.com', to: ['yuna@example.com'] });
    const text = bodyText(sink.mails[0]!.data);
    expect(text).toContain('최유나님');
    expect(text).toContain('Camera CM-101 (CM-101)');
    expect(text).toContain('2일 / 2 day(s)');

    expect(hook.bodies).toHaveLength(2);
    expect(hook.bodies).toContainEqual(
      expect.objectContaining({
        type: 'overdue',
        person: { id: yuna.id, displayName: '최유나', email: 'yuna@example.com' },
        loans: [expect.objectContaining({ itemTag: 'CM-101', daysOverdue: 2 })],
      }),
    );
  });

  it('counts a failed delivery and carries on; an admin can run it now, and it is audited', async () => {
    const hook = await startWebhookReceiver(500);
    closers.push(() => hook.server.close());
    await overdueLoanFor('A', 'a@example.com', 'kbd:40000003', 'CM-103');
    f.clock.advance(4 * DAY);
    f.deps.notifiers = [webhookNotifier({ url: hook.url })];
    const admin = await f.login('admin');
    const res = await f.app.inject({
      method: 'POST',
      url: '/v1/admin/reminders/run',
      headers: bearer(admin),
    });
    expect(res.json<RunRemindersResponse>()).toEqual({ overdueLoans: 1, sent: 0, failed: 1 });
    const staff = await f.login('staff');
    const forbidden = await f.app.inject({
      method: 'POST',
      url: '/v1/admin/reminders/run',
      headers: bearer(staff),
    });
    expect(forbidden.statusCode).toBe(403);

    const audit = await f.app.inject({ method: 'GET', url: '/v1/admin/audit', headers: bearer(admin) });
    const entries = audit.json<{ entries: AuditEntry[] }>().entries;
    expect(entries.find((e) => e.action === 'reminders.run')).toMatchObject({ actorKind: 'system' });
    expect(entries.find((e) => e.action === 'reminders.run')!.detail).toContain('1 failed');
  });

  it('runs daily at the configured local hour (fake timer, no waiting)', async () => {
    const clock = fakeClock(new Date(2026, 2, 2, 7, 30).getTime());
    expect(msUntilHour(clock.now(), 9)).toBe(90 * 60 * 1000);
    expect(msUntilHour(new Date(2026, 2, 2, 9, 0).getTime(), 9)).toBe(DAY);
    const timers: { fn: () => void; ms: number }[] = [];
    let runs = 0;
    const schedule = scheduleDaily({
      hour: 9,
      clock,
      run: async () => void runs++,
      setTimer: (fn, ms) => {
        timers.push({ fn, ms });
        return () => {};
      },
    });
    expect(timers.map((t) => t.ms)).toEqual([90 * 60 * 1000]);
    clock.advance(90 * 60 * 1000);
    timers[0]!.fn();
    await new Promise((r) => setImmediate(r));
    expect(runs).toBe(1);
    expect(timers[1]!.ms).toBe(DAY);
    schedule.stop();
  });
});
