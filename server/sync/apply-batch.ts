/**
 * Applying one kiosk's sync batch: the use case, in one store transaction. Each row is
 * applied at most once (idempotent by id within its kiosk, the first result answered again;
 * another kiosk's id is refused), in per-kiosk sequence order, judged (judge.ts) against the
 * state it meets, at its effective time (an offline row's held to what the server knows);
 * a row that lands before what is already recorded about its item is placed on the item's
 * timeline where it happened (item-timeline.ts).
 * One kiosk's batches run one at a time (the same batch retried on two replicas at once
 * applies once, without a serialisation retry).
 */
import {
  BugError,
  judgeCart,
  overallLimit,
  type ErrorCode,
  type PolicySet,
  type TxResult,
} from '../../protocol/index.ts';
import { borrowerFacts, loanDueFor } from '../policies/policies.ts';
import type { OfflineFacts, PreparedTx, Store, StoreOps, UserRecord } from '../store/store.ts';
import { replayItem, UNCONFIRMED_OFFLINE } from './item-timeline.ts';
import { judgeTx, type Decision } from './judge.ts';
import { judgeLoanRenewal } from './renewal.ts';
import { reservationAtBorrow, settleReservation } from './reservation-at-borrow.ts';
import { RESERVATION_DEFAULTS, graceMs } from '../reservations/reserve.ts';

export type SyncRules = {
  maxLoansPerPerson: number;
  /**
   * The lending policies in force (protocol/policies.ts): a borrow they refuse is applied as
   * the physical event it was and marked a conflict naming the rule; a loan is due by them.
   * Absent: the one overall limit and the item's own period.
   */
  policies?: PolicySet;
  /**
   * How long a reservation holds its item after its start (protocol/reservations.ts): a
   * borrow by someone else inside it is a conflict ITEM_RESERVED; the holder's picks it up.
   * Absent: the server's default.
   */
  reservationGraceMs?: number;
};

export function applySyncBatch(
  store: Store,
  kioskId: string,
  txs: PreparedTx[],
  now: number,
  rules: SyncRules,
): Promise<TxResult[]> {
  const ordered = [...txs].sort((a, b) => a.seq - b.seq);
  return store.withTransaction(
    async (tx) => {
      await tx.lockRows(
        ordered.map((r) => r.itemId),
        ordered.map((r) => r.userId),
      );
      const results: TxResult[] = [];
      for (const row of ordered) results.push(await applyOne(tx, kioskId, row, now, rules));
      return results;
    },
    // Row locks on the batch's items and people, taken first in one order: batches of kiosks
    // that share items wait for each other instead of failing and retrying.
    { exclusiveKey: `sync:${kioskId}`, isolation: 'read committed' },
  );
}

/** How far a trusted kiosk clock may stand from the server's before its times are not believed. */
export const OFFLINE_CLOCK_SLACK_MS = 60_000;

/**
 * When the kiosk could not trust its clock (a Pi without a real-time clock, booted
 * offline), its time is only an ordering hint: place the row after everything this kiosk
 * did with a trusted clock, and never in the future. (A rental-token row is bounded already:
 * its token was checked at the time it claims.)
 */
async function effectiveTime(tx: StoreOps, kioskId: string, row: PreparedTx, now: number): Promise<number> {
  if (row.clockTrusted) return Math.min(row.occurredAt, now);
  const floor = (await tx.lastTrustedAt(kioskId)) ?? -Infinity;
  return Math.min(Math.max(row.occurredAt, floor), now);
}

/**
 * An offline row's time, which only the kiosk vouches for, held to what the server knows:
 * not before the roster it claims was issued, the kiosk's enrolment or its last trusted row,
 * and not after this sync. A trusted time outside those bounds (beyond a clock's slack) is
 * not believed, nor is any row when the roster had expired before the earliest moment the
 * row could have been made: OFFLINE_TIME_UNBOUNDED, a conflict. The time returned is the
 * claim clamped into the bounds either way (a flagged return still needs one).
 */
