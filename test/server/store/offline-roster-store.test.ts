/**
 * The store's part in issue 13 items 4, 5 and 10, on both adapters: per-kiosk roster key
 * generations (moved on at revoke, with the derived entries forgotten), derived entries kept
 * once, sealed badge secrets per person, transaction ids answered only to their own kiosk,
 * offline proofs accepted once; and the sync use case placing offline rows in time over the
 * port (applySyncBatch with the facts the sync route prepares).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../../server/store/postgres/open-postgres-store.ts';
import { openSqliteStore } from '../../../server/store/sqlite/open-sqlite-store.ts';
import type { OfflineFacts, Store } from '../../../server/store/store.ts';
import { postgresSkipReason, startPostgres, type PgCluster } from '../../support/postgres.ts';
import { DAY, HOUR, MIN, T0, hash, row, sync, world } from './contract/fixtures.ts';

type Factory = () => Promise<{ store: Store; close(): Promise<void> }>;

function register(name: string, factory: () => Factory) {
  describe(`offline roster store: ${name}`, () => {
    let handle: Awaited<ReturnType<Factory>>;
    let store: Store;
    beforeEach(async () => {
      handle = await factory()();
      store = handle.store;
    });
    afterEach(async () => {
      await handle.close();
    });

    it('moves a kiosk to a new key generation at revoke and forgets its derived entries', async () => {
      const { k1, k2 } = await world(store);
      expect(await store.kioskRosterGeneration(k1.id)).toBe(1);
      expect(await store.kioskRosterGeneration('ksk_nothing')).toBeNull();
      await store.saveRosterEntries(k1.id, 1, [
        { secret: 'rs1.a', entry: 'h-a' },
        { secret: 'rs1.b', entry: 'h-b' },
      ]);
      // Saved again by a replica that derived them too: no conflict, the first stays.
      await store.saveRosterEntries(k1.id, 1, [{ secret: 'rs1.a', entry: 'h-a2' }]);
      await store.saveRosterEntries(k2.id, 1, [{ secret: 'rs1.a', entry: 'h-k2' }]);
      const sorted = async (k: string, g: number) =>
        (await store.derivedRosterEntries(k, g)).sort((x, y) => x.secret.localeCompare(y.secret));
      expect(await sorted(k1.id, 1)).toEqual([
        { secret: 'rs1.a', entry: 'h-a' },
        { secret: 'rs1.b', entry: 'h-b' },
      ]);
      expect(await sorted(k1.id, 2)).toEqual([]);

      expect(await store.revokeKiosk(k1.id, T0 + HOUR)).toBe(true);
      expect(await store.kioskRosterGeneration(k1.id)).toBe(2);
      expect(await sorted(k1.id, 1)).toEqual([]);
      expect(await sorted(k2.id, 1)).toEqual([{ secret: 'rs1.a', entry: 'h-k2' }]);
      // Once only.
      expect(await store.revokeKiosk(k1.id, T0 + DAY)).toBe(false);
      expect(await store.kioskRosterGeneration(k1.id)).toBe(2);
      // Many at once (chunked inserts).
      const many = Array.from({ length: 450 }, (_, i) => ({ secret: `rs1.${i}`, entry: `h${i}` }));
      await store.saveRosterEntries(k2.id, 1, many);
      expect(await store.derivedRosterEntries(k2.id, 1)).toHaveLength(451);
    });

    it('lists one person’s sealed badge secrets, whatever their state', async () => {
      const { ann, bo } = await world(store);
      await store.addBadge(ann.id, hash('a1'), 'card', 'rs1.ann-1');
      await store.addBadge(ann.id, hash('a2'), 'phone');
      await store.addBadge(bo.id, hash('b1'), 'card', 'rs1.bo-1');
      expect(await store.rosterSecretsOf(ann.id)).toEqual(['rs1.ann-1']);
      await store.setUserActive(bo.id, false);
      expect(await store.rosterSecretsOf(bo.id)).toEqual(['rs1.bo-1']);
      expect(await store.rosterSecretsOf('usr_nobody')).toEqual([]);
    });

    it('tells which kiosk an id belongs to, and whether a proof was used', async () => {
      const { ann, cam, tri, k1 } = await world(store);
      const facts: OfflineFacts = {
        rosterIssuedAt: T0 - HOUR,
        rosterExpiresAt: T0 + DAY,
        proof: 'P'.repeat(43),
        proofError: null,
      };
      const [first] = await sync(
        store,
        k1.id,
        [
          row({
            id: 'tx-1',
            seq: 1,
            kind: 'borrow',
            itemId: cam.id,
            userId: ann.id,
            occurredAt: T0,
            offline: facts,
          }),
        ],
        T0 + MIN,
      );
      expect(first).toMatchObject({ status: 'applied' });
      expect(await store.findPriorTx('tx-1')).toEqual({
        kioskId: k1.id,
        status: 'applied',
        code: null,
        loanId: first!.loanId,
      });
      expect(await store.findPriorTx('tx-0')).toBeNull();
      expect(await store.offlineProofUsed('P'.repeat(43))).toBe(true);
      expect(await store.offlineProofUsed('Q'.repeat(43))).toBe(false);
      // The same proof under another id: not a new tap.
      const [again] = await sync(
        store,
        k1.id,
        [
          row({
            id: 'tx-2',
            seq: 2,
            kind: 'borrow',
            itemId: tri.id,
            userId: ann.id,
            occurredAt: T0,
            offline: facts,
          }),
        ],
        T0 + 2 * MIN,
      );
      expect(again).toEqual({ id: 'tx-2', status: 'conflict', code: 'OFFLINE_PROOF_INVALID' });
      expect(await store.openLoanOfItem(tri.id)).toBeNull();
    });

    it('places offline rows between the roster’s issue and the sync, and flags what it cannot place', async () => {
      const { ann, bo, cam, tri, mic, k1, k2 } = await world(store);
      const bag = (await store.createItem({
        tag: 'BAG-1',
        name: 'Bag',
        category: 'Misc',
        loanDays: 1,
        restrictedTo: null,
        lockerSlot: null,
      }))!;
      let p = 0;
      const offline = (over: Partial<OfflineFacts> = {}): OfflineFacts => ({
        rosterIssuedAt: T0 + HOUR,
        rosterExpiresAt: T0 + DAY,
        proof: `proof-${++p}`.padEnd(43, 'x'),
        proofError: null,
        ...over,
      });
      const now = T0 + 3 * HOUR;
      const results = await sync(
        store,
        k1.id,
        [
          // an untrusted clock in 2000: placed at the roster's issue, not in 2000
          row({
            id: 'u-1',
            seq: 1,
            kind: 'borrow',
            itemId: cam.id,
            userId: ann.id,
            occurredAt: Date.parse('2000-01-01T00:00:00.000Z'),
            clockTrusted: false,
            offline: offline(),
          }),
          // a trusted clock claiming a time before its roster: not believed
          row({
            id: 't-1',
            seq: 2,
            kind: 'borrow',
            itemId: tri.id,
            userId: ann.id,
            occurredAt: T0,
            offline: offline(),
          }),
          // ...nor one after the sync
          row({
            id: 't-2',
            seq: 3,
            kind: 'borrow',
            itemId: mic.id,
            userId: bo.id,
            occurredAt: now + HOUR,
            offline: offline(),
          }),
          // a good one
          row({
            id: 't-3',
            seq: 4,
            kind: 'borrow',
            itemId: bag.id,
            userId: bo.id,
            occurredAt: T0 + 2 * HOUR,
            offline: offline(),
          }),
          // a bad proof on a return: flagged, and the loan still closes
          row({
            id: 't-4',
            seq: 5,
            kind: 'return',
            itemId: bag.id,
            userId: bo.id,
            occurredAt: T0 + 2 * HOUR + MIN,
            offline: offline({ proofError: 'OFFLINE_PROOF_INVALID' }),
          }),
        ],
        now,
      );
      expect(results.map((r) => [r.id, r.status, r.code ?? null, !!r.loanId])).toEqual([
        ['u-1', 'applied', null, true],
        ['t-1', 'conflict', 'OFFLINE_TIME_UNBOUNDED', false],
        ['t-2', 'conflict', 'OFFLINE_TIME_UNBOUNDED', false],
        ['t-3', 'applied', null, true],
        ['t-4', 'conflict', 'OFFLINE_PROOF_INVALID', true],
      ]);
      const loans = Object.fromEntries(
        (await store.loans({ status: 'all' })).map((l) => [l.itemName, [l.borrowedAt, l.returnedAt]]),
      );
      expect(loans).toEqual({
        Camera: [T0 + HOUR, null],
        Bag: [T0 + 2 * HOUR, T0 + 2 * HOUR + MIN],
      });

      // An untrusted row whose roster had expired before the kiosk's last trusted row: the
      // roster was used past its life, so the row cannot be placed within it.
      const later = T0 + 3 * DAY;
      const [trusted, stale] = await sync(
        store,
        k2.id,
        [
          row({
            id: 'k2-1',
            seq: 1,
            kind: 'borrow',
            itemId: tri.id,
            userId: bo.id,
            occurredAt: T0 + 2 * DAY,
          }),
          row({
            id: 'k2-2',
            seq: 2,
            kind: 'borrow',
            itemId: mic.id,
            userId: bo.id,
            occurredAt: T0,
            clockTrusted: false,
            offline: offline(),
          }),
        ],
        later,
      );
      expect(trusted).toMatchObject({ status: 'applied' });
      expect(stale).toEqual({ id: 'k2-2', status: 'conflict', code: 'OFFLINE_TIME_UNBOUNDED' });
      expect(await store.openLoanOfItem(mic.id)).toBeNull();
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'rental-offline-store-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
register('sqlite', () => async () => {
  const store = openSqliteStore({ file: join(dir, `store-${++n}.db`) });
  return { store, close: () => store.close() };
});

const pgSkip = postgresSkipReason();
describe.skipIf(pgSkip !== null)(`PostgreSQL${pgSkip ? ` (skipped: ${pgSkip})` : ''}`, () => {
  let cluster: PgCluster | undefined;
  let m = 0;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  register('postgres', () => async () => {
    const store = await openPostgresStore({ url: await cluster!.createDatabase(`offline_${++m}`) });
    return { store, close: () => store.close() };
  });
});
