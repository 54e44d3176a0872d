/**
 * Single sign-on across replicas (issue 20): two real server processes (server/main.ts, set up
 * by RENTAL_SSO_* variables alone) on one PostgreSQL. The sign-in starts on one replica and
 * its callback reaches the other: the state is in the database, not in either process. The
 * same callback brought to the first replica afterwards is refused as reused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplicas, type ReplicaSet } from '../../fixtures/replicas.ts';
import { postgresSkipReason, startPostgres, type PgCluster } from '../../support/postgres.ts';
import { Jar, signInAtProvider, startProvider, type TestProvider } from './oidc-fixture.ts';

const pgSkip = postgresSkipReason();
// The test is the browser here: it takes the callback to whichever replica it chooses, so the
// public URL the provider redirects to is never dialled.
const PUBLIC = 'http://localhost:8999';

describe.skipIf(pgSkip)('single sign-on across replicas on PostgreSQL', () => {
  let cluster: PgCluster | undefined;
  let set: ReplicaSet | undefined;
  let idp: TestProvider | undefined;

  beforeAll(async () => {
    idp = await startProvider({
      redirectUris: [`${PUBLIC}/v1/auth/oidc/callback`],
      accounts: {
        'kim.jimin': {
          email: 'jimin.kim@example.com',
          email_verified: true,
          name: '김지민',
          groups: ['staff'],
        },
      },
    });
    cluster = await startPostgres();
    const databaseUrl = await cluster.createDatabase('rental_sso');
    set = await startReplicas({
      count: 2,
      databaseUrl,
      masterKey: 'sso-replicas-master-key-0123456789abcdef',
      env: {
        RENTAL_SSO_ISSUER: idp.issuer,
        RENTAL_SSO_CLIENT_ID: idp.clientId,
        RENTAL_SSO_CLIENT_SECRET: idp.clientSecret,
        RENTAL_SSO_REDIRECT_BASE_URL: PUBLIC,
        RENTAL_SSO_SCOPES: 'openid email profile groups',
        RENTAL_SSO_GROUP_ROLES: 'staff=staff',
        RENTAL_SSO_PROVISIONING: 'jit',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await set?.stopAll();
    await cluster?.stop();
    await idp?.close();
  });

  it('starts on one replica and finishes on the other', async () => {
    const [a, b] = set!.replicas;
    const jar = new Jar();
    const start = await fetch(`${a!.url}/v1/auth/oidc/start`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    jar.take(start);
    const callback = new URL(await signInAtProvider(start.headers.get('location')!, 'kim.jimin'));
    const path = `${callback.pathname}${callback.search}`;

    const done = await fetch(`${b!.url}${path}`, { redirect: 'manual', headers: { cookie: jar.header() } });
    expect(done.headers.get('location')).toBe(`${PUBLIC}/dashboard/`);
    jar.take(done);
    const me = await fetch(`${a!.url}/v1/me`, { headers: { cookie: jar.header() } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      displayName: '김지민',
      role: 'staff',
      email: 'jimin.kim@example.com',
    });

    const again = await fetch(`${a!.url}${path}`, { redirect: 'manual', headers: { cookie: jar.header() } });
    expect(again.headers.get('location')).toBe(`${PUBLIC}/dashboard/?sso_error=SSO_STATE_REUSED`);
    expect(set!.problems(0).concat(set!.problems(1))).toEqual([]);
  });
});