async function offlineTime(
  tx: StoreOps,
  kioskId: string,
  row: PreparedTx & { offline: OfflineFacts },
  now: number,
): Promise<{ at: number; unbounded: boolean }> {
  const enrolledAt = (await tx.findKiosk(kioskId))?.enrolledAt ?? null;
  const lastTrusted = (await tx.lastTrustedAt(kioskId)) ?? -Infinity;
  const known = Math.max(row.offline.rosterIssuedAt, enrolledAt ?? -Infinity);
  const floor = Math.max(known, Math.min(lastTrusted, now));
  const at = Math.min(Math.max(row.occurredAt, floor), now);
  const unbounded =
    enrolledAt === null ||
    known > now ||
    floor > row.offline.rosterExpiresAt ||
    (row.clockTrusted &&
      (row.occurredAt < known - OFFLINE_CLOCK_SLACK_MS ||
        row.occurredAt > Math.min(now, row.offline.rosterExpiresAt) + OFFLINE_CLOCK_SLACK_MS));
  return { at, unbounded };
}

async function applyOne(
  tx: StoreOps,
  kioskId: string,
  row: PreparedTx,
  now: number,
  rules: SyncRules,
): Promise<TxResult> {
  const prior = await tx.findPriorTx(row.id);
  // Ids belong to the kiosk that first sent them: another kiosk's answer (its loan id) is
  // not this kiosk's to read, nor is its row to overwrite. Refused, not recorded (the id is taken).
  if (prior && prior.kioskId !== kioskId) return { id: row.id, status: 'rejected', code: 'TX_ID_CLASH' };
  if (prior) {
    return {
      id: row.id,
      status: 'duplicate',
      first: {
        status: prior.status,
        ...(prior.code ? { code: prior.code } : {}),
        ...(prior.loanId ? { loanId: prior.loanId } : {}),
      },
    };
  }
  let at: number;
  let offlineProblem: ErrorCode | null = null;
  const offline = row.offline ?? null;
  if (offline) {
    const placed = await offlineTime(tx, kioskId, { ...row, offline }, now);
    at = placed.at;
    const reused = offline.proof !== null && (await tx.offlineProofUsed(offline.proof));
    offlineProblem =
      offline.proofError ??
      (reused ? 'OFFLINE_PROOF_INVALID' : placed.unbounded ? 'OFFLINE_TIME_UNBOUNDED' : null);
  } else if (row.tokenLife) {
    // A genuine token, a time outside its life: the kiosk's clock jumped. The event happened
    // while the token lived; placed at the nearest moment of that life, flagged.
    at = Math.min(Math.max(row.occurredAt, row.tokenLife.from), row.tokenLife.until, now);
  } else {
    at = await effectiveTime(tx, kioskId, row, now);
  }
  const item = await tx.findItem(row.itemId);
  const user = await tx.findUserById(row.userId);
  if (row.kind === 'renew')
    return applyRenewal(tx, kioskId, row, now, at, rules, { item, user, offlineProblem, offline });
  const context = {
    item,
    user,
    openLoansOfUser: await tx.countOpenLoansOf(row.userId),
    maxLoans: rules.policies && user ? overallLimit(rules.policies, user.role) : rules.maxLoansPerPerson,
    offlineProblem,
    policyRefusal:
      rules.policies && item && user && row.kind === 'borrow'
        ? await policyRefusal(tx, rules.policies, user, item, at)
        : null,
  };
  const dueFor = (userId: string, start: number) => loanDueFor(tx, rules.policies, item!, userId, start);
  const latest = item ? await tx.latestItemEventAt(row.itemId) : null;
  // A late row happened before things already recorded about its item (another kiosk synced
  // first). It is judged against who held the item at its time, and the item's loans are
  // derived again from the whole timeline (item-timeline.ts). A row that is refused
  // outright (its token, an unknown item or person) is never on a timeline.
  const isLate =
    item !== null &&
    latest !== null &&
    at < latest &&
    judgeTx(row, { ...context, openLoan: null }).status !== 'rejected';
  let decision: Decision;
  let loanId: string | null = null;
  if (isLate) {
    const late = await placeLate(tx, item, kioskId, row, at, offlineProblem, dueFor);
    decision = judgeTx(row, { ...context, openLoan: late.holderBefore });
    loanId = late.loanId;
  } else {
    decision = judgeTx(row, { ...context, openLoan: item ? await tx.openLoanOfItem(row.itemId) : null });
    if (decision.status !== 'rejected') {
      loanId = decision.loanId ?? decision.closeLoanId ?? null;
      if (decision.closeLoanId) await tx.closeLoan(decision.closeLoanId, at, row.id);
      if (decision.openLoan && item) {
        loanId = await tx.insertLoan({
          itemId: row.itemId,
          userId: row.userId,
          kioskId,
          borrowTxId: row.id,
          borrowedAt: at,
          dueAt: await dueFor(row.userId, at),
        });
      }
      if (decision.closeLoanId || decision.openLoan) await tx.touchItem(row.itemId);
    }
  }
  if (row.kind === 'borrow' && item && user && decision.status !== 'rejected' && decision.openLoan) {
    const meets = await reservationAtBorrow(
      tx,
      item,
      row.userId,
      at,
      rules.reservationGraceMs ?? graceMs(RESERVATION_DEFAULTS),
    );
    const reserved = await settleReservation(
      tx,
      // Another rule's conflict already names what is wrong; a pickup is recorded either way.
      decision.status === 'applied' ? meets : { ...meets, blockedBy: null },
      { txId: row.id, loanId, at, itemName: item.name, userName: user.displayName },
      now,
    );
    if (reserved) decision = { ...decision, status: 'conflict', code: reserved };
  }
  // Applied as the physical event it records, but its time was the server's best guess.
  if (row.tokenLife && decision.status === 'applied')
    decision = { ...decision, status: 'conflict', code: 'TIME_DOUBTFUL' };
  const code = decision.code ?? null;
  await tx.recordTx({
    id: row.id,
    kioskId,
    seq: row.seq,
    kind: row.kind,
    itemId: row.itemId,
    userId: row.userId,
    occurredAt: row.occurredAt,
    clockTrusted: row.clockTrusted,
    receivedAt: now,
    effectiveAt: at,
    note: row.note,
    status: decision.status,
    code,
    loanId,
    // A reused proof is not recorded again: the first row that carried it keeps it.
    offlineProof: offline?.proof && offlineProblem !== 'OFFLINE_PROOF_INVALID' ? offline.proof : null,
  });
  if (item && row.kind === 'return' && row.condition && decision.status !== 'rejected')
    await reportCondition(tx, item, kioskId, row, at);
  return {
    id: row.id,
    status: decision.status,
    ...(code ? { code } : {}),
    ...(loanId ? { loanId } : {}),
  };
}

