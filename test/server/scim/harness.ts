/**
 * The SCIM suites run against a real server (app.inject) on each store: SQLite always, and a
 * throwaway PostgreSQL cluster when it is installed (skipped with a reason otherwise; under
 * RENTAL_CI=1 its absence fails, test/support/postgres.ts). An admin makes the provisioning
 * token through the dashboard's API, as an IT admin would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { build } from '../../../server/app.ts';
import { createServerDeps } from '../../../server/create-server.ts';
import { postgresSkipReason, startPostgres, type PgCluster } from '../../support/postgres.ts';
import { injectTransport, scimClient, type ScimClient } from '../../fixtures/scim-client.ts';
import { ISSUER, addPerson, bearer, fakeClock, type TestServer } from '../fixtures.ts';

const MASTER_KEY = Buffer.from('scim suite master key, long enough, tests only');

export type ScimWorld = {
  s: TestServer;
  scim: ScimClient;
  /** An admin's bearer headers for /v1/admin. */
  admin: { authorization: string };
  token: string;
  tokenId: string;
};

export type Backend = { name: string; make(): Promise<ScimWorld> };

async function world(databaseUrl?: string): Promise<ScimWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'rental-scim-'));
  const clock = fakeClock();
  const deps = await createServerDeps({
    dataDir: dir,
    issuer: ISSUER,
    clock,
    ...(databaseUrl ? { databaseUrl, masterKey: MASTER_KEY } : {}),
  });
  const app = build(deps);
  await app.ready();
  const s: TestServer = {
    app,
    deps,
    clock,
    dir,
    async close() {
      await app.close();
      await deps.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const a = await addPerson(s, { role: 'admin', email: 'it-admin@example.org' });
  const admin = (await bearer(s, a)).auth;
  const res = await app.inject({
    method: 'POST',
    url: '/v1/admin/scim-tokens',
    headers: admin,
    payload: { name: 'Entra ID' },
  });
  if (res.statusCode !== 200) throw new Error(`token: ${res.body}`);
  const { secret, token } = res.json() as { secret: string; token: { id: string } };
  return { s, scim: scimClient(injectTransport(app), secret), admin, token: secret, tokenId: token.id };
}

/** Registers `fn` once per store; `ctx()` gives the running test's world (fresh per test). */
export function forEachStore(fn: (ctx: () => ScimWorld) => void): void {
  const pgSkip = postgresSkipReason();
  const run = (name: string, make: () => Promise<ScimWorld>) => {
    describe(name, () => {
      let w: ScimWorld | undefined;
      beforeEach(async () => {
        w = await make();
      });
      afterEach(async () => {
        await w?.s.close();
        w = undefined;
      });
      fn(() => w!);
    });
  };
  run('sqlite', () => world());
  describe.skipIf(pgSkip !== null)(`postgres${pgSkip ? ` (skipped: ${pgSkip})` : ''}`, () => {
    let cluster: PgCluster | undefined;
    let n = 0;
    beforeAll(async () => {
      cluster = await startPostgres();
    });
    afterAll(async () => {
      await cluster?.stop();
    });
    run('store', async () => world(await cluster!.createDatabase(`scim_${++n}`)));
  });
}
