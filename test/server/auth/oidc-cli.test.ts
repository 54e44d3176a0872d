/** The admin CLI's single sign-on commands: which provider accounts a person is linked to, and unlinking them. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../server/cli/commands.ts';
import { addPerson, T0, testServer, type TestServer } from '../fixtures.ts';

let s: TestServer;
let out: string[];
const io: CliIo = {
  out: (l) => void out.push(l),
  err: (l) => void out.push(`ERR ${l}`),
  readStdin: async () => '',
};
const cli = (...argv: string[]) => runCli(argv, s.deps, io);

beforeEach(async () => {
  s = await testServer();
  out = [];
});
afterEach(async () => {
  await s.close();
});

it('lists a person’s links and removes them, audited; the next sign-in may link again', async () => {
  const kim = await addPerson(s, { role: 'staff', email: 'kim@example.com' });
  expect(await cli('person', 'sso', 'kim@example.com')).toBe(0);
  expect(out).toEqual(['kim@example.com: no single sign-on account linked']);

  const issuer = 'https://login.example.com/tenant/v2.0';
  await s.deps.store.linkIdentity({ issuer, subject: 'AAA-111', userId: kim.id, createdAt: T0 });
  await s.deps.store.touchIdentity(issuer, 'AAA-111', T0 + 60_000);
  out = [];
  expect(await cli('person', 'sso', 'kim@example.com')).toBe(0);
  expect(out).toEqual([
    `${issuer} AAA-111 linked 2026-03-02T09:00:00.000Z, last sign-in 2026-03-02T09:01:00.000Z`,
  ]);

  out = [];
  expect(await cli('person', 'sso-unlink', 'kim@example.com')).toBe(0);
  expect(out).toEqual(['kim@example.com: 1 single sign-on link(s) removed']);
  expect(await s.deps.store.findIdentity(issuer, 'AAA-111')).toBeNull();
  const [row] = await s.deps.store.auditLog({ limit: 1 });
  expect(row).toMatchObject({ action: 'sso.unlink', targetId: kim.id, actorName: 'admin CLI' });

  out = [];
  expect(await cli('person', 'sso', 'nobody@example.com')).toBe(2);
  expect(out).toEqual(['ERR no person with email nobody@example.com']);
});
