/**
 * A real server for admin tests: SQLite file in a temp dir, real keys, a clock the test
 * moves by hand, an admin/staff/member with passwords, and kiosks enrolled with real
 * device keys (the kiosk core's own identity module).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { build, type App, type BuildOptions } from '../../../server/app.ts';
import { createKioskWithCode } from '../../../server/auth/enrollment.ts';
import { hashPassword } from '../../../server/auth/passwords.ts';
import { createServerDeps } from '../../../server/create-server.ts';
import type { ServerDeps } from '../../../server/deps.ts';
import { openDeviceIdentity, type DeviceIdentity } from '../../../src-main/core/identity/device-identity.ts';
import type { Role } from '../../../protocol/index.ts';

export const ISSUER = 'http://127.0.0.1:8420';
export const PASSWORD = 'correct horse battery';

export type FakeClock = { now(): number; advance(ms: number): void; set(ms: number): void };

export function fakeClock(start = Date.parse('2026-03-02T09:00:00.000Z')): FakeClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms), set: (ms) => void (t = ms) };
}

export type Fixture = {
  dir: string;
  deps: ServerDeps;
  app: App;
  clock: FakeClock;
  users: Record<Role, { id: string; email: string }>;
  login(role: Role): Promise<string>;
  close(): Promise<void>;
};

export async function startFixture(opts: BuildOptions = {}, clock = fakeClock()): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'rental-admin-'));
  const deps = await createServerDeps({ dataDir: dir, issuer: ISSUER, clock, maxLoansPerPerson: 3 });
  const passwordHash = await hashPassword(PASSWORD);
  const mk = async (role: Role, name: string) => {
    const email = `${role}@example.com`;
    const u = await deps.store.createUser({ email, displayName: name, role, active: true, passwordHash });
    return { id: u.id, email };
  };
  const users = {
    admin: await mk('admin', '관리자 Admin'),
    staff: await mk('staff', '박지훈'),
    member: await mk('member', '김민준'),
  };
  const app = build(deps, opts);
  await app.ready();
  return {
    dir,
    deps,
    app,
    clock,
    users,
    async login(role) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: users[role].email, password: PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login ${role}: ${res.statusCode} ${res.body}`);
      return (res.json() as { accessToken: string }).accessToken;
    },
    async close() {
      await app.close();
      await deps.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TestKiosk = {
  id: string;
  identity: DeviceIdentity;
  auth(): Promise<string>;
};

/** Create a kiosk on the server and enroll it with a real device key made on "the kiosk". */
export async function enrollKiosk(f: Fixture, name: string): Promise<TestKiosk> {
  const { code } = await createKioskWithCode(f.deps.store, name, f.clock.now());
  const identity = await openDeviceIdentity(join(f.dir, `kiosk-${randomUUID()}`));
  const res = await f.app.inject({
    method: 'POST',
    url: '/v1/kiosks/enroll',
    payload: { code, publicJwk: identity.publicJwk },
  });
  if (res.statusCode !== 200) throw new Error(`enroll: ${res.body}`);
  const { kioskId, issuer } = res.json() as { kioskId: string; issuer: string };
  identity.saveEnrollment({ kioskId, name, issuer, serverUrl: ISSUER });
  return { id: kioskId, identity, auth: async () => `Kiosk ${await identity.assertion(f.clock)}` };
}

let seq = 0;

/** A badge tap then a borrow or return synced by the kiosk, as the kiosk core would do it. */
export async function kioskDoes(
  f: Fixture,
  kiosk: TestKiosk,
  credential: string,
  kind: 'borrow' | 'return',
  itemId: string,
  occurredAt = f.clock.now(),
) {
  const tap = await f.app.inject({
    method: 'POST',
    url: '/v1/badge-tap',
    headers: { authorization: await kiosk.auth() },
    payload: { credential },
  });
  if (tap.statusCode !== 200) throw new Error(`tap: ${tap.body}`);
  const { token, user } = tap.json() as { token: string; user: { id: string } };
  const tx = {
    id: randomUUID(),
    seq: ++seq,
    kind,
    itemId,
    userId: user.id,
    occurredAt: new Date(occurredAt).toISOString(),
    clockTrusted: true,
    auth: { kind: 'rental', token },
  };
  const res = await f.app.inject({
    method: 'POST',
    url: '/v1/sync',
    headers: { authorization: await kiosk.auth() },
    payload: { transactions: [tx] },
  });
  if (res.statusCode !== 200) throw new Error(`sync: ${res.body}`);
  return (res.json() as { results: { id: string; status: string; code?: string }[] }).results[0]!;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
