/** Contract: people, badges, unknown badge taps and the offline roster. */
import { describe, expect, it } from 'vitest';
import { UNKNOWN_TAPS_KEPT } from '../../../../server/store/sql/admin-people.ts';
import {
  T0,
  MIN,
  expectAppError,
  hash,
  id,
  person,
  kiosk,
  row,
  sync,
  gear,
  type StoreContext,
} from './fixtures.ts';

export function registerPeopleContract(ctx: StoreContext): void {
  describe('people and badges', () => {
    it('creates users and finds them by id and by email, case-insensitively', async () => {
      const { store } = ctx;
      expect(await store.isEmpty()).toBe(true);
      const ann = await store.createUser({
        email: 'Ann.Lee@Example.org',
        displayName: 'Ann Lee',
        role: 'staff',
        active: true,
        passwordHash: 'scrypt$ann',
      });
      expect(ann).toEqual({
        id: id('usr'),
        email: 'Ann.Lee@Example.org',
        displayName: 'Ann Lee',
        role: 'staff',
        active: true,
        passwordHash: 'scrypt$ann',
      });
      expect(await store.isEmpty()).toBe(false);
      expect(await store.findUserById(ann.id)).toEqual(ann);
      expect(await store.findUserByEmail('ann.lee@example.org')).toEqual(ann);
      expect(await store.findUserByEmail('ANN.LEE@EXAMPLE.ORG')).toEqual(ann);
      expect(await store.findUserByEmail('ann@example.org')).toBeNull();
      expect(await store.findUserById('usr_nobody')).toBeNull();

      const bo = await store.createUser({
        id: 'usr_bo',
        email: null,
        displayName: 'Bo',
        role: 'member',
        active: false,
        passwordHash: null,
      });
      expect(bo).toEqual({
        id: 'usr_bo',
        email: null,
        displayName: 'Bo',
        role: 'member',
        active: false,
        passwordHash: null,
      });
      expect(await store.findUserById('usr_bo')).toEqual(bo);
      // Many people may have no email at all.
      await person(store, 'Cy', { email: null });
      // The same email in another case is the same email.
      await expect(person(store, 'Ann Again', { email: 'ANN.lee@example.ORG' })).rejects.toThrow();
      expect((await store.peopleWithCounts()).map((p) => p.displayName)).toEqual(['Ann Lee', 'Cy', 'Bo']);
    });

    it('adds badges and finds their holder by badge hash and by roster hash', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      const bo = await person(store, 'Bo');
      await store.addBadge(ann.id, hash('nfc:01'), 'blue card', hash('roster:01'));
      await store.addBadge(ann.id, hash('nfc:02'));
      await store.addBadge(bo.id, hash('nfc:03'), 'fob');

      expect(await store.findUserByBadgeHash(hash('nfc:01'))).toEqual(ann);
      expect(await store.findUserByBadgeHash(hash('nfc:02'))).toEqual(ann);
      expect(await store.findUserByBadgeHash(hash('nfc:03'))).toEqual(bo);
      expect(await store.findUserByBadgeHash(hash('nfc:99'))).toBeNull();
      // Sealed: the badge has its roster hash and its hint (a tap fills in what it lacks).
      expect(await store.findBadgeHolder(hash('nfc:01'))).toEqual({ user: ann, sealed: false });
      expect(await store.findBadgeHolder(hash('nfc:02'))).toEqual({ user: ann, sealed: false });
      expect(await store.findBadgeHolder(hash('nfc:99'))).toBeNull();
      await store.setRosterHash(hash('nfc:01'), hash('roster:01b'), '01');
      await store.setRosterHash(hash('nfc:02'), hash('roster:02'));
      expect(await store.findBadgeHolder(hash('nfc:01'))).toEqual({ user: ann, sealed: true });
      expect(await store.findBadgeHolder(hash('nfc:02'))).toEqual({ user: ann, sealed: false });
      await store.setRosterHash(hash('nfc:02'), hash('roster:02'), '02');
      expect(await store.findBadgeHolder(hash('nfc:02'))).toEqual({ user: ann, sealed: true });
      expect(await store.findUserByRosterHash(hash('roster:01'))).toEqual(ann);
      expect(await store.findUserByRosterHash(hash('roster:99'))).toBeNull();
      // A credential belongs to one person.
      await expect(store.addBadge(bo.id, hash('nfc:01'))).rejects.toThrow();

      expect(await store.badgesOf(bo.id)).toEqual([
        { id: hash('nfc:03').slice(0, 16), label: 'fob', hint: null, addedAt: null },
      ]);
      expect(await store.findPerson(ann.id)).toEqual({
        ...ann,
        badges: 2,
        openLoans: 0,
        employeeNumber: null,
        department: null,
      });

      expect(await store.removeBadge(bo.id, hash('nfc:01').slice(0, 16))).toBe(false); // not Bo's
      expect(await store.removeBadge(ann.id, hash('nfc:01').slice(0, 16))).toBe(true);
      expect(await store.removeBadge(ann.id, hash('nfc:01').slice(0, 16))).toBe(false);
      expect(await store.findUserByBadgeHash(hash('nfc:01'))).toBeNull();
      expect(await store.findUserByRosterHash(hash('roster:01'))).toBeNull();
    });

    it('lists badges oldest first, those added without a time first', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      await store.addBadgeWithHint(
        ann.id,
        { credentialHash: hash('nfc:late'), rosterHash: null, hint: 'nfc …late', label: 'late' },
        T0 + MIN,
      );
      await store.addBadgeWithHint(
        ann.id,
        { credentialHash: hash('nfc:early'), rosterHash: null, hint: 'nfc …arly', label: 'early' },
        T0,
      );
      await store.addBadge(ann.id, hash('nfc:legacy'), 'legacy');
      // SQLite sorts NULL first in ascending order; the port gives one order on every database.
      expect((await store.badgesOf(ann.id)).map((b) => b.label)).toEqual(['legacy', 'early', 'late']);
    });

    it('updates a person, and refuses an email someone else has (in any case) with ALREADY_EXISTS', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann', { email: 'ann@example.org' });
      const bo = await person(store, 'Bo', { email: 'bo@example.org' });

      const updated = await store.updateUser(bo.id, {
        displayName: 'Bo Berg',
        role: 'admin',
        active: false,
        passwordHash: 'scrypt$bo',
        email: 'Bo.Berg@Example.org',
      });
      expect(updated).toEqual({
        id: bo.id,
        email: 'Bo.Berg@Example.org',
        displayName: 'Bo Berg',
        role: 'admin',
        active: false,
        passwordHash: 'scrypt$bo',
      });
      expect(await store.findUserById(bo.id)).toEqual(updated);
      expect(await store.updateUser(bo.id, {})).toEqual(updated);
      expect(await store.updateUser('usr_nobody', { displayName: 'X' })).toBeNull();

      await expectAppError(store.updateUser(bo.id, { email: 'ANN@example.org' }), 'ALREADY_EXISTS');
      expect(await store.findUserById(bo.id)).toEqual(updated);
      // A person may change the case of their own email.
      expect((await store.updateUser(ann.id, { email: 'Ann@Example.org' }))?.email).toBe('Ann@Example.org');
      expect(await store.findUserByEmail('ann@example.org')).toEqual({ ...ann, email: 'Ann@Example.org' });

      await store.setPasswordHash(ann.id, 'scrypt$new', T0);
      expect((await store.findUserById(ann.id))?.passwordHash).toBe('scrypt$new');
    });

    it('adds a badge with a hint, and refuses one that is enrolled with BADGE_ALREADY_ENROLLED', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      const bo = await person(store, 'Bo');
      const badge = await store.addBadgeWithHint(
        ann.id,
        { credentialHash: hash('nfc:0a'), rosterHash: hash('roster:0a'), hint: 'nfc …0a', label: 'card' },
        T0,
      );
      expect(badge).toEqual({ id: hash('nfc:0a').slice(0, 16), label: 'card', hint: 'nfc …0a', addedAt: T0 });
      expect(await store.badgesOf(ann.id)).toEqual([badge]);
      expect(await store.findUserByRosterHash(hash('roster:0a'))).toEqual(ann);

      await expectAppError(
        store.addBadgeWithHint(
          bo.id,
          { credentialHash: hash('nfc:0a'), rosterHash: null, hint: 'nfc …0a', label: null },
          T0 + MIN,
        ),
        'BADGE_ALREADY_ENROLLED',
      );
      await store.addBadge(bo.id, hash('nfc:0b'));
      await expectAppError(
        store.addBadgeWithHint(
          ann.id,
          { credentialHash: hash('nfc:0b'), rosterHash: null, hint: null, label: null },
          T0 + MIN,
        ),
        'BADGE_ALREADY_ENROLLED',
      );
      expect(await store.badgesOf(bo.id)).toEqual([
        { id: hash('nfc:0b').slice(0, 16), label: null, hint: null, addedAt: null },
      ]);
      expect(await store.findUserByBadgeHash(hash('nfc:0a'))).toEqual(ann);
    });

    it('counts unknown badge taps, hides badges enrolled since, and forgets them once given to someone', async () => {
      const { store } = ctx;
      const k1 = await kiosk(store, 'Front desk');
      const k2 = await kiosk(store, 'Workshop');
      await store.recordUnknownTap(hash('nfc:x1'), 'nfc …x1', k1.id, T0);
      await store.recordUnknownTap(hash('nfc:x2'), 'nfc …x2', k1.id, T0 + MIN);
      await store.recordUnknownTap(hash('nfc:x1'), 'nfc …x1', k2.id, T0 + 2 * MIN);
      await store.recordUnknownTap(hash('nfc:x3'), 'nfc …x3', 'ksk_gone', T0 + 3 * MIN);

      const taps = await store.unknownTaps();
      expect(taps).toEqual([
        { id: id('tap'), hint: 'nfc …x3', kioskId: 'ksk_gone', kioskName: null, at: T0 + 3 * MIN, count: 1 },
        { id: id('tap'), hint: 'nfc …x1', kioskId: k2.id, kioskName: 'Workshop', at: T0 + 2 * MIN, count: 2 },
        { id: id('tap'), hint: 'nfc …x2', kioskId: k1.id, kioskName: 'Front desk', at: T0 + MIN, count: 1 },
      ]);
      const [x3, x1, x2] = taps;
      expect(await store.takeUnknownTap(x1!.id)).toEqual({ credentialHash: hash('nfc:x1'), hint: 'nfc …x1' });
      expect(await store.takeUnknownTap('tap_nothing')).toBeNull();

      // Enrolled elsewhere (a kiosk's service mode): hidden from the list, the row stays.
      const ann = await person(store, 'Ann');
      await store.addBadge(ann.id, hash('nfc:x2'));
      expect((await store.unknownTaps()).map((t) => t.id)).toEqual([x3!.id, x1!.id]);
      expect(await store.takeUnknownTap(x2!.id)).toEqual({ credentialHash: hash('nfc:x2'), hint: 'nfc …x2' });

      // Given to someone from the list: gone.
      await store.addBadgeWithHint(
        ann.id,
        { credentialHash: hash('nfc:x1'), rosterHash: null, hint: 'nfc …x1', label: null },
        T0 + 4 * MIN,
      );
      expect((await store.unknownTaps()).map((t) => t.id)).toEqual([x3!.id]);
      expect(await store.takeUnknownTap(x1!.id)).toBeNull();
    });

    it(`keeps the ${UNKNOWN_TAPS_KEPT} most recently tapped unknown badges`, async () => {
      const { store } = ctx;
      const k = await kiosk(store, 'Front desk');
      const N = UNKNOWN_TAPS_KEPT;
      await store.recordUnknownTap(hash('tap:0'), 'kbd …0', k.id, T0);
      const [first] = await store.unknownTaps();
      for (let i = 1; i < N + 5; i++)
        await store.recordUnknownTap(hash(`tap:${i}`), `kbd …${i}`, k.id, T0 + i * MIN);
      // Tapped again while still listed: counted, and recent again. Tapped again after it
      // was dropped: a new entry, and the oldest one goes.
      await store.recordUnknownTap(hash('tap:100'), 'kbd …100', k.id, T0 + (N + 10) * MIN);
      await store.recordUnknownTap(hash('tap:3'), 'kbd …3', k.id, T0 + (N + 11) * MIN);

      const taps = await store.unknownTaps();
      expect(taps).toHaveLength(N);
      expect(taps.slice(0, 2)).toEqual([
        {
          id: id('tap'),
          hint: 'kbd …3',
          kioskId: k.id,
          kioskName: 'Front desk',
          at: T0 + (N + 11) * MIN,
          count: 1,
        },
        {
          id: id('tap'),
          hint: 'kbd …100',
          kioskId: k.id,
          kioskName: 'Front desk',
          at: T0 + (N + 10) * MIN,
          count: 2,
        },
      ]);
      const rest = Array.from({ length: N - 1 }, (_, i) => N + 4 - i).filter((i) => i !== 100);
      expect(taps.map((t) => t.hint)).toEqual(['kbd …3', 'kbd …100', ...rest.map((i) => `kbd …${i}`)]);
      expect(taps.map((t) => t.at)).toEqual([...taps.map((t) => t.at)].sort((a, b) => b - a));
      expect(await store.takeUnknownTap(first!.id)).toBeNull();
    });

    it('activates and deactivates people, and lists active people by name', async () => {
      const { store } = ctx;
      const zoe = await person(store, 'Zoe');
      const ann = await person(store, 'Ann');
      const bo = await person(store, 'Bo', { active: false });
      const ann2 = await store.createUser({
        id: 'usr_0000000000000000',
        email: null,
        displayName: 'Ann',
        role: 'staff',
        active: true,
        passwordHash: null,
      });
      // Byte order: upper case before lower case, the same on both databases.
      const low = await person(store, 'al', { email: null });

      // With what tells two of one name apart (none set here but the email).
      const more = (email: string | null) => ({ department: null, employeeNumber: null, email });
      expect(await store.listActivePeople()).toEqual([
        { id: ann2.id, displayName: 'Ann', ...more(ann2.email) }, // same name: by id
        { id: ann.id, displayName: 'Ann', ...more(ann.email) },
        { id: zoe.id, displayName: 'Zoe', ...more(zoe.email) },
        { id: low.id, displayName: 'al', ...more(null) },
      ]);

      expect(await store.setUserActive(zoe.id, false)).toBe(true);
      expect(await store.setUserActive(bo.id, true)).toBe(true);
      expect(await store.setUserActive('usr_nobody', true)).toBe(false);
      expect((await store.findUserById(zoe.id))?.active).toBe(false);
      expect((await store.findUserById(bo.id))?.active).toBe(true);
      expect((await store.listActivePeople()).map((p) => p.id)).toEqual([ann2.id, ann.id, bo.id, low.id]);

      const people = await store.peopleWithCounts();
      expect(people.map((p) => [p.displayName, p.active])).toEqual([
        ['Ann', true],
        ['Ann', true],
        ['Bo', true],
        ['al', true],
        ['Zoe', false],
      ]);
    });

    it('lists roster entries of active people with a roster hash, by roster hash', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann', { role: 'staff' });
      const bo = await person(store, 'Bo');
      const cy = await person(store, 'Cy', { active: false });
      await store.addBadge(ann.id, hash('nfc:a1'), undefined, 'r-b');
      await store.addBadge(ann.id, hash('nfc:a2')); // no roster hash yet
      await store.addBadge(bo.id, hash('nfc:b1'), 'fob', 'r-a');
      await store.addBadge(cy.id, hash('nfc:c1'), undefined, 'r-c'); // inactive

      expect(await store.rosterEntries()).toEqual([
        { rosterHash: 'r-a', userId: bo.id, displayName: 'Bo', role: 'member' },
        { rosterHash: 'r-b', userId: ann.id, displayName: 'Ann', role: 'staff' },
      ]);
      // Filled when the raw credential passes by; never overwritten.
      await store.setRosterHash(hash('nfc:a2'), 'r-0');
      await store.setRosterHash(hash('nfc:a1'), 'r-z');
      expect((await store.rosterEntries()).map((e) => e.rosterHash)).toEqual(['r-0', 'r-a', 'r-b']);
      expect(await store.findUserByRosterHash('r-0')).toEqual(ann);
      expect(await store.findUserByRosterHash('r-z')).toBeNull();
    });

    it("fills a badge's missing hint when it passes by, never overwriting one; labels a badge", async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      const bo = await person(store, 'Bo');
      await store.addBadge(ann.id, hash('kbd:1042'), undefined, 'r-1'); // a roster hash, no hint
      await store.addBadgeWithHint(
        ann.id,
        { credentialHash: hash('kbd:2077'), rosterHash: null, hint: 'kbd:…77', label: null },
        T0,
      );
      await store.setRosterHash(hash('kbd:1042'), 'r-other', 'kbd:…42');
      await store.setRosterHash(hash('kbd:2077'), 'r-2', 'kbd:…XX');
      const byId = async () => new Map((await store.badgesOf(ann.id)).map((b) => [b.id, b]));
      const first = hash('kbd:1042').slice(0, 16);
      const second = hash('kbd:2077').slice(0, 16);
      expect((await byId()).get(first)?.hint).toBe('kbd:…42');
      expect((await byId()).get(second)?.hint).toBe('kbd:…77');
      expect(await store.findUserByRosterHash('r-1')).toEqual(ann);
      expect(await store.findUserByRosterHash('r-2')).toEqual(ann);

      expect(await store.setBadgeLabel(ann.id, first, '예비 카드')).toEqual({
        id: first,
        label: '예비 카드',
        hint: 'kbd:…42',
        addedAt: null,
      });
      expect((await store.setBadgeLabel(ann.id, first, null))?.label).toBeNull();
      // Only the person's own badge.
      expect(await store.setBadgeLabel(bo.id, second, 'x')).toBeNull();
      expect(await store.setBadgeLabel(ann.id, 'nobadge', 'x')).toBeNull();
      expect((await byId()).get(second)?.label).toBeNull();
    });

    it('counts badges and open loans per person', async () => {
      const { store } = ctx;
      const ann = await person(store, 'Ann');
      const bo = await person(store, 'Bo');
      const cam = await gear(store, 'CAM-1');
      const tri = await gear(store, 'TRI-1');
      const k = await kiosk(store, 'Front desk');
      await store.addBadge(ann.id, hash('nfc:1'));
      await store.addBadge(ann.id, hash('nfc:2'));
      await sync(
        store,
        k.id,
        [
          row({ id: 'tx-1', seq: 1, kind: 'borrow', itemId: cam.id, userId: ann.id, occurredAt: T0 }),
          row({ id: 'tx-2', seq: 2, kind: 'borrow', itemId: tri.id, userId: ann.id, occurredAt: T0 }),
          row({ id: 'tx-3', seq: 3, kind: 'return', itemId: tri.id, userId: ann.id, occurredAt: T0 + MIN }),
        ],
        T0 + MIN,
      );
      expect(await store.peopleWithCounts()).toEqual([
        { ...ann, badges: 2, openLoans: 1, employeeNumber: null, department: null },
        { ...bo, badges: 0, openLoans: 0, employeeNumber: null, department: null },
      ]);
      expect(await store.findPerson(bo.id)).toEqual({
        ...bo,
        badges: 0,
        openLoans: 0,
        employeeNumber: null,
        department: null,
      });
      expect(await store.findPerson('usr_nobody')).toBeNull();
    });
  });
}
