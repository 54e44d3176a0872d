/**
 * Lending policies: which rule applies to a person and an item, when a loan is due, and what
 * of a cart a person may take. Pure (dates through Intl only); the kiosk applies it before a
 * commit, offline too, and the server applies the same code again at sync (STYLE.md rule 17).
 *
 * Rules fall back field by field: category+role, then category, then role, then the default.
 * The overall limit (maxItems) is about a person, not a category: only role rules and the
 * default set it.
 */
import { DAY_MS } from './lending.ts';
import type { ErrorCode } from './errors.ts';
import type { Role } from './wire/common.ts';
import type { DefaultRule, PolicyRule, PolicySet } from './wire/policies.ts';

/** The most a limit or a loan period may be; past it a typo, not a policy. */
export const POLICY_MAX_COUNT = 1000;
export const POLICY_MAX_LOAN_DAYS = 365;

/** What stands when nothing was saved: today's behaviour (the item's period, one overall limit). */
export function defaultPolicies(maxItems: number): PolicySet {
  return {
    timeZone: 'Asia/Seoul',
    hours: null,
    closedDays: [],
    blockOverdue: false,
    default: { loanDays: null, maxItems, maxPerCategory: null, maxRenewals: 2, mayBorrow: true },
    rules: [],
  };
}

export type PolicyProblem = { code: ErrorCode; detail: string };

/** Why these policies cannot be saved (or used by a kiosk), or null. */
export function validatePolicies(p: PolicySet): PolicyProblem | null {
  if (!isTimeZone(p.timeZone)) return { code: 'POLICY_TIME_ZONE_INVALID', detail: p.timeZone };
  if (p.hours) {
    for (const [day, h] of p.hours.entries())
      if (h && minutes(h.close) <= minutes(h.open))
        return { code: 'POLICY_HOURS_INVALID', detail: `weekday ${day}: ${h.open}-${h.close}` };
    if (p.hours.every((h) => h === null))
      return { code: 'POLICY_NOTHING_LENDABLE', detail: 'open on no weekday' };
  }
  for (const d of p.closedDays)
    if (!isCalendarDate(d)) return { code: 'POLICY_INVALID', detail: `no such date ${d}` };
  const seen = new Set<string>();
  for (const [i, r] of [p.default, ...p.rules].entries()) {
    const where = i === 0 ? 'default' : ruleName(p.rules[i - 1]!);
    const bad = limitProblem(r);
    if (bad) return { code: 'POLICY_LIMIT_INVALID', detail: `${where}: ${bad}` };
    if (i === 0) continue;
    const rule = p.rules[i - 1]!;
    if (rule.category === null && rule.role === null)
      return { code: 'POLICY_INVALID', detail: 'a rule names neither a category nor a role' };
    if (rule.category !== null && rule.maxItems !== undefined)
      return {
        code: 'POLICY_INVALID',
        detail: `${where}: the overall limit belongs to a role or the default`,
      };
    if (seen.has(where)) return { code: 'POLICY_INVALID', detail: `${where} twice` };
    seen.add(where);
  }
  if (nothingLendable(p)) return { code: 'POLICY_NOTHING_LENDABLE', detail: 'no role may borrow anything' };
  return null;
}

const ROLES: readonly Role[] = ['member', 'staff', 'admin'];

/**
 * True when no role could borrow one item of any category: every role's overall limit is 0,
 * or borrowing is off by default and no rule turns it on with room to take something.
 */
function nothingLendable(p: PolicySet): boolean {
  const categories = [...new Set(p.rules.map((r) => r.category).filter((c): c is string => c !== null))];
  return ROLES.every((role) => {
    if (overallLimit(p, role) === 0) return true;
    // A category no rule names falls to the role's rule and the default.
    const open = (category: string | null) => {
      const r = category === null ? resolveFor(p, null, role) : ruleFor(p, category, role);
      return r.mayBorrow && (r.maxPerCategory === null || r.maxPerCategory > 0);
    };
    return !open(null) && categories.every((c) => !open(c));
  });
}

function limitProblem(r: Partial<DefaultRule>): string | null {
  if (
    r.loanDays !== undefined &&
    r.loanDays !== null &&
    (r.loanDays < 1 || r.loanDays > POLICY_MAX_LOAN_DAYS)
  )
    return `loan period ${r.loanDays}`;
  for (const k of ['maxItems', 'maxPerCategory', 'maxRenewals'] as const) {
    const v = r[k];
    if (v !== undefined && v !== null && (v < 0 || v > POLICY_MAX_COUNT)) return `${k} ${v}`;
  }
  return null;
}

