/**
 * Lending rules both sides apply, so a receipt on the kiosk and the loan on the server agree.
 * Pure. (The lending-rules issue grows this into policies per category and role.)
 */

export const DAY_MS = 24 * 60 * 60 * 1000;

import type { ErrorCode } from './errors.ts';
import type { Role } from './wire/common.ts';
import { roleSatisfies } from './roles.ts';

/**
 * An item's condition. 'needs_check': it came back damaged or incomplete; 'in_repair' and
 * 'lost' are set by staff. Only an 'ok' item is lent.
 */
export const ITEM_CONDITIONS = ['ok', 'needs_check', 'in_repair', 'lost'] as const;
export type ItemCondition = (typeof ITEM_CONDITIONS)[number];

/** What a person may report when returning an item. */
export const RETURN_CONDITIONS = ['damaged', 'incomplete'] as const;
export type ReturnCondition = (typeof RETURN_CONDITIONS)[number];

/**
 * A kit: an item made of named parts (a camera body, two batteries, a charger). At a return the
 * person says which parts came back; a part that did not makes the kit 'incomplete', so it
 * waits for a check with the list of what is missing.
 */
export const KIT_PARTS_MAX = 20;
/** How long a return's note may be: on the kiosk's screen, in its command and in the sync row. */
export const RETURN_NOTE_MAX = 500;
export const KIT_PART_NAME_MAX = 60;
/** Between a kit's parts in one CSV cell ("본체; 배터리 1; 충전기"; a comma reads as a column to people). */
export const KIT_PARTS_SEPARATOR = ';';

/**
 * A kit's parts as staff typed them: each trimmed, blanks dropped, the first of any repeated
 * name kept (names compare without regard to case), in their order.
 */
export function normalizeKitParts(parts: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of parts) {
    const part = raw.trim().replace(/\s+/g, ' ');
    const key = part.toLocaleLowerCase();
    if (!part || seen.has(key)) continue;
    seen.add(key);
    out.push(part);
  }
  return out;
}

/**
 * A part name too long to send: counted in UTF-16 units, as the kiosk's schema check counts
 * (the server's validator counts code points, so 31 emoji would pass it and then make every
 * kiosk drop the whole catalog answer).
 */
export const kitPartTooLong = (part: string): boolean => part.length > KIT_PART_NAME_MAX;

/**
 * A part name a CSV cell could not carry: it holds the separator, so an export and the import
 * of that file would make it two parts. Refused where a name is typed (dashboard, API).
 */
export const kitPartHasSeparator = (part: string): boolean => part.includes(KIT_PARTS_SEPARATOR);

/** The kit's parts that did not come back, in the kit's order. */
export const missingKitParts = (parts: readonly string[], cameBack: ReadonlySet<string>): string[] =>
  parts.filter((p) => !cameBack.has(p));

/**
 * What a return reports about one item: missing parts make it 'incomplete' whatever else was
 * chosen, except 'damaged', which stays (a broken kit with a part missing is looked at as
 * damaged, with the list); nothing chosen and nothing missing is a plain return (null).
 */
export function returnReport(
  condition: ReturnCondition | null | undefined,
  missingParts: readonly string[] | undefined,
): ReturnCondition | null {
  if (condition === 'damaged') return 'damaged';
  if (missingParts && missingParts.length > 0) return 'incomplete';
  return condition ?? null;
}

/**
 * Why this person may not borrow this item now, or null. Whether someone else holds it is
 * the caller's (it depends on where the transaction stands); everything else is here, for
 * the kiosk's list, its cart check and the server's judge alike.
 */
export function borrowBlock(
  item: { retired: boolean; restrictedTo: Role | null; condition?: ItemCondition | undefined },
  /** Null: nobody in particular (the kiosk's list before a tap); role rules are not checked. */
  role: Role | null,
): ErrorCode | null {
  if (item.retired) return 'ITEM_UNAVAILABLE';
  if (item.condition && item.condition !== 'ok') return 'ITEM_NEEDS_CHECK';
  if (role && item.restrictedTo && !roleSatisfies(role, item.restrictedTo)) return 'ITEM_NOT_ALLOWED';
  return null;
}

/** When a loan that began at `borrowedAt` (ms) is due: its item's loan period later. */
export const loanDueAt = (borrowedAt: number, loanDays: number): number => borrowedAt + loanDays * DAY_MS;
