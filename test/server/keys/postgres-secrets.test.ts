/**
 * The same secrets on PostgreSQL, where replicas really race: three replicas opening at once
 * on an empty database agree on the pepper, the roster key and the signing key; a rotation
 * on one is verified by another at once (unknown kid) and signed with by all after the
 * hand-over. Skipped with a one-line reason when PostgreSQL is not installed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../protocol/index.ts';
import { createTokenService } from '../../../server/auth/tokens.ts';
import { KEY_REFRESH_MS } from '../../../server/keys/key-ring.ts';
import { openServerSecrets, type ServerSecrets } from '../../../server/keys/server-secrets.ts';
import { openPostgresStore } from '../../../server/store/postgres/open-postgres-store.ts';
import type { Store } from '../../../server/store/store.ts';
import { postgresSkipReason, startPostgres, type PgCluster } from '../../support/postgres.ts';
import { fakeClock, ISSUER, T0 } from '../fixtures.ts';
import { fakeTimer, MASTER_KEY } from './fixtures.ts';

const pgSkip = postgresSkipReason();

describe.skipIf(pgSkip !== null)(`secrets on PostgreSQL${pgSkip ? ` (skipped: ${pgSkip})` : ''}`, () => {
  let cluster: PgCluster | undefined;
  let dir: string;
  beforeAll(async () => {
    cluster = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'rental-pg-secrets-'));
  });
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('three replicas starting together share every secret, and a rotation reaches all of them', async () => {
    const url = await cluster!.createDatabase('secrets_race');
    const clock = fakeClock(T0);
    const stores: Store[] = await Promise.all([1, 2, 3].map(() => openPostgresStore({ url })));
    const replicas: ServerSecrets[] = [];
    try {
      replicas.push(
        ...(await Promise.all(
          stores.map((store, i) =>
            openServerSecrets({
              store,
              masterKey: MASTER_KEY,
              dataDir: join(dir, `r${i}`),
              clock,
              setTimer: fakeTimer().setTimer,
            }),
          ),
        )),
      );
      const [a, b, c] = replicas as [ServerSecrets, ServerSecrets, ServerSecrets];
      for (const r of [b, c]) {
        expect(r.pepper.equals(a.pepper)).toBe(true);
        expect(r.rosterKey.equals(a.rosterKey)).toBe(true);
      }
      for (const r of replicas) await r.keys.refresh();
      expect(new Set(replicas.map((r) => r.keys.current().kid)).size).toBe(1);

      const tokens = replicas.map((r) =>
        createTokenService({ keys: r.keys, issuer: ISSUER, clock, rentalTtlS: 120 }),
      );
      clock.advance(60_000);
      const next = await a.keys.rotate(clock.now());
      clock.advance(2 * KEY_REFRESH_MS);
      const signed = await tokens[0]!.issueAccess('usr_1', 'member' as Role, 'ses_1');
      // B has not re-read: the unknown kid makes it read once, and the token verifies.
      await expect(tokens[1]!.verifyAccess(signed.token)).resolves.toMatchObject({ userId: 'usr_1' });
      expect(b.keys.current().kid).toBe(next.kid);
      await c.keys.refresh();
      expect(c.keys.jwks().keys.map((k) => k.kid)).toContain(next.kid);
      expect(c.keys.current().kid).toBe(next.kid);
    } finally {
      for (const r of replicas) r.keys.close();
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
