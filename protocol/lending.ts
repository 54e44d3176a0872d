/**
 * Lending rules both sides apply, so a receipt on the kiosk and the loan on the server agree.
 * Pure. (The lending-rules issue grows this into policies per category and role.)
 */

export const DAY_MS = 24 * 60 * 60 * 1000;

/** When a loan that began at `borrowedAt` (ms) is due: its item's loan period later. */
export const loanDueAt = (borrowedAt: number, loanDays: number): number => borrowedAt + loanDays * DAY_MS;
