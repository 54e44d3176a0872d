/** The lending policies (protocol/policies.ts): fallback order, due dates, cart limits. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DAY_MS,
  addDays,
  atLocal,
  defaultPolicies,
  dueMoment,
  isOpenDay,
  judgeCart,
  localDate,
  policyDueAt,
  ruleFor,
  validatePolicies,
  weekday,
  type BorrowerFacts,
  type PolicySet,
  type Role,
} from '../../protocol/index.ts';

const weekdays = (open: string, close: string): PolicySet['hours'] => [
  null,
  { open, close },
  { open, close },
  { open, close },
  { open, close },
  { open, close },
  null,
];

const seoul = (over: Partial<PolicySet> = {}): PolicySet => ({
  ...defaultPolicies(5),
  hours: weekdays('09:00', '18:00'),
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

describe('rules fall back field by field', () => {
  const p: PolicySet = {
    ...defaultPolicies(5),
    rules: [
      { category: 'Cameras', role: 'member', maxPerCategory: 1 },
      { category: 'Cameras', role: null, loanDays: 3, maxPerCategory: 2 },
      { category: null, role: 'staff', maxItems: 10, loanDays: 14 },
      { category: 'Lab', role: 'member', mayBorrow: false },
    ],
  };
  it('category+role, then category, then role, then default', () => {
    expect(ruleFor(p, 'Cameras', 'member')).toMatchObject({ maxPerCategory: 1, loanDays: 3, maxItems: 5 });
    expect(ruleFor(p, 'Cameras', 'staff')).toMatchObject({ maxPerCategory: 2, loanDays: 3, maxItems: 10 });
    expect(ruleFor(p, 'Laptops', 'staff')).toMatchObject({
      maxPerCategory: null,
      loanDays: 14,
      maxItems: 10,
    });
    expect(ruleFor(p, 'Laptops', 'member')).toMatchObject({
      loanDays: null,
      maxRenewals: 2,
      mayBorrow: true,
    });
    expect(ruleFor(p, 'Lab', 'member').mayBorrow).toBe(false);
    expect(ruleFor(p, 'Lab', 'staff').mayBorrow).toBe(true);
  });
  it('the item keeps its own period unless a rule sets one', () => {
    const at = Date.UTC(2026, 0, 5, 3);
    expect(policyDueAt(p, at, { category: 'Laptops', loanDays: 7 }, 'member')).toBe(at + 7 * DAY_MS);
    expect(policyDueAt(p, at, { category: 'Cameras', loanDays: 7 }, 'member')).toBe(at + 3 * DAY_MS);
  });
});

describe('validatePolicies', () => {
  const code = (p: PolicySet) => validatePolicies(p)?.code ?? null;
  it('accepts the default and a usual week', () => {
    expect(code(defaultPolicies(5))).toBeNull();
    expect(code(seoul())).toBeNull();
  });
  it('names what is wrong', () => {
    expect(code(seoul({ timeZone: 'Mars/Olympus' }))).toBe('POLICY_TIME_ZONE_INVALID');
    expect(code(seoul({ hours: weekdays('18:00', '09:00') }))).toBe('POLICY_HOURS_INVALID');
    expect(code(seoul({ hours: weekdays('09:00', '09:00') }))).toBe('POLICY_HOURS_INVALID');
    expect(code(seoul({ hours: [null, null, null, null, null, null, null] }))).toBe(
      'POLICY_NOTHING_LENDABLE',
    );
    expect(code({ ...seoul(), default: { ...seoul().default, maxItems: -1 } })).toBe('POLICY_LIMIT_INVALID');
    expect(code({ ...seoul(), rules: [{ category: 'A', role: null, maxPerCategory: -2 }] })).toBe(
      'POLICY_LIMIT_INVALID',
    );
    expect(code({ ...seoul(), default: { ...seoul().default, loanDays: 0 } })).toBe('POLICY_LIMIT_INVALID');
    expect(code({ ...seoul(), closedDays: ['2026-02-30'] })).toBe('POLICY_INVALID');
    expect(code({ ...seoul(), rules: [{ category: null, role: null, loanDays: 3 }] })).toBe('POLICY_INVALID');
    expect(code({ ...seoul(), rules: [{ category: 'A', role: null, maxItems: 3 }] })).toBe('POLICY_INVALID');
  });
  it('a rule set that makes nothing lendable is refused', () => {
    expect(code({ ...seoul(), default: { ...seoul().default, maxItems: 0 } })).toBe(
      'POLICY_NOTHING_LENDABLE',
    );
    expect(code({ ...seoul(), default: { ...seoul().default, mayBorrow: false } })).toBe(
      'POLICY_NOTHING_LENDABLE',
    );
    // Off by default, on for one category: something is lendable.
    expect(
      code({
        ...seoul(),
        default: { ...seoul().default, mayBorrow: false },
        rules: [{ category: 'Laptops', role: null, mayBorrow: true }],
      }),
    ).toBeNull();
  });
});

describe('due dates', () => {
  it('a loan due on a Saturday is due Monday at closing time (Seoul)', () => {
    // Monday 2026-01-05 10:00 KST, 5 days: Saturday 10:00 -> Monday 2026-01-12 18:00 KST.
    const at = Date.UTC(2026, 0, 5, 1);
    expect(new Date(policyDueAt(seoul(), at, { category: 'X', loanDays: 5 }, 'member')).toISOString()).toBe(
      '2026-01-12T09:00:00.000Z',
    );
  });
  it('a holiday moves it on to the next open day', () => {
    // Due Friday 2026-12-25 (closed) -> Monday 2026-12-28 18:00 KST.
    const at = Date.UTC(2026, 11, 18, 1);
    expect(new Date(policyDueAt(seoul(), at, { category: 'X', loanDays: 7 }, 'member')).toISOString()).toBe(
      '2026-12-28T09:00:00.000Z',
    );
  });
  it('past closing on an open day, it is due the next open day', () => {
    // Due Tuesday 20:00 KST, after 18:00: Wednesday 18:00.
    const nominal = Date.UTC(2026, 0, 6, 11);
    expect(new Date(dueMoment(seoul(), nominal)).toISOString()).toBe('2026-01-07T09:00:00.000Z');
  });
  it('across a DST change the closing time is local (New York, March 2026)', () => {
    const ny = seoul({ timeZone: 'America/New_York', closedDays: [] });
    // Due Sunday 2026-03-08 (DST starts) -> Monday 2026-03-09 18:00 EDT = 22:00Z.
    expect(new Date(dueMoment(ny, Date.UTC(2026, 2, 8, 15))).toISOString()).toBe('2026-03-09T22:00:00.000Z');
    // A week earlier, still EST: 18:00 EST = 23:00Z.
    expect(new Date(dueMoment(ny, Date.UTC(2026, 2, 1, 15))).toISOString()).toBe('2026-03-02T23:00:00.000Z');
  });
  it('without hours, a loan is due at the time it was lent, moved past closed days', () => {
    const p = { ...defaultPolicies(5), closedDays: ['2026-01-10'] };
    const nominal = Date.UTC(2026, 0, 10, 3, 21, 7, 5); // 12:21 KST on the closed day
    expect(dueMoment(p, nominal)).toBe(nominal + DAY_MS);
    expect(dueMoment(p, nominal - DAY_MS)).toBe(nominal - DAY_MS);
  });

  const zones = [
    'Asia/Seoul',
    'America/New_York',
    'Europe/London',
    'Australia/Sydney',
    'America/Sao_Paulo',
    'UTC',
  ];
  const hhmm = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const hoursArb = fc
    .array(
      fc.option(
        fc
          .tuple(hhmm, hhmm)
          .filter(([a, b]) => a < b)
          .map(([open, close]) => ({ open, close })),
        { nil: null },
      ),
      { minLength: 7, maxLength: 7 },
    )
    .filter((h) => h.some((d) => d !== null));
  const policyArb = fc.record({
    timeZone: fc.constantFrom(...zones),
    hours: fc.option(hoursArb, { nil: null }),
    closed: fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 40 }),
  });
  // 2025-01-01 to 2027-06-30: two DST changes a year in most of these zones.
  const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 5, 30) });

  it('property: due is at or after the nominal time, on an open day, and the first such closing', () => {
    fc.assert(
      fc.property(policyArb, instant, ({ timeZone, hours, closed }, nominal) => {
        const start = localDate(nominal, timeZone);
        const p: PolicySet = {
          ...defaultPolicies(5),
          timeZone,
          hours,
          closedDays: [...new Set(closed.map((n) => addDays(start, n)))],
        };
        const due = dueMoment(p, nominal);
        expect(due).toBeGreaterThanOrEqual(nominal);
        const day = localDate(due, timeZone);
        expect(isOpenDay(p, day)).toBe(true);
        // No open day before the due day still had a closing time to come.
        for (let d = start; d < day; d = addDays(d, 1)) {
          if (!isOpenDay(p, d)) continue;
          expect(hours).not.toBeNull();
          const [h, m] = hours![weekday(d)]!.close.split(':').map(Number) as [number, number];
          expect(atLocal(d, h, m, timeZone)).toBeLessThan(nominal);
        }
        if (!hours && isOpenDay(p, start)) expect(due).toBe(nominal);
        if (hours) {
          // At the day's closing time (an earlier or later instant only in a DST gap).
          const [h, m] = hours[weekday(day)]!.close.split(':').map(Number) as [number, number];
          expect(due).toBe(atLocal(day, h, m, timeZone));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('property: a due date never moves more than the closed stretch allows', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        instant,
        fc.integer({ min: 0, max: 20 }),
        (timeZone, nominal, run) => {
          const start = localDate(nominal, timeZone);
          const closedDays = Array.from({ length: run }, (_, i) => addDays(start, i));
          const p: PolicySet = {
            ...defaultPolicies(5),
            timeZone,
            hours: weekdays('09:00', '18:00'),
            closedDays,
          };
          const due = dueMoment(p, nominal);
          // The run of closed days plus a weekend (two days) plus one day past closing.
          expect(due - nominal).toBeLessThanOrEqual((run + 4) * DAY_MS);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('judgeCart', () => {
  const p: PolicySet = {
    ...seoul(),
    default: { ...seoul().default, maxItems: 5 },
    rules: [
      { category: 'Cameras', role: null, maxPerCategory: 2 },
      { category: 'Lab', role: 'member', mayBorrow: false },
    ],
  };
  const now = Date.UTC(2026, 0, 6, 3);
  const cart = (...cats: string[]) => cats.map((category, i) => ({ itemId: `i${i}`, category }));

  it('takes items in order until the overall limit, and says with numbers why the rest stay', () => {
    const v = judgeCart(
      p,
      person({ loans: Array.from({ length: 4 }, () => ({ category: 'Laptops', dueAt: now + DAY_MS })) }),
      cart('Tablets', 'Tablets', 'Tablets'),
      now,
    );
    expect(v.map((x) => x.refusal?.code ?? null)).toEqual([null, 'LOAN_LIMIT_REACHED', 'LOAN_LIMIT_REACHED']);
    expect(v[1]!.refusal).toEqual({ code: 'LOAN_LIMIT_REACHED', limit: 5, have: 4, canTake: 1 });
  });
  it('a category limit stops that category only', () => {
    const v = judgeCart(
      p,
      person({ loans: [{ category: 'Cameras', dueAt: now + DAY_MS }] }),
      cart('Cameras', 'Cameras', 'Laptops'),
      now,
    );
    expect(v.map((x) => x.refusal?.code ?? null)).toEqual([null, 'CATEGORY_LIMIT_REACHED', null]);
    expect(v[1]!.refusal).toEqual({
      code: 'CATEGORY_LIMIT_REACHED',
      category: 'Cameras',
      limit: 2,
      have: 1,
      canTake: 1,
    });
  });
  it('a role may not borrow a category at all', () => {
    const v = judgeCart(p, person(), cart('Lab', 'Laptops'), now);
    expect(v.map((x) => x.refusal?.code ?? null)).toEqual(['CATEGORY_NOT_ALLOWED', null]);
    expect(judgeCart(p, person({ role: 'staff' }), cart('Lab'), now)[0]!.refusal).toBeNull();
  });
  it('overdue loans block everything only when the policy says so', () => {
    const late = person({ loans: [{ category: 'Laptops', dueAt: now - 1 }] });
    expect(judgeCart(p, late, cart('Tablets'), now)[0]!.refusal).toBeNull();
    expect(judgeCart({ ...p, blockOverdue: true }, late, cart('Tablets', 'Laptops'), now)).toEqual([
      { itemId: 'i0', refusal: { code: 'OVERDUE_BLOCK', overdue: 1 } },
      { itemId: 'i1', refusal: { code: 'OVERDUE_BLOCK', overdue: 1 } },
    ]);
  });
  it('a suspension holds until its date begins in the room', () => {
    const s = person({ suspendedUntil: '2026-01-08', suspensionNote: 'late twice' });
    expect(judgeCart(p, s, cart('Tablets'), Date.UTC(2026, 0, 7, 14, 59))[0]!.refusal).toEqual({
      code: 'PERSON_SUSPENDED',
      until: '2026-01-08',
      note: 'late twice',
    });
    // 2026-01-08 00:00 KST.
    expect(judgeCart(p, s, cart('Tablets'), Date.UTC(2026, 0, 7, 15))[0]!.refusal).toBeNull();
  });
  it("an offline session counts the roster's loans", () => {
    const v = judgeCart(p, person({ openLoans: 5 }), cart('Tablets'), now);
    expect(v[0]!.refusal).toMatchObject({ code: 'LOAN_LIMIT_REACHED', have: 5, canTake: 0 });
  });

  it('property: what is taken never exceeds a limit, and every refusal is true', () => {
    const cats = ['A', 'B', 'C'];
    const roles: Role[] = ['member', 'staff', 'admin'];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.array(fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.constantFrom(...cats), { maxLength: 6 }),
        fc.array(fc.constantFrom(...cats), { maxLength: 12 }),
        fc.constantFrom(...roles),
        (maxItems, perCat, held, wanted, role) => {
          const policy: PolicySet = {
            ...defaultPolicies(maxItems),
            rules: cats.map((c, i) => ({ category: c, role: null, maxPerCategory: perCat[i] ?? null })),
          };
          const v = judgeCart(
            policy,
            person({ role, loans: held.map((category) => ({ category, dueAt: now + DAY_MS })) }),
            cart(...wanted),
            now,
          );
          const taken = wanted.filter((_, i) => v[i]!.refusal === null);
          expect(held.length + taken.length).toBeLessThanOrEqual(Math.max(maxItems, held.length));
          for (const [i, c] of cats.entries()) {
            const limit = perCat[i];
            const mine = held.filter((x) => x === c).length + taken.filter((x) => x === c).length;
            if (limit !== null && limit !== undefined)
              expect(mine).toBeLessThanOrEqual(Math.max(limit, held.filter((x) => x === c).length));
          }
          // Greedy: a refused item could not have been added to what was taken.
          for (const [i, verdict] of v.entries()) {
            const r = verdict.refusal;
            if (!r) continue;
            const before = wanted.slice(0, i).filter((_, j) => v[j]!.refusal === null);
            if (r.code === 'LOAN_LIMIT_REACHED') {
              expect(held.length + before.length).toBeGreaterThanOrEqual(maxItems);
              expect(r.canTake).toBe(Math.max(0, maxItems - held.length));
            }
            if (r.code === 'CATEGORY_LIMIT_REACHED') {
              const c = wanted[i]!;
              const n = held.filter((x) => x === c).length + before.filter((x) => x === c).length;
              expect(n).toBeGreaterThanOrEqual(r.limit);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