const ruleName = (r: PolicyRule) => `${r.category ?? '*'}/${r.role ?? '*'}`;

/** The rule that applies to one category and role, each field from the first rule that sets it. */
export type ResolvedRule = DefaultRule;

export function ruleFor(p: PolicySet, category: string, role: Role): ResolvedRule {
  return resolveFor(p, category, role);
}

function resolveFor(p: PolicySet, category: string | null, role: Role | null): ResolvedRule {
  const find = (c: string | null, r: Role | null) => p.rules.find((x) => x.category === c && x.role === r);
  const chain = [
    category !== null && role !== null ? find(category, role) : undefined,
    category !== null ? find(category, null) : undefined,
    role !== null ? find(null, role) : undefined,
  ].filter((r): r is PolicyRule => r !== undefined);
  const pick = <K extends keyof DefaultRule>(k: K): DefaultRule[K] => {
    for (const r of chain) if (r[k] !== undefined) return r[k] as DefaultRule[K];
    return p.default[k];
  };
  return {
    loanDays: pick('loanDays'),
    maxItems: overallLimit(p, role),
    maxPerCategory: pick('maxPerCategory'),
    maxRenewals: pick('maxRenewals'),
    mayBorrow: pick('mayBorrow'),
  };
}

/** Items a person of this role may hold at once, all categories together. */
export function overallLimit(p: PolicySet, role: Role | null): number {
  const own = role === null ? undefined : p.rules.find((x) => x.category === null && x.role === role);
  return own?.maxItems ?? p.default.maxItems;
}

// ---------------------------------------------------------------------------------------
// Due dates

/** When a loan of `item` lent at `borrowedAt` to a person of `role` is due. */
export function policyDueAt(
  p: PolicySet,
  borrowedAt: number,
  item: { category: string; loanDays: number },
  role: Role,
): number {
  const days = ruleFor(p, item.category, role).loanDays ?? item.loanDays;
  return dueMoment(p, borrowedAt + days * DAY_MS);
}

/**
 * The first moment at or after `nominal` that a loan may fall due: the closing time of an
 * open day. With no hours kept, `nominal` itself, moved day by day past closed dates (the
 * same time of day). A due date never falls on a closed day.
 */
export function dueMoment(p: PolicySet, nominal: number): number {
  const tz = p.timeZone;
  let day = localDate(nominal, tz);
  // Closed days are bounded (400) and some weekday is open: an open day comes within this.
  for (let i = 0; i < 800; i++, day = addDays(day, 1)) {
    if (!isOpenDay(p, day)) continue;
    if (!p.hours) {
      if (i === 0) return nominal;
      const t = localClock(nominal, tz);
      return atLocal(day, t.h, t.m, tz) + t.msInMinute;
    }
    const h = p.hours[weekday(day)]!;
    const [ch, cm] = h.close.split(':').map(Number) as [number, number];
    const close = atLocal(day, ch, cm, tz);
    if (close >= nominal) return close;
  }
  return nominal;
}

/** Whether the room is open on this local date (YYYY-MM-DD). */
export function isOpenDay(p: PolicySet, date: string): boolean {
  if (p.closedDays.includes(date)) return false;
  return !p.hours || p.hours[weekday(date)] !== null;
}

// ---------------------------------------------------------------------------------------
// Judging a cart

/** Why one item of a cart may not be taken, with the numbers a person needs to understand it. */
export type Refusal =
  | { code: 'PERSON_SUSPENDED'; until: string; note: string | null }
  | { code: 'OVERDUE_BLOCK'; overdue: number }
  | { code: 'CATEGORY_NOT_ALLOWED'; category: string }
  | { code: 'LOAN_LIMIT_REACHED'; limit: number; have: number; canTake: number }
  | { code: 'CATEGORY_LIMIT_REACHED'; category: string; limit: number; have: number; canTake: number };

export type BorrowerFacts = {
  role: Role;
  /** Loans the person holds now; category null when not known (an item the kiosk has not). */
  loans: { category: string | null; dueAt: number }[];
  /**
   * Loans held, when more than `loans` lists (an offline session knows only how many, from
   * the roster): the overall limit counts this.
   */
  openLoans?: number;
  /** An admin's suspension: no borrowing before this local date. */
  suspendedUntil: string | null;
  suspensionNote: string | null;
};

export type CartVerdict = { itemId: string; refusal: Refusal | null };

