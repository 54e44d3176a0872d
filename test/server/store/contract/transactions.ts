/** Contract: withTransaction commits or rolls back everything done through `tx`, nested atomic steps included. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../protocol/index.ts';
import type { StoreOps } from '../../../../server/store/store.ts';
import { DAY, HOUR, T0, expectAppError, gear, hash, id, world, type StoreContext } from './fixtures.ts';

/** Writes through `tx` touching every kind of table, several of them atomic steps of their own. */
async function writeEverything(tx: StoreOps) {
  const user = await tx.createUser({
    email: 'tx@example.org',
    displayName: 'Tx',
    role: 'member',
    active: true,
    passwordHash: null,
  });
  const item = await tx.createItem({
    tag: 'TX-1',
    name: 'Tx item',
    category: 'X',
    loanDays: 1,
    restrictedTo: null,
    lockerSlot: null,
  });
  const kiosk = await tx.createKiosk('Tx kiosk', hash('tx-code'), T0 + HOUR);
  await tx.addBadgeWithHint(
    user.id,
    { credentialHash: hash('tx-badge'), rosterHash: null, hint: 'h', label: null },
    T0,
  );
  const renamed = await tx.updateItem(item.id, { name: 'Tx item renamed' });
  await tx.createSession(
    { id: 'ses_tx', userId: user.id, mode: 'cookie', csrfHash: 'c', createdAt: T0, expiresAt: T0 + DAY },
    { tokenHash: 'rt-tx', expiresAt: T0 + HOUR },
  );
  await tx.putSecretOnce('tx-secret', 'sealed', T0);
  await tx.putShared('tx-key', { value: 'v', expiresAt: T0 + DAY });
  await tx.audit({ actor: { kind: 'system', id: null, name: null, via: null }, action: 'tx.test' }, T0);
  const loanId = await tx.insertLoan({
    itemId: item.id,
    userId: user.id,
    kioskId: kiosk.id,
    borrowTxId: 'tx-borrow',
    borrowedAt: T0,
    dueAt: T0 + DAY,
  });
  await tx.touchItem(item.id);
  await tx.recordTx({
    id: 'tx-borrow',
    kioskId: kiosk.id,
    seq: 1,
    kind: 'borrow',
    itemId: item.id,
    userId: user.id,
    occurredAt: T0,
    clockTrusted: true,
    receivedAt: T0,
    effectiveAt: T0,
    note: null,
    status: 'applied',
    code: null,
    loanId,
  });
  // A transaction sees its own writes.
  expect(await tx.findUserById(user.id)).toEqual(user);
  expect(await tx.findItem(item.id)).toMatchObject({ name: 'Tx item renamed', onLoan: true });
  expect(await tx.openLoansOf(user.id)).toHaveLength(1);
  expect(renamed?.name).toBe('Tx item renamed');
  return { user, item, kiosk, loanId };
}

