/**
 * The kiosk's renewals before anything reaches the server (src-main/core/renewal-check.ts,
 * view.ts withPending): the options offered per loan, and a renewal not yet synced counted in
 * the loans shown (once), so the next tap at this kiosk offers no renewal the rule has used.
 */
import { describe, expect, it } from 'vitest';
import {
  defaultPolicies,
  type CatalogItem,
  type LoanSummary,
  type PolicySet,
} from '../../../protocol/index.ts';
import type { WaitingRow } from '../../../src-main/core/outbox/outbox.ts';
import { renewalOptions } from '../../../src-main/core/renewal-check.ts';
import { withPending } from '../../../src-main/core/view.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-03T01:00:00.000Z');
const policies: PolicySet = {
  ...defaultPolicies(5),
  timeZone: 'UTC',
  default: { ...defaultPolicies(5).default, maxRenewals: 1 },
};
const cam: CatalogItem = {
  id: 'cam',
  tag: 'CM-1',
  name: 'Camera',
  category: 'Cameras',
  loanDays: 3,
  restrictedTo: null,
  onLoan: true,
  retired: false,
};
const loan: LoanSummary = {
  id: 'l1',
  itemId: 'cam',
  itemName: 'Camera',
  borrowedAt: new Date(NOW - DAY).toISOString(),
  dueAt: new Date(NOW + 2 * DAY).toISOString(),
  renewals: 0,
};
const session = { user: { id: 'u1', displayName: 'Ann', role: 'member' as const }, maxLoans: 5 };
const renewRow = (userId: string): WaitingRow => ({
  id: 'r',
  seq: 7,
  kind: 'renew',
  itemId: 'cam',
  userId,
  occurredAt: NOW,
  condition: null,
});
const options = (loans: LoanSummary[], item = cam) =>
  renewalOptions({
    session,
    loans,
    item: (id) => (id === item.id ? item : null),
    itemNow: new Map([[item.id, { onLoan: true, condition: item.condition ?? 'ok' }]]),
    policies,
    now: NOW,
  });

describe('kiosk renewal options', () => {
  it('offers a renewal from the old due date, and none for a loan the server did not count', () => {
    expect(options([loan])).toEqual([
      { itemId: 'cam', newDueAt: new Date(NOW + 5 * DAY).toISOString(), refusal: null },
    ]);
    const { renewals: _r, ...uncounted } = loan;
    expect(options([uncounted])).toEqual([]);
  });

  it('an unsynced renewal of this person counts once: new due date, no renewal left', () => {
    const shown = withPending([loan], [renewRow('u1')], 'u1', [cam], policies, 'member');
    expect(shown).toEqual([{ ...loan, dueAt: new Date(NOW + 5 * DAY).toISOString(), renewals: 1 }]);
    expect(options(shown)).toEqual([
      { itemId: 'cam', newDueAt: null, refusal: { code: 'RENEWAL_LIMIT_REACHED', limit: 1, used: 1 } },
    ]);
  });

  it('someone else’s unsynced row for the item means it is no longer this person’s loan', () => {
    expect(withPending([loan], [renewRow('u2')], 'u1', [cam], policies, 'member')).toEqual([]);
  });

  it('an item waiting for a check is not renewed', () => {
    expect(options([loan], { ...cam, condition: 'needs_check' })).toEqual([
      { itemId: 'cam', newDueAt: null, refusal: { code: 'ITEM_NEEDS_CHECK' } },
    ]);
  });

  describe('next to the reservations the catalog brought', () => {
    const HOUR = 3_600_000;
    const cam2: CatalogItem = { ...cam, id: 'cam2', tag: 'CM-2', name: 'Camera 2', onLoan: false };
    const reserve = (r: {
      id: string;
      itemId: string | null;
      userId: string;
      startsIn: number;
      lasts?: number;
    }) => ({
      id: r.id,
      itemId: r.itemId,
      category: 'Cameras',
      userId: r.userId,
      startsAt: new Date(NOW + r.startsIn).toISOString(),
      endsAt: new Date(NOW + r.startsIn + (r.lasts ?? 4 * HOUR)).toISOString(),
    });
    const withReservations = (held: ReturnType<typeof reserve>[], items: CatalogItem[] = [cam]) =>
      renewalOptions({
        session,
        loans: [loan],
        item: (id) => items.find((i) => i.id === id) ?? null,
        itemNow: new Map(items.map((i) => [i.id, { onLoan: i.onLoan, condition: i.condition ?? 'ok' }])),
        policies,
        now: NOW,
        reservations: { pickupGraceMs: HOUR, held },
        catalog: items,
      });
    const renewed = { itemId: 'cam', newDueAt: new Date(NOW + 5 * DAY).toISOString(), refusal: null };

    it('refuses a renewal that runs into someone else’s reservation of the item, before the due date moves', () => {
      expect(
        withReservations([reserve({ id: 'r1', itemId: 'cam', userId: 'u2', startsIn: 3 * DAY })]),
      ).toEqual([{ itemId: 'cam', newDueAt: null, refusal: { code: 'RENEWAL_RESERVED' } }]);
    });

    it('renews past the person’s own reservation, and up to someone else’s that starts later', () => {
      expect(
        withReservations([reserve({ id: 'r1', itemId: 'cam', userId: 'u1', startsIn: 3 * DAY })]),
      ).toEqual([renewed]);
      expect(
        withReservations([reserve({ id: 'r1', itemId: 'cam', userId: 'u2', startsIn: 6 * DAY })]),
      ).toEqual([renewed]);
    });

    it('"any one of" the category: renewed while another is on the shelf, refused when none is', () => {
      const anyOne = reserve({ id: 'r2', itemId: null, userId: 'u2', startsIn: 3 * DAY });
      expect(withReservations([anyOne], [cam, cam2])).toEqual([renewed]);
      // The other camera is out with someone else: when it comes back is the server's to know.
      expect(withReservations([anyOne], [cam, { ...cam2, onLoan: true }])).toEqual([
        { itemId: 'cam', newDueAt: null, refusal: { code: 'RENEWAL_RESERVED' } },
      ]);
      expect(withReservations([anyOne], [cam])).toEqual([
        { itemId: 'cam', newDueAt: null, refusal: { code: 'RENEWAL_RESERVED' } },
      ]);
    });

    it('a reservation whose pickup time has passed holds nothing back', () => {
      // A week-long reservation from three hours ago, never picked up (an hour's grace): lapsed.
      const lapsed = reserve({ id: 'r1', itemId: 'cam', userId: 'u2', startsIn: -3 * HOUR, lasts: 7 * DAY });
      expect(withReservations([lapsed])).toEqual([renewed]);
      // The same reservation still in its pickup time holds the item back.
      const waiting = reserve({ id: 'r1', itemId: 'cam', userId: 'u2', startsIn: -HOUR / 2, lasts: 7 * DAY });
      expect(withReservations([waiting])).toEqual([
        { itemId: 'cam', newDueAt: null, refusal: { code: 'RENEWAL_RESERVED' } },
      ]);
    });
  });
});