/**
 * A return reported damaged or incomplete: the item waits for a check by staff (it is not
 * lent until then; protocol/lending.ts). Kept in the item's history either way; a report
 * older than the item's last condition change (a late row) does not undo a newer one.
 */
async function reportCondition(
  tx: StoreOps,
  item: { id: string; conditionAt: number | null },
  kioskId: string,
  row: PreparedTx,
  at: number,
) {
  const newer = item.conditionAt === null || at >= item.conditionAt;
  await tx.setItemCondition({
    itemId: item.id,
    at,
    condition: 'needs_check',
    report: row.condition ?? null,
    note: row.note,
    missingParts: row.missingParts ?? null,
    by: { kind: 'kiosk', name: kioskId },
    txId: row.id,
    current: newer,
  });
}

/**
 * Places a late row on its item's timeline (item-timeline.ts) and re-derives the item's
 * loans (and what the rows after it met). Returns who held the item just before it, and its loan.
 */
async function placeLate(
  tx: StoreOps,
  item: { id: string; loanDays: number },
  kioskId: string,
  row: PreparedTx,
  at: number,
  offlineProblem: ErrorCode | null,
  dueFor: (userId: string, start: number) => Promise<number>,
) {
  const lends = !(offlineProblem && UNCONFIRMED_OFFLINE.includes(offlineProblem));
  if (row.kind === 'renew') throw new BugError('a renewal is never placed on a timeline');
  const { fold, loanId } = await replayItem(
    tx,
    item,
    kioskId,
    { id: row.id, kind: row.kind, userId: row.userId, at, lends },
    dueFor,
  );
  const holderBefore = fold.holderBefore.get(row.id) ?? null;
  return {
    holderBefore: holderBefore && { id: holderBefore.borrowTxId, userId: holderBefore.userId },
    loanId,
  };
}