/** What stops this person borrowing anything now (a suspension, an overdue loan), or null. */
export function personBlock(p: PolicySet, person: BorrowerFacts, now: number): Refusal | null {
  if (person.suspendedUntil !== null && localDate(now, p.timeZone) < person.suspendedUntil)
    return { code: 'PERSON_SUSPENDED', until: person.suspendedUntil, note: person.suspensionNote };
  const overdue = person.loans.filter((l) => l.dueAt < now).length;
  if (p.blockOverdue && overdue > 0) return { code: 'OVERDUE_BLOCK', overdue };
  return null;
}

/**
 * Which items of a cart a person may take, in cart order: a person-wide block (suspension,
 * an overdue loan) refuses every item; limits take items in order until they are full, so
 * the rest of the cart can still go.
 */
export function judgeCart(
  p: PolicySet,
  person: BorrowerFacts,
  cart: readonly { itemId: string; category: string }[],
  now: number,
): CartVerdict[] {
  const blocked = personBlock(p, person, now);
  if (blocked) return cart.map((c) => ({ itemId: c.itemId, refusal: blocked }));
  const limit = overallLimit(p, person.role);
  const have = Math.max(person.openLoans ?? 0, person.loans.length);
  const haveIn = new Map<string, number>();
  for (const l of person.loans)
    if (l.category !== null) haveIn.set(l.category, (haveIn.get(l.category) ?? 0) + 1);
  let taken = 0;
  const takenIn = new Map<string, number>();
  return cart.map(({ itemId, category }) => {
    const rule = ruleFor(p, category, person.role);
    if (!rule.mayBorrow) return { itemId, refusal: { code: 'CATEGORY_NOT_ALLOWED', category } };
    if (have + taken >= limit)
      return {
        itemId,
        refusal: { code: 'LOAN_LIMIT_REACHED', limit, have, canTake: Math.max(0, limit - have) },
      };
    const catHave = haveIn.get(category) ?? 0;
    const catTaken = takenIn.get(category) ?? 0;
    if (rule.maxPerCategory !== null && catHave + catTaken >= rule.maxPerCategory)
      return {
        itemId,
        refusal: {
          code: 'CATEGORY_LIMIT_REACHED',
          category,
          limit: rule.maxPerCategory,
          have: catHave,
          canTake: Math.max(0, rule.maxPerCategory - catHave),
        },
      };
    taken++;
    takenIn.set(category, catTaken + 1);
    return { itemId, refusal: null };
  });
}

// ---------------------------------------------------------------------------------------
// Calendar in a time zone (Intl only; the runtime's time zone database)

const formats = new Map<string, Intl.DateTimeFormat>();
function format(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(tz, f);
  }
  return f;
}

export function isTimeZone(tz: string): boolean {
  try {
    format(tz);
    return true;
  } catch {
    return false;
  }
}

type Parts = { y: number; mo: number; d: number; h: number; mi: number; s: number };
function parts(ms: number, tz: string): Parts {
  const out: Record<string, number> = {};
  for (const part of format(tz).formatToParts(new Date(ms)))
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  return { y: out.year!, mo: out.month!, d: out.day!, h: out.hour!, mi: out.minute!, s: out.second! };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(ms: number, tz: string): string {
  const p = parts(ms, tz);
  return `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}`;
}

function localClock(ms: number, tz: string) {
  const p = parts(ms, tz);
  return { h: p.h, m: p.mi, msInMinute: p.s * 1000 + (((ms % 1000) + 1000) % 1000) };
}

/** The offset of local time from UTC at an instant, in ms. */
function offsetAt(ms: number, tz: string): number {
  const p = parts(ms, tz);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant a local date and time names in a time zone. In a DST gap (a time that does not
 * exist) the instant an offset either side gives, whichever still falls on that date; in an
 * overlap (a time that happens twice), the earlier.
 */
export function atLocal(date: string, h: number, m: number, tz: string): number {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, m);
  const candidates = [
    ...new Set([offsetAt(wall, tz), offsetAt(wall - DAY_MS / 2, tz), offsetAt(wall + DAY_MS / 2, tz)]),
  ]
    .map((off) => wall - off)
    .filter((t) => localDate(t, tz) === date);
  const exact = candidates.filter((t) => {
    const c = localClock(t, tz);
    return c.h === h && c.m === m;
  });
  const pool = exact.length > 0 ? exact : candidates;
  return pool.length > 0 ? Math.min(...pool) : wall - offsetAt(wall, tz);
}

export function addDays(date: string, n: number): string {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, mo - 1, d + n)).toISOString().slice(0, 10);
}

/** 0 = Sunday, as Date.getDay. A calendar date's weekday does not depend on the time zone. */
export function weekday(date: string): number {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
}

function isCalendarDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && addDays(date, 0) === date;
}

const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
};