export function registerTransactionContract(ctx: StoreContext): void {
  describe('withTransaction', () => {
    it('commits everything written through tx, nested atomic steps included, and returns the result', async () => {
      const { store } = ctx;
      const { user, item, kiosk, loanId } = await store.withTransaction(writeEverything);
      expect(await store.findUserById(user.id)).toEqual(user);
      expect(await store.findUserByBadgeHash(hash('tx-badge'))).toEqual(user);
      expect(await store.findItem(item.id)).toMatchObject({ name: 'Tx item renamed', onLoan: true });
      expect(await store.findKiosk(kiosk.id)).toEqual(kiosk);
      expect(await store.findSession('ses_tx')).toMatchObject({ userId: user.id });
      expect(await store.findRefresh('rt-tx')).toMatchObject({ sessionId: 'ses_tx' });
      expect(await store.getSecret('tx-secret')).toBe('sealed');
      expect(await store.getShared('tx-key', T0)).toEqual({ value: 'v', expiresAt: T0 + DAY });
      expect(await store.openLoansOf(user.id)).toEqual([expect.objectContaining({ id: loanId })]);
      expect(await store.findRecordedTx('tx-borrow')).toEqual({ status: 'applied', code: null, loanId });
      expect((await store.auditLog({ limit: 10 })).map((r) => r.action)).toEqual(['tx.borrow', 'tx.test']);
      expect(loanId).toEqual(id('loan'));
    });

    it('rolls back everything written through tx when the function throws', async () => {
      const { store } = ctx;
      const before = await store.itemsSince(null);
      const boom = new Error('boom');
      await expect(
        store.withTransaction(async (tx) => {
          await writeEverything(tx);
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await store.isEmpty()).toBe(true);
      expect(await store.findUserByEmail('tx@example.org')).toBeNull();
      expect(await store.findUserByBadgeHash(hash('tx-badge'))).toBeNull();
      expect(await store.findItemByTag('TX-1')).toBeNull();
      expect((await store.itemsSince(null)).items).toEqual([]);
      expect((await store.itemsSince(before.cursor)).items).toEqual([]);
      expect(await store.listKiosks()).toEqual([]);
      expect(await store.findSession('ses_tx')).toBeNull();
      expect(await store.findRefresh('rt-tx')).toBeNull();
      expect(await store.getSecret('tx-secret')).toBeNull();
      expect(await store.getShared('tx-key', T0)).toBeNull();
      expect(await store.auditLog({ limit: 10 })).toEqual([]);
      expect(await store.findRecordedTx('tx-borrow')).toBeNull();
      expect(await store.loans({ status: 'all' })).toEqual([]);
      // Nothing half-made is in the way of doing it again.
      await store.withTransaction(writeEverything);
      expect(await store.isEmpty()).toBe(false);
    });

    it('rolls back the earlier writes when a nested step fails and the error is not caught', async () => {
      const { store } = ctx;
      const cam = await gear(store, 'CAM-1');
      await gear(store, 'TRI-1');
      await expectAppError(
        store.withTransaction(async (tx) => {
          await tx.createUser({
            email: 'ann@example.org',
            displayName: 'Ann',
            role: 'member',
            active: true,
            passwordHash: null,
          });
          await tx.updateItem(cam.id, { name: 'Renamed' });
          await tx.updateItem(cam.id, { tag: 'TRI-1' });
        }),
        'ALREADY_EXISTS',
      );
      expect(await store.findUserByEmail('ann@example.org')).toBeNull();
      expect(await store.findItem(cam.id)).toEqual(cam);
    });

    it('keeps the transaction usable after a nested step’s AppError is caught', async () => {
      const { store } = ctx;
      const { ann, cam } = await world(store);
      const out = await store.withTransaction(async (tx) => {
        await tx.updateUser(ann.id, { displayName: 'Ann before' });
        await expectAppError(tx.updateItem(cam.id, { tag: 'TRI-1' }), 'ALREADY_EXISTS');
        const dup = { credentialHash: hash('dup'), rosterHash: null, hint: null, label: null };
        await tx.addBadgeWithHint(ann.id, dup, T0);
        await expectAppError(tx.addBadgeWithHint(ann.id, dup, T0), 'BADGE_ALREADY_ENROLLED');
        return tx.updateUser(ann.id, { displayName: 'Ann after' });
      });
      expect(out?.displayName).toBe('Ann after');
      expect((await store.findUserById(ann.id))?.displayName).toBe('Ann after');
      expect(await store.badgesOf(ann.id)).toHaveLength(1);
      expect(await store.findItem(cam.id)).toMatchObject({ tag: 'CAM-1' });
    });

    it('starts every transaction clean on a connection used before, nested steps included', async () => {
      // The store's operations are made once per connection and kept (sql-store.ts): nothing
      // of one transaction (its rolled-back writes, its savepoints) may reach the next.
      const { store } = ctx;
      const { cam } = await world(store);
      const boom = new Error('boom');
      const refused: string[] = [];
      // A nested step refused (a savepoint rolled back). Anything else (PostgreSQL's
      // serialization failure when rounds run at once) goes on up, so the store retries.
      const refusedStep = (tx: StoreOps) =>
        tx.updateItem(cam.id, { tag: 'TRI-1' }).then(
          () => refused.push('not refused'),
          (err: unknown) => {
            if (!(err instanceof AppError)) throw err;
            refused.push(err.code);
          },
        );
      const round = async (i: number) => {
        const create = (tx: StoreOps) =>
          tx.createUser({
            email: `round${i}@example.org`,
            displayName: `R${i}`,
            role: 'member',
            active: true,
            passwordHash: null,
          });
        if (i % 2 === 1) {
          const failed = store.withTransaction(async (tx) => {
            await create(tx);
            await refusedStep(tx);
            throw boom;
          });
          await expect(failed).rejects.toBe(boom);
        } else {
          await store.withTransaction(async (tx) => {
            await refusedStep(tx);
            return create(tx);
          });
        }
      };
      // More rounds than PostgreSQL's pool has connections, one after another and at once.
      const rounds = [...Array(40).keys()];
      for (const i of rounds.slice(0, 24)) await round(i);
      await Promise.all(rounds.slice(24).map(round));
      for (const i of rounds) {
        const found = await store.findUserByEmail(`round${i}@example.org`);
        expect(found === null, `round ${i}`).toBe(i % 2 === 1);
      }
      expect(new Set(refused)).toEqual(new Set(['ALREADY_EXISTS']));
      expect(await store.findItem(cam.id)).toMatchObject({ tag: 'CAM-1' });
    });

    it('commits what came before a caught AppError when nothing follows it', async () => {
      const { store } = ctx;
      const { cam } = await world(store);
      const user = await store.withTransaction(async (tx) => {
        const u = await tx.createUser({
          email: 'dee@example.org',
          displayName: 'Dee',
          role: 'member',
          active: true,
          passwordHash: null,
        });
        await expectAppError(tx.updateItem(cam.id, { tag: 'TRI-1' }), 'ALREADY_EXISTS');
        return u;
      });
      // withTransaction resolved, so what was written through tx must be there.
      expect(await store.findUserById(user.id)).toEqual(user);
      expect((await store.findItem(cam.id))?.tag).toBe('CAM-1');
    });
  });
}
