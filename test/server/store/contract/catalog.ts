/** Contract: items and the catalog cursor, kiosks and their enrollment, rosters, heartbeats. */
import { describe, expect, it } from 'vitest';
import {
  DAY,
  HOUR,
  MIN,
  T0,
  expectAppError,
  gear,
  hash,
  id,
  kiosk,
  person,
  row,
  sync,
  type StoreContext,
} from './fixtures.ts';

/** What a new item's condition fields are: in order, never checked. */
const NEW_CONDITION = {
  condition: 'ok',
  conditionReport: null,
  conditionNote: null,
  conditionAt: null,
  missingParts: null,
} as const;

export function registerCatalogContract(ctx: StoreContext): void {
  describe('items and catalog', () => {
    it('creates items and finds them by id and tag', async () => {
      const { store } = ctx;
      const cam = await store.createItem({
        tag: 'CAM-1',
        name: 'Camera',
        category: 'Photo',
        loanDays: 7,
        restrictedTo: 'staff',
        lockerSlot: 'A1',
      });
      expect(cam).toEqual({
        id: id('itm'),
        tag: 'CAM-1',
        name: 'Camera',
        category: 'Photo',
        loanDays: 7,
        restrictedTo: 'staff',
        lockerSlot: 'A1',
        retired: false,
        version: expect.any(Number),
        onLoan: false,
        ...NEW_CONDITION,
        parts: [],
      });
      const tri = await store.createItem({
        id: 'itm_tripod',
        tag: 'TRI-1',
        name: 'Tripod',
        category: 'Photo',
        loanDays: 2,
        restrictedTo: null,
        lockerSlot: null,
      });
      expect(tri.id).toBe('itm_tripod');
      // A kit: its named parts kept in their order.
      const kit = await store.createItem({
        tag: 'KIT-1',
        name: 'Camera kit',
        category: 'Photo',
        loanDays: 3,
        restrictedTo: null,
        lockerSlot: null,
        parts: ['본체', '배터리 1', '배터리 2', '충전기'],
      });
      expect(await store.findItem(kit.id)).toMatchObject({
        parts: ['본체', '배터리 1', '배터리 2', '충전기'],
      });
      expect(tri.version).toBeGreaterThan(cam.version);

      expect(await store.findItem(cam.id)).toEqual(cam);
      expect(await store.findItem('itm_nothing')).toBeNull();
      expect(await store.findItemIdByTag('TRI-1')).toBe('itm_tripod');
      expect(await store.findItemIdByTag('tri-1')).toBeNull();
      expect(await store.findItemByTag('CAM-1')).toMatchObject(cam);
      expect(await store.findItemByTag('NOPE')).toBeNull();
      expect(await store.findItemWithHolder(cam.id)).toEqual({
        ...cam,
        holder: null,
        serial: null,
        notes: null,
        photo: null,
      });
      expect(await store.findItemWithHolder('itm_nothing')).toBeNull();
      // A tag names one item.
      await expect(gear(store, 'CAM-1')).rejects.toThrow();
    });

    it('gives every item with a cursor, then only what changed since it, and nothing when nothing did', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      const k1 = await kiosk(store, 'Front desk');
      const cam = await gear(store, 'CAM-1', { name: 'Camera' });
      const tri = await gear(store, 'TRI-1', { name: 'Tripod' });
      const mic = await gear(store, 'MIC-1', { name: 'Microphone' });

      const all = await store.itemsSince(null);
      expect(typeof all.cursor).toBe('number');
      expect(all.items).toEqual([cam, tri, mic]); // by version
      let cursor = all.cursor;
      const quiet = async () => {
        // Asked twice with no change between: nothing is sent again.
        const a = await store.itemsSince(cursor);
        const b = await store.itemsSince(a.cursor);
        expect(b.items).toEqual([]);
        expect(b.cursor).toBeGreaterThanOrEqual(a.cursor);
        cursor = b.cursor;
      };
      await quiet();

      // An edit from the dashboard.
      const renamed = await store.updateItem(tri.id, { name: 'Tall tripod' });
      let next = await store.itemsSince(cursor);
      expect(next.items).toEqual([{ ...tri, name: 'Tall tripod', version: renamed!.version }]);
      expect(renamed!.version).toBeGreaterThan(tri.version);
      expect(next.cursor).toBeGreaterThanOrEqual(cursor);
      cursor = next.cursor;
      await quiet();

      // A loan through sync.
      await sync(
        store,
        k1.id,
        [row({ id: 'tx-1', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 })],
        T0 + MIN,
      );
      next = await store.itemsSince(cursor);
      expect(next.items).toEqual([{ ...cam, onLoan: true, version: expect.any(Number) }]);
      expect(next.items[0]!.version).toBeGreaterThan(renamed!.version);
      // With whose it is (the route sends kiosks the first name only), for the changed items.
      expect(next.holders).toEqual(new Map([[cam.id, ann.displayName]]));
      cursor = next.cursor;
      await quiet();

      // Closed by hand from the dashboard.
      const [loan] = await store.loans({ status: 'open', itemId: cam.id });
      expect(await store.closeLoanManually(loan!.id, T0 + HOUR)).toBe(true);
      next = await store.itemsSince(cursor);
      expect(next.items).toEqual([{ ...cam, onLoan: false, version: expect.any(Number) }]);
      expect(next.holders).toEqual(new Map());
      cursor = next.cursor;
      await quiet();

      // A new item.
      const bag = await gear(store, 'BAG-1');
      next = await store.itemsSince(cursor);
      expect(next.items).toEqual([bag]);
      cursor = next.cursor;
      await quiet();

      // Changes come in the order they were made.
      await store.updateItem(mic.id, { retired: true });
      await store.updateItem(tri.id, { lockerSlot: 'B2' });
      next = await store.itemsSince(cursor);
      expect(next.items.map((i) => [i.tag, i.retired, i.lockerSlot])).toEqual([
        ['MIC-1', true, null],
        ['TRI-1', false, 'B2'],
      ]);
      expect((await store.itemsSince(null)).items.map((i) => i.tag)).toEqual([
        'CAM-1',
        'BAG-1',
        'MIC-1',
        'TRI-1',
      ]);
    });

    it('pages items since a cursor by item id (keyset), with the holders of that page only', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      const k1 = await kiosk(store, 'Front desk');
      const made = [];
      for (let i = 0; i < 7; i++) made.push(await gear(store, `PG-${i}`));
      await sync(
        store,
        k1.id,
        [row({ id: 'tx-pg', seq: 1, kind: 'borrow', itemId: made[3]!.id, userId: ann.id, occurredAt: T0 })],
        T0 + MIN,
      );
      const all = await store.itemsSince(null);
      const seen: string[] = [];
      let afterId: string | null = null;
      const holders = new Map<string, string>();
      for (;;) {
        const page: Awaited<ReturnType<typeof store.itemsSince>> = await store.itemsSince(null, {
          afterId,
          limit: 3,
        });
        expect(page.items.length).toBeLessThanOrEqual(3);
        expect(page.cursor).toBe(all.cursor);
        for (const [id, name] of page.holders) {
          expect(page.items.map((i) => i.id)).toContain(id);
          holders.set(id, name);
        }
        seen.push(...page.items.map((i) => i.id));
        if (page.items.length < 3) break;
        afterId = page.items.at(-1)!.id;
      }
      // Each item once (in the database's order of ids, which the keyset follows).
      expect(seen.length).toBe(all.items.length);
      expect(new Set(seen)).toEqual(new Set(all.items.map((i) => i.id)));
      expect(holders).toEqual(new Map([[made[3]!.id, ann.displayName]]));
      // Since a cursor: only what changed, still by id.
      await store.updateItem(made[5]!.id, { name: 'Renamed' });
      await store.updateItem(made[1]!.id, { name: 'Renamed too' });
      const since = await store.itemsSince(all.cursor, { afterId: null, limit: 3 });
      expect(new Set(since.items.map((i) => i.id))).toEqual(new Set([made[1]!.id, made[5]!.id]));
      expect(since.items.length).toBe(2);
    });

    it('sets an item condition, keeps its history newest first, and bumps the catalog version', async () => {
      const { store } = ctx;
      const cam = await gear(store, 'CAM-1');
      const kiosk = await store.createKiosk('Lobby', 'code-hash', 10_000_000);
      await store.setItemCondition({
        itemId: cam.id,
        at: 1_000,
        condition: 'needs_check',
        report: 'incomplete',
        note: '배터리 없음',
        missingParts: ['배터리 2', '충전기'],
        by: { kind: 'kiosk', name: kiosk.id },
        txId: 'tx-1',
      });
      const checked = await store.findItem(cam.id);
      expect(checked).toMatchObject({
        condition: 'needs_check',
        conditionReport: 'incomplete',
        conditionNote: '배터리 없음',
        conditionAt: 1_000,
        missingParts: ['배터리 2', '충전기'],
      });
      expect(checked!.version).toBeGreaterThan(cam.version);
      // An older report arriving late goes to the history only.
      await store.setItemCondition({
        itemId: cam.id,
        at: 500,
        condition: 'needs_check',
        report: 'damaged',
        note: null,
        by: { kind: 'kiosk', name: kiosk.id },
        txId: 'tx-0',
        current: false,
      });
      expect(await store.findItem(cam.id)).toMatchObject({
        conditionReport: 'incomplete',
        conditionAt: 1_000,
        missingParts: ['배터리 2', '충전기'],
      });
      await store.setItemCondition({
        itemId: cam.id,
        at: 2_000,
        condition: 'ok',
        report: null,
        note: 'checked',
        by: { kind: 'user', name: '박지훈' },
        txId: null,
      });
      expect(await store.findItem(cam.id)).toMatchObject({
        condition: 'ok',
        conditionReport: null,
        missingParts: null,
      });
      expect(await store.itemConditions(cam.id)).toEqual([
        {
          itemId: cam.id,
          at: 2_000,
          condition: 'ok',
          report: null,
          note: 'checked',
          missingParts: null,
          by: { kind: 'user', name: '박지훈' },
          txId: null,
        },
        {
          itemId: cam.id,
          at: 1_000,
          condition: 'needs_check',
          report: 'incomplete',
          note: '배터리 없음',
          missingParts: ['배터리 2', '충전기'],
          by: { kind: 'kiosk', name: 'Lobby' },
          txId: 'tx-1',
        },
        {
          itemId: cam.id,
          at: 500,
          condition: 'needs_check',
          report: 'damaged',
          note: null,
          missingParts: null,
          by: { kind: 'kiosk', name: 'Lobby' },
          txId: 'tx-0',
        },
      ]);
      expect(await store.itemConditions('itm_none')).toEqual([]);
    });

    it('updates every field of an item, and refuses a tag in use with ALREADY_EXISTS', async () => {
      const { store } = ctx;
      const cam = await gear(store, 'CAM-1', { name: 'Camera', category: 'Photo' });
      await gear(store, 'TRI-1');
      const updated = await store.updateItem(cam.id, {
        tag: 'CAM-2',
        name: 'Camera body',
        category: 'Video',
        loanDays: 3,
        restrictedTo: 'admin',
        lockerSlot: 'C3',
        retired: true,
        parts: ['본체', '렌즈 캡'],
      });
      const expected = {
        id: cam.id,
        tag: 'CAM-2',
        name: 'Camera body',
        category: 'Video',
        loanDays: 3,
        restrictedTo: 'admin',
        lockerSlot: 'C3',
        retired: true,
        version: expect.any(Number),
        onLoan: false,
        ...NEW_CONDITION,
        parts: ['본체', '렌즈 캡'],
      };
      expect(updated).toMatchObject(expected);
      expect(await store.findItem(cam.id)).toEqual(expected);
      expect(updated!.version).toBeGreaterThan(cam.version);

      // Clearing with null, un-retiring with false.
      expect(
        await store.updateItem(cam.id, { restrictedTo: null, lockerSlot: null, retired: false, parts: [] }),
      ).toMatchObject({
        restrictedTo: null,
        lockerSlot: null,
        retired: false,
        parts: [],
        tag: 'CAM-2',
      });
      expect(await store.updateItem('itm_nothing', { name: 'x' })).toBeNull();

      const before = await store.findItem(cam.id);
      await expectAppError(store.updateItem(cam.id, { tag: 'TRI-1', name: 'Renamed' }), 'ALREADY_EXISTS');
      expect(await store.findItem(cam.id)).toEqual(before);
      expect(await store.findItemIdByTag('TRI-1')).not.toBe(cam.id);
    });

    it('shows an item on loan, with its holder, until it is returned', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      const k = await kiosk(store, 'Front desk');
      const cam = await gear(store, 'CAM-1', { name: 'Camera', category: 'Photo', loanDays: 7 });
      const tri = await gear(store, 'TRI-1', { name: 'Tripod', category: 'Photo' });
      const mic = await gear(store, 'MIC-1', { name: 'Microphone', category: 'Audio' });
      await store.updateItem(mic.id, { retired: true });
      const [result] = await sync(
        store,
        k.id,
        [row({ id: 'tx-1', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 })],
        T0 + MIN,
      );
      const loanId = result!.loanId!;

      expect(await store.findItem(cam.id)).toMatchObject({ onLoan: true });
      expect(await store.findItem(tri.id)).toMatchObject({ onLoan: false });
      const holder = { loanId, userId: ann.id, userName: 'Ann', since: T0, dueAt: T0 + 7 * DAY };
      expect(await store.findItemWithHolder(cam.id)).toMatchObject({ id: cam.id, onLoan: true, holder });
      expect(await store.findItemByTag('CAM-1')).toMatchObject({ onLoan: true, holder });
      // Not retired first, then by category and name.
      expect(
        (await store.itemsWithHolders()).map((i) => [i.tag, i.onLoan, i.holder?.userName ?? null]),
      ).toEqual([
        ['CAM-1', true, 'Ann'],
        ['TRI-1', false, null],
        ['MIC-1', false, null],
      ]);

      await sync(
        store,
        k.id,
        [row({ id: 'tx-2', seq: 2, kind: 'return', itemId: cam.id, userId: ann.id, occurredAt: T0 + HOUR })],
        T0 + HOUR,
      );
      expect(await store.findItem(cam.id)).toMatchObject({ onLoan: false });
      expect(await store.findItemWithHolder(cam.id)).toMatchObject({ onLoan: false, holder: null });
    });
  });

  describe('kiosks', () => {
    it('enrolls a kiosk once per code', async () => {
      const { store } = ctx;
      const created = await store.createKiosk('Front desk', hash('code-1'), T0 + HOUR);
      expect(created).toEqual({
        id: id('ksk', 12),
        name: 'Front desk',
        publicJwk: null,
        enrolledAt: null,
        revokedAt: null,
      });
      expect(await store.findKiosk(created.id)).toEqual(created);
      expect(await store.enrollKiosk(hash('wrong'), '{"k":1}', T0)).toBeNull();

      const enrolled = await store.enrollKiosk(hash('code-1'), '{"k":1}', T0 + MIN);
      expect(enrolled).toEqual({ ...created, publicJwk: '{"k":1}', enrolledAt: T0 + MIN });
      expect(await store.findKiosk(created.id)).toEqual(enrolled);
      expect(await store.enrollKiosk(hash('code-1'), '{"k":2}', T0 + 2 * MIN)).toBeNull();
      expect(await store.findKiosk(created.id)).toEqual(enrolled);
      expect(await store.findKiosk('ksk_nothing')).toBeNull();
    });

    it('gives an enrolled kiosk a new code that replaces its key and keeps its id and enrolment time', async () => {
      const { store } = ctx;
      const first = await kiosk(store, 'Lab 2');
      expect(await store.renewEnrollmentCode('ksk_nothing', hash('code-x'), T0 + HOUR)).toBeNull();
      expect(await store.renewEnrollmentCode(first.id, hash('code-new'), T0 + HOUR)).toEqual(first);
      const again = await store.enrollKiosk(hash('code-new'), '{"k":"new"}', T0 + 3 * MIN);
      expect(again).toEqual({ ...first, publicJwk: '{"k":"new"}' });
      expect(await store.enrollKiosk(hash('code-new'), '{"k":"other"}', T0 + 4 * MIN)).toBeNull();
      expect(await store.revokeKiosk(first.id, T0 + 5 * MIN)).toBe(true);
      expect(await store.renewEnrollmentCode(first.id, hash('code-late'), T0 + HOUR)).toBeNull();
    });

    it('refuses an expired code and a revoked kiosk', async () => {
      const { store } = ctx;
      const late = await store.createKiosk('Late', hash('code-late'), T0 + HOUR);
      expect(await store.enrollKiosk(hash('code-late'), '{}', T0 + HOUR)).toBeNull();
      expect(await store.enrollKiosk(hash('code-late'), '{}', T0 + 2 * HOUR)).toBeNull();
      expect(await store.findKiosk(late.id)).toEqual(late);

      const gone = await store.createKiosk('Gone', hash('code-gone'), T0 + HOUR);
      expect(await store.revokeKiosk(gone.id, T0)).toBe(true);
      expect(await store.revokeKiosk(gone.id, T0 + MIN)).toBe(false);
      expect(await store.enrollKiosk(hash('code-gone'), '{}', T0 + MIN)).toBeNull();
      expect(await store.findKiosk(gone.id)).toEqual({ ...gone, revokedAt: T0 });
      expect(await store.revokeKiosk('ksk_nothing', T0)).toBe(false);

      const enrolled = await kiosk(store, 'Enrolled');
      expect(await store.revokeKiosk(enrolled.id, T0 + HOUR)).toBe(true);
      expect(await store.findKiosk(enrolled.id)).toEqual({ ...enrolled, revokedAt: T0 + HOUR });
    });

    it('forgets enrollment codes past their time', async () => {
      const { store } = ctx;
      await store.createKiosk('A', hash('code-a'), T0 + MIN);
      await store.createKiosk('B', hash('code-b'), T0 + HOUR);
      await store.createKiosk('C', hash('code-c'), T0 + 2 * MIN);
      await kiosk(store, 'D');
      expect(await store.expireEnrollmentCodes(T0 + 2 * MIN)).toBe(2);
      expect(await store.expireEnrollmentCodes(T0 + 2 * MIN)).toBe(0);
      expect(await store.enrollKiosk(hash('code-a'), '{}', T0)).toBeNull();
      expect(await store.enrollKiosk(hash('code-b'), '{}', T0)).toMatchObject({ name: 'B', enrolledAt: T0 });
    });

    it('lists kiosks with their last sync and latest heartbeat, revoked last', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      const cam = await gear(store, 'CAM-1');
      const zed = await kiosk(store, 'Zed');
      const alpha = await kiosk(store, 'Alpha');
      const old = await kiosk(store, 'Old');
      await store.revokeKiosk(alpha.id, T0 + DAY);
      await sync(
        store,
        zed.id,
        [row({ id: 'tx-1', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 })],
        T0 + 5 * MIN,
      );
      const readers = [
        { id: 'nfc0', kind: 'nfc', status: 'ok' as const },
        { id: 'kbd0', kind: 'keyboard', status: 'error' as const, detail: 'unplugged' },
      ];
      await store.saveHeartbeat({
        kioskId: zed.id,
        receivedAt: T0 + MIN,
        queueDepth: 3,
        oldestUnsyncedAgeS: 12.5,
        readers: [],
        clockOffsetMs: -250,
        appVersion: '1.0.0',
      });
      await store.saveHeartbeat({
        kioskId: zed.id,
        receivedAt: T0 + 2 * MIN,
        queueDepth: 0,
        oldestUnsyncedAgeS: null,
        readers,
        clockOffsetMs: null,
        appVersion: '1.0.1',
      });

      expect(await store.listKiosks()).toEqual([
        { id: old.id, name: 'Old', enrolledAt: T0, revokedAt: null, lastSyncAt: null, heartbeat: null },
        {
          id: zed.id,
          name: 'Zed',
          enrolledAt: T0,
          revokedAt: null,
          lastSyncAt: T0 + 5 * MIN,
          heartbeat: {
            kioskId: zed.id,
            receivedAt: T0 + 2 * MIN,
            queueDepth: 0,
            oldestUnsyncedAgeS: null,
            readers,
            clockOffsetMs: null,
            appVersion: '1.0.1',
          },
        },
        {
          id: alpha.id,
          name: 'Alpha',
          enrolledAt: T0,
          revokedAt: T0 + DAY,
          lastSyncAt: null,
          heartbeat: null,
        },
      ]);
      await store.saveHeartbeat({
        kioskId: old.id,
        receivedAt: T0 + 3 * MIN,
        queueDepth: 7,
        oldestUnsyncedAgeS: 0.25,
        readers: [],
        clockOffsetMs: 1.5,
        appVersion: '0.9.0',
      });
      expect((await store.listKiosks())[0]!.heartbeat).toEqual({
        kioskId: old.id,
        receivedAt: T0 + 3 * MIN,
        queueDepth: 7,
        oldestUnsyncedAgeS: 0.25,
        readers: [],
        clockOffsetMs: 1.5,
        appVersion: '0.9.0',
      });
    });

    it('records the rosters given to kiosks', async () => {
      const { store } = ctx;
      const k = await kiosk(store, 'Front desk');
      await store.recordRoster('rst_1', k.id, T0, T0 + DAY);
      expect(await store.findRoster('rst_1')).toEqual({ kioskId: k.id, issuedAt: T0, expiresAt: T0 + DAY });
      expect(await store.findRoster('rst_2')).toBeNull();
      await expect(store.recordRoster('rst_1', k.id, T0, T0 + DAY)).rejects.toThrow();
    });
  });
}
