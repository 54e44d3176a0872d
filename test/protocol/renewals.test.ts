/** Renewals (protocol/renewals.ts): who may renew what, and the new due date. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DAY_MS,
  addDays,
  defaultPolicies,
  isOpenDay,
  judgeRenewal,
  localDate,
  policyDueAt,
  renewedDueAt,
  type BorrowerFacts,
  type PolicySet,
  type RenewalFacts,
  type Role,
} from '../../protocol/index.ts';

const weekdays: PolicySet['hours'] = [
  null,
  { open: '09:00', close: '18:00' },
  { open: '09:00', close: '18:00' },
  { open: '09:00', close: '18:00' },
  { open: '09:00', close: '18:00' },
  { open: '09:00', close: '18:00' },
  null,
];

const room = (over: Partial<PolicySet> = {}): PolicySet => ({
  ...defaultPolicies(5),
  hours: weekdays,
  closedDays: ['2026-12-25'],
  ...over,
});

const person = (over: Partial<BorrowerFacts> = {}): BorrowerFacts => ({
  role: 'member',
  loans: [],
  suspendedUntil: null,
  suspensionNote: null,
  ...over,
});

// Thursday 2026-12-03 10:00 in Seoul.
const NOW = Date.UTC(2026, 11, 3, 1, 0);
// Due Friday 2026-12-04 18:00 in Seoul.
const DUE = Date.UTC(2026, 11, 4, 9, 0);

const facts = (over: Partial<RenewalFacts> = {}): RenewalFacts => ({
  loan: { dueAt: DUE, renewals: 0 },
  item: { category: 'camera', loanDays: 7, retired: false, restrictedTo: null, condition: 'ok' },
  person: person(),
  now: NOW,
  ...over,
});

describe('judgeRenewal: examples', () => {
  it('renews from the old due date by the loan period, at the closing time of an open day', () => {
    const v = judgeRenewal(room(), facts());
    // Friday + 7 days = Friday 2026-12-11, 18:00 Seoul.
    expect(v).toEqual({ ok: true, dueAt: Date.UTC(2026, 11, 11, 9, 0) });
  });

  it('a renewal landing on a closed day moves to the next open day (Christmas Friday -> Monday)', () => {
    const v = judgeRenewal(room(), facts({ loan: { dueAt: Date.UTC(2026, 11, 18, 9, 0), renewals: 0 } }));
    expect(v).toEqual({ ok: true, dueAt: Date.UTC(2026, 11, 28, 9, 0) });
  });

  it('the period is the rule for the role and category, as for a new loan', () => {
    const p = room({ rules: [{ category: 'camera', role: 'member', loanDays: 3 }] });
    const v = judgeRenewal(p, facts());
    // Friday + 3 days = Monday 2026-12-07, 18:00.
    expect(v).toEqual({ ok: true, dueAt: Date.UTC(2026, 11, 7, 9, 0) });
  });

  it('renewals exhausted: refused with the limit and how many were used', () => {
    const p = room({ rules: [{ category: 'camera', role: null, maxRenewals: 2 }] });
    expect(judgeRenewal(p, facts({ loan: { dueAt: DUE, renewals: 2 } }))).toEqual({
      ok: false,
      refusal: { code: 'RENEWAL_LIMIT_REACHED', limit: 2, used: 2 },
    });
    expect(judgeRenewal(p, facts({ loan: { dueAt: DUE, renewals: 1 } })).ok).toBe(true);
  });

  it('a role rule sets the count per role: staff 5, members 0', () => {
    const p = room({
      rules: [
        { category: null, role: 'member', maxRenewals: 0 },
        { category: null, role: 'staff', maxRenewals: 5 },
      ],
    });
    expect(judgeRenewal(p, facts()).ok).toBe(false);
    expect(
      judgeRenewal(p, facts({ person: person({ role: 'staff' }), loan: { dueAt: DUE, renewals: 4 } })).ok,
    ).toBe(true);
  });

  it('overdue, returned, suspended, needing a check, category closed: each refused by its rule', () => {
    const p = room();
    expect(judgeRenewal(p, facts({ now: DUE + 1 }))).toEqual({
      ok: false,
      refusal: { code: 'RENEWAL_OVERDUE', dueAt: DUE },
    });
    expect(judgeRenewal(p, facts({ loan: { dueAt: DUE, renewals: 0, returned: true } }))).toEqual({
      ok: false,
      refusal: { code: 'ITEM_NOT_ON_LOAN' },
    });
    expect(
      judgeRenewal(
        p,
        facts({ person: person({ suspendedUntil: '2026-12-20', suspensionNote: 'lost lens' }) }),
      ),
    ).toEqual({ ok: false, refusal: { code: 'PERSON_SUSPENDED', until: '2026-12-20', note: 'lost lens' } });
    expect(judgeRenewal(p, facts({ item: { ...facts().item, condition: 'needs_check' } }))).toEqual({
      ok: false,
      refusal: { code: 'ITEM_NEEDS_CHECK' },
    });
    expect(
      judgeRenewal(room({ rules: [{ category: 'camera', role: null, mayBorrow: false }] }), facts()),
    ).toEqual({ ok: false, refusal: { code: 'CATEGORY_NOT_ALLOWED', category: 'camera' } });
  });

  it('another overdue loan blocks a renewal only when the room blocks on overdue items', () => {
    const other = person({ loans: [{ category: 'laptop', dueAt: NOW - DAY_MS }] });
    expect(judgeRenewal(room(), facts({ person: other })).ok).toBe(true);
    expect(judgeRenewal(room({ blockOverdue: true }), facts({ person: other }))).toEqual({
      ok: false,
      refusal: { code: 'OVERDUE_BLOCK', overdue: 1 },
    });
  });
});

describe('judgeRenewal: properties', () => {
  const zones = ['Asia/Seoul', 'America/New_York', 'Europe/Berlin', 'UTC'];
  const roles: Role[] = ['member', 'staff', 'admin'];
  const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 5, 30) });
  const arb = fc.record({
    timeZone: fc.constantFrom(...zones),
    hours: fc.boolean(),
    closed: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 20 }),
    maxRenewals: fc.integer({ min: 0, max: 5 }),
    loanDays: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
    itemDays: fc.integer({ min: 1, max: 30 }),
    role: fc.constantFrom(...roles),
    now: instant,
    ahead: fc.integer({ min: -5 * DAY_MS, max: 20 * DAY_MS }),
    renewals: fc.integer({ min: 0, max: 7 }),
  });
  const build = (a: ArbValue) => {
    const start = localDate(a.now, a.timeZone);
    const p: PolicySet = {
      ...defaultPolicies(5),
      timeZone: a.timeZone,
      hours: a.hours ? weekdays : null,
      closedDays: [...new Set(a.closed.map((n) => addDays(start, n)))],
      rules: [{ category: 'camera', role: a.role, maxRenewals: a.maxRenewals, loanDays: a.loanDays }],
    };
    const f = facts({
      loan: { dueAt: a.now + a.ahead, renewals: a.renewals },
      item: { category: 'camera', loanDays: a.itemDays, retired: false, restrictedTo: null },
      person: person({ role: a.role }),
      now: a.now,
    });
    return { p, f };
  };
  type ArbValue = {
    timeZone: string;
    hours: boolean;
    closed: number[];
    maxRenewals: number;
    loanDays: number | null;
    itemDays: number;
    role: Role;
    now: number;
    ahead: number;
    renewals: number;
  };

  it('property: renewed exactly when not overdue and renewals are left; the new date is later, open, and a new loan from the old due date', () => {
    fc.assert(
      fc.property(arb, (a) => {
        const { p, f } = build(a);
        const v = judgeRenewal(p, f);
        const overdue = f.loan.dueAt < f.now;
        expect(v.ok).toBe(!overdue && a.renewals < a.maxRenewals);
        if (!v.ok) {
          expect(v.refusal.code).toBe(overdue ? 'RENEWAL_OVERDUE' : 'RENEWAL_LIMIT_REACHED');
          if (v.refusal.code === 'RENEWAL_LIMIT_REACHED')
            expect(v.refusal).toEqual({
              code: 'RENEWAL_LIMIT_REACHED',
              limit: a.maxRenewals,
              used: a.renewals,
            });
          return;
        }
        const days = a.loanDays ?? a.itemDays;
        expect(v.dueAt).toBeGreaterThanOrEqual(f.loan.dueAt + days * DAY_MS);
        expect(v.dueAt).toBeGreaterThan(f.loan.dueAt);
        expect(v.dueAt).toBeGreaterThan(f.now);
        expect(isOpenDay(p, localDate(v.dueAt, p.timeZone))).toBe(true);
        // One rule: the same date a new loan starting at the old due date would get.
        expect(v.dueAt).toBe(policyDueAt(p, f.loan.dueAt, f.item, a.role));
        expect(v.dueAt).toBe(renewedDueAt(p, f));
      }),
      { numRuns: 400 },
    );
  });

  it('property: renewing until refused takes exactly maxRenewals renewals, each date later than the last', () => {
    fc.assert(
      fc.property(arb, (a) => {
        const { p, f } = build({ ...a, renewals: 0, ahead: Math.abs(a.ahead) });
        let loan = f.loan;
        let count = 0;
        for (;;) {
          const v = judgeRenewal(p, { ...f, loan });
          if (!v.ok) {
            expect(v.refusal).toEqual({ code: 'RENEWAL_LIMIT_REACHED', limit: a.maxRenewals, used: count });
            break;
          }
          expect(v.dueAt).toBeGreaterThan(loan.dueAt);
          loan = { dueAt: v.dueAt, renewals: loan.renewals + 1 };
          count++;
          expect(count).toBeLessThanOrEqual(a.maxRenewals);
        }
        expect(count).toBe(a.maxRenewals);
      }),
      { numRuns: 200 },
    );
  });
});