/**
 * What the lending policies say about this person borrowing this item at `at`, judged
 * against the loans they hold where the row stands: null, or the rule's code.
 */
async function policyRefusal(
  tx: StoreOps,
  policies: PolicySet,
  user: UserRecord,
  item: { id: string; category: string },
  at: number,
): Promise<ErrorCode | null> {
  const facts = await borrowerFacts(tx, user);
  const [verdict] = judgeCart(policies, facts, [{ itemId: item.id, category: item.category }], at);
  return verdict?.refusal?.code ?? null;
}

/**
 * A 'renew' row: the person extends a loan they hold (protocol/renewals.ts), judged again here
 * against the loan as the server holds it. Applied: the loan's due date moves and its renewal
 * count goes up. Refused by a rule, or the loan is no longer theirs (returned meanwhile): a
 * conflict naming the rule, and the loan stays as it was (the person still has the item).
 * Exactly once: a retried id is answered by findPriorTx before this runs.
 */
async function applyRenewal(
  tx: StoreOps,
  kioskId: string,
  row: PreparedTx,
  now: number,
  at: number,
  rules: SyncRules,
  facts: {
    item: Awaited<ReturnType<StoreOps['findItem']>>;
    user: UserRecord | null;
    offlineProblem: ErrorCode | null;
    offline: OfflineFacts | null;
  },
): Promise<TxResult> {
  let status: 'applied' | 'rejected' | 'conflict';
  let code: ErrorCode | null = null;
  let loanId: string | null = null;
  if (row.authError) [status, code] = ['rejected', row.authError];
  else if (!facts.item) [status, code] = ['rejected', 'ITEM_UNKNOWN'];
  else if (!facts.user) [status, code] = ['rejected', 'USER_UNKNOWN'];
  else {
    const loan = await tx.openLoanOfItem(row.itemId);
    if (!loan || loan.userId !== row.userId) [status, code] = ['conflict', 'ITEM_NOT_ON_LOAN'];
    else {
      loanId = loan.id;
      // An offline row the server cannot confirm extends nothing (as it lends nothing).
      const verdict = facts.offlineProblem
        ? null
        : await judgeLoanRenewal(
            tx,
            rules.policies,
            rules.maxLoansPerPerson,
            loan,
            at,
            rules.reservationGraceMs ?? graceMs(RESERVATION_DEFAULTS),
          );
      if (!verdict) [status, code] = ['conflict', facts.offlineProblem];
      else if (!verdict.ok) [status, code] = ['conflict', verdict.refusal.code];
      else {
        await tx.renewLoan(loan.id, verdict.dueAt);
        // Applied, but its time was the server's best guess (the kiosk's clock jumped).
        [status, code] = row.tokenLife ? ['conflict', 'TIME_DOUBTFUL'] : ['applied', null];
      }
    }
  }
  await tx.recordTx({
    id: row.id,
    kioskId,
    seq: row.seq,
    kind: row.kind,
    itemId: row.itemId,
    userId: row.userId,
    occurredAt: row.occurredAt,
    clockTrusted: row.clockTrusted,
    receivedAt: now,
    effectiveAt: at,
    note: row.note,
    status,
    code,
    loanId,
    offlineProof:
      facts.offline?.proof && facts.offlineProblem !== 'OFFLINE_PROOF_INVALID' ? facts.offline.proof : null,
  });
  return { id: row.id, status, ...(code ? { code } : {}), ...(loanId ? { loanId } : {}) };
}
