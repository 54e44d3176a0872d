/**
 * Applying one kiosk's sync batch: the use case, in one store transaction. Each row is
 * applied at most once (idempotent by id, the first result answered again), in per-kiosk
 * sequence order, judged (judge.ts) against the state it meets, at its effective time.
 * One kiosk's batches run one at a time (the same batch retried on two replicas at once
 * applies once, without a serialisation retry).
 */
import type { TxResult } from '../../protocol/index.ts';
import type { PreparedTx, Store, StoreOps } from '../store/store.ts';
import { judgeTx } from './judge.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export type SyncRules = { maxLoansPerPerson: number };

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

/**
 * When the kiosk could not trust its clock (a Pi without a real-time clock, booted
 * offline), its time is only an ordering hint: place the row after everything this kiosk
 * did with a trusted clock, and never in the future.
 */
async function effectiveTime(tx: StoreOps, kioskId: string, row: PreparedTx, now: number): Promise<number> {
  if (row.clockTrusted) return Math.min(row.occurredAt, now);
  const floor = (await tx.lastTrustedAt(kioskId)) ?? -Infinity;
  return Math.min(Math.max(row.occurredAt, floor), now);
}

async function applyOne(
  tx: StoreOps,
  kioskId: string,
  row: PreparedTx,
  now: number,
  rules: SyncRules,
): Promise<TxResult> {
  const prior = await tx.findRecordedTx(row.id);
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
  const at = await effectiveTime(tx, kioskId, row, now);
  const item = await tx.findItem(row.itemId);
  const user = await tx.findUserById(row.userId);
  const decision = judgeTx(row, {
    item,
    user,
    openLoan: item ? await tx.openLoanOfItem(row.itemId) : null,
    openLoansOfUser: await tx.countOpenLoansOf(row.userId),
    maxLoans: rules.maxLoansPerPerson,
  });

  let loanId: string | null = null;
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
        dueAt: at + item.loanDays * DAY_MS,
      });
    }
    if (decision.closeLoanId || decision.openLoan) await tx.touchItem(row.itemId);
  }
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
    note: row.note,
    status: decision.status,
    code,
    loanId,
  });
  return {
    id: row.id,
    status: decision.status,
    ...(code ? { code } : {}),
    ...(loanId ? { loanId } : {}),
  };
}
