/**
 * Contract: the audit log, conflicts and unknown badges in keyset pages with filters and a count. Paging
 * through with any page size gives every row once, in the order of the whole list, also
 * where rows share a millisecond; each filter gives exactly the rows it names.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntryRow, ConflictFilter } from '../../../../server/store/admin-store.ts';
import { MIN, T0, expectAppError, hash, row, sync, world, type StoreContext } from './fixtures.ts';

export function registerAuditPagesContract(ctx: StoreContext): void {
  describe('audit log and conflicts (keyset pages)', () => {
    it('pages conflicts newest first without skipping or repeating, and filters by state, kiosk, code and time', async () => {
      const { store } = ctx;
      const { ann, bo, cam, tri, k1, k2 } = await world(store);
      // 12 refused rows, two to a millisecond, from two kiosks, with two codes.
      for (let i = 0; i < 12; i++) {
        const k = i % 3 === 0 ? k2 : k1;
        await sync(
          store,
          k.id,
          [
            row({
              id: `cf-${String(i).padStart(2, '0')}`,
              seq: i + 1,
              kind: i % 2 ? 'return' : 'borrow',
              itemId: i % 2 ? cam.id : tri.id,
              userId: i % 2 ? ann.id : bo.id,
              occurredAt: T0,
              authError: i % 4 === 0 ? 'TOKEN_INVALID' : 'TOKEN_EXPIRED',
            }),
          ],
          T0 + Math.floor(i / 2) * MIN,
        );
      }
      const every = await store.conflictsPage({ state: 'all', limit: 100 });
      expect(every.total).toBe(12);
      expect(every.next).toBeNull();
      const order = [...every.rows].sort(
        (x, y) => y.receivedAt - x.receivedAt || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0),
      );
      expect(every.rows.map((c) => c.id)).toEqual(order.map((c) => c.id));

      for (const size of [1, 4, 5]) {
        const seen: string[] = [];
        let after: ConflictFilter['after'] = null;
        for (let n = 0; n < 20; n++) {
          const page = await store.conflictsPage({ state: 'open', after, limit: size });
          expect(page.total).toBe(12);
          expect(page.rows.length).toBeLessThanOrEqual(size);
          seen.push(...page.rows.map((c) => c.id));
          if (!page.next) break;
          after = page.next;
        }
        expect(seen).toEqual(every.rows.map((c) => c.id));
      }

      const ids = async (f: Omit<ConflictFilter, 'limit'>) =>
        (await store.conflictsPage({ ...f, limit: 100 })).rows.map((c) => c.id).sort();
      expect(await ids({ state: 'all', kioskId: k2.id })).toEqual(['cf-00', 'cf-03', 'cf-06', 'cf-09']);
      expect(await ids({ state: 'all', code: 'TOKEN_INVALID' })).toEqual(['cf-00', 'cf-04', 'cf-08']);
      expect(await ids({ state: 'all', from: T0 + 4 * MIN, to: T0 + 5 * MIN })).toEqual(['cf-08', 'cf-09']);
      expect((await store.conflictsPage({ state: 'all', kioskId: k1.id, limit: 2 })).total).toBe(8);

      expect(await store.resolveConflict('cf-04', 'Admin', 'checked', T0 + 10 * MIN)).toBe(true);
      expect(await ids({ state: 'resolved' })).toEqual(['cf-04']);
      expect((await store.conflictsPage({ state: 'open', limit: 1 })).total).toBe(11);
      const [resolved] = (await store.conflictsPage({ state: 'resolved', limit: 5 })).rows;
      expect(resolved).toMatchObject({ id: 'cf-04', resolvedBy: 'Admin', resolution: 'checked' });
    });

    it('pages the merged audit log with names and changes, and filters by kind, actor, target and time', async () => {
      const { store } = ctx;
      const { ann, bo, cam, k1 } = await world(store);
      const admin = { kind: 'user' as const, id: ann.id, name: 'Ann', via: 'session:ses_1' };
      // Log rows and transactions in the same milliseconds, so the merge order is what is tested.
      for (let i = 0; i < 5; i++) {
        const at = T0 + Math.floor(i / 2) * MIN;
        await store.audit(
          {
            actor: admin,
            action: 'person.update',
            targetKind: 'person',
            targetId: bo.id,
            detail: `edit ${i}`,
            changes: [{ field: 'role', before: 'member', after: i % 2 ? 'staff' : 'admin' }],
          },
          at,
        );
        await store.audit(
          { actor: admin, action: 'item.create', targetKind: 'item', targetId: cam.id, detail: 'Camera' },
          at,
        );
        await sync(
          store,
          k1.id,
          [
            row({
              id: `tx-${i}`,
              seq: i + 1,
              kind: i % 2 ? 'return' : 'borrow',
              itemId: cam.id,
              userId: bo.id,
              occurredAt: at,
            }),
          ],
          at,
        );
      }
      const all = await store.auditPage({ limit: 100 });
      expect(all.total).toBe(15);
      expect(all.next).toBeNull();
      const keys = all.rows.map((r) => r.key);
      expect(keys).toEqual([...keys].sort().reverse());
      expect(new Set(keys).size).toBe(15);
      // The log's plain view lists the same rows in the same order.
      expect((await store.auditLog({ limit: 100 })).map((r) => r.key)).toEqual(keys);

      for (const size of [1, 2, 4, 7]) {
        const seen: string[] = [];
        let before: string | undefined;
        for (let n = 0; n < 30; n++) {
          const page = await store.auditPage({ ...(before ? { before } : {}), limit: size });
          expect(page.total).toBe(15);
          seen.push(...page.rows.map((r) => r.key));
          if (!page.next) break;
          before = page.next;
        }
        expect(seen).toEqual(keys);
      }

      const edit = all.rows.find((r) => r.action === 'person.update')!;
      expect(edit).toMatchObject({
        actorName: 'Ann',
        targetName: 'Bo',
        changes: [{ field: 'role', before: 'member', after: 'admin' }],
        tx: null,
      });
      const borrow: AuditEntryRow = all.rows.find((r) => r.action === 'tx.borrow')!;
      expect(borrow.tx).toEqual({
        kind: 'borrow',
        status: 'applied',
        code: null,
        userId: bo.id,
        userName: 'Bo',
        itemName: 'Camera',
        kioskName: 'Front desk',
      });
      expect(all.rows.find((r) => r.action === 'item.create')).toMatchObject({
        targetName: 'Camera',
        changes: null,
      });

      const actions = async (f: Parameters<typeof store.auditPage>[0]) => {
        const page = await store.auditPage(f);
        expect(page.total).toBe(page.rows.length);
        return page.rows.map((r) => r.action).sort();
      };
      expect(await actions({ kind: 'tx', limit: 100 })).toEqual([
        ...Array<string>(3).fill('tx.borrow'),
        ...Array<string>(2).fill('tx.return'),
      ]);
      expect(await actions({ kind: 'item', limit: 100 })).toEqual(Array<string>(5).fill('item.create'));
      // Who acted: Ann's changes; at a kiosk, the person who tapped (Bo).
      expect(await actions({ actorId: ann.id, kind: 'person', limit: 100 })).toEqual(
        Array<string>(5).fill('person.update'),
      );
      expect((await actions({ actorId: bo.id, limit: 100 })).every((a) => a.startsWith('tx.'))).toBe(true);
      // About Bo: the edits of him; about the camera: its creation and its transactions.
      expect(await actions({ targetId: bo.id, limit: 100 })).toEqual(Array<string>(5).fill('person.update'));
      expect((await actions({ targetId: cam.id, limit: 100 })).length).toBe(10);
      expect((await actions({ from: T0 + MIN, to: T0 + 2 * MIN, limit: 100 })).length).toBe(6);
      // A filtered list pages like the whole one.
      const txOnly = await store.auditPage({ kind: 'tx', limit: 2 });
      expect(txOnly.total).toBe(5);
      expect(txOnly.rows).toHaveLength(2);
      const rest = await store.auditPage({ kind: 'tx', before: txOnly.next!, limit: 10 });
      expect([...txOnly.rows, ...rest.rows].map((r) => r.key)).toEqual(
        all.rows.filter((r) => r.tx).map((r) => r.key),
      );

      await expectAppError(store.auditPage({ before: '000000000000001:aX', limit: 5 }), 'BAD_REQUEST');
    });

    it('pages unknown badges newest first, by kiosk and time, and leaves out badges enrolled since', async () => {
      const { store } = ctx;
      const { ann, k1, k2 } = await world(store);
      // 12 taps, two to a millisecond, at two kiosks.
      for (let i = 0; i < 12; i++)
        await store.recordUnknownTap(
          hash(`nfc:u${i}`),
          `nfc …${i}`,
          i % 3 ? k1.id : k2.id,
          T0 + Math.floor(i / 2) * MIN,
        );
      const all = await store.unknownTapsPage({ limit: 100 });
      expect(all.total).toBe(12);
      expect(all.rows.map((t) => t.at)).toEqual([...all.rows.map((t) => t.at)].sort((a, b) => b - a));
      for (const size of [1, 5]) {
        const seen: string[] = [];
        let after: { at: number; id: string } | null = null;
        for (let n = 0; n < 20; n++) {
          const page = await store.unknownTapsPage({ after, limit: size });
          expect(page.total).toBe(12);
          seen.push(...page.rows.map((t) => t.id));
          if (!page.next) break;
          after = page.next;
        }
        expect(seen).toEqual(all.rows.map((t) => t.id));
      }
      const atK2 = await store.unknownTapsPage({ kioskId: k2.id, limit: 100 });
      expect(atK2.rows.map((t) => t.hint).sort()).toEqual(['nfc …0', 'nfc …3', 'nfc …6', 'nfc …9']);
      expect(atK2.rows.every((t) => t.kioskName === 'Workshop')).toBe(true);
      expect((await store.unknownTapsPage({ from: T0 + MIN, to: T0 + 2 * MIN, limit: 100 })).total).toBe(2);
      await store.addBadge(ann.id, hash('nfc:u6'));
      expect((await store.unknownTapsPage({ kioskId: k2.id, limit: 100 })).total).toBe(3);
    });
  });
}
