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
});
