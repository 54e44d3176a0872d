/**
 * POST /v1/sync: a batch of a kiosk's outbox rows. Tokens are checked first (async, outside
 * the database transaction), then the store applies the batch in one transaction.
 */
import {
  AppError,
  ErrorBody,
  SyncRequest,
  SyncResponse,
  returnReport,
  toIso,
  type Transaction,
  type TxResult,
} from '../../protocol/index.ts';
import type { App, FeatureOptions } from '../http/app-type.ts';
import { transactionsEvent } from '../events/bus.ts';
import { kioskGuard } from '../http/auth-guards.ts';
import { codeForKiosk, kioskProtocol } from '../http/kiosk-protocol.ts';
import { currentPolicies } from '../policies/policies.ts';
import type { PreparedTx } from '../store/store.ts';
import { applySyncBatch } from '../sync/apply-batch.ts';
import { configuredGraceMs } from '../reservations/reserve.ts';
import { StoreUnavailableError } from '../store/store-errors.ts';
import { requestMoment } from '../http/request-time.ts';

export async function syncRoutes(app: App, { deps }: FeatureOptions) {
  const onRequest = kioskGuard(deps.authenticateKiosk);

  type RentalCheck = Promise<
    { userId: string; life: { from: number; until: number } | null } | { error: PreparedTx['authError'] }
  >;

  /**
   * The rows of one cart share a rental token and an occurredAt, so one signature check
   * answers for all of them; the memo lives for one batch only (keys rotate, kiosks revoke).
   */
  function checkRental(memo: Map<string, RentalCheck>, kioskId: string, token: string, occurredAt: number) {
    const key = `${occurredAt}:${token}`;
    let check = memo.get(key);
    if (!check) {
      check = deps.tokens.verifyRental(token, kioskId, occurredAt).then(
        ({ userId, timeDoubtful, life }) => ({ userId, life: timeDoubtful ? life : null }),
        (err: unknown) => {
          // The database away while checking is not the token's fault: the batch fails as a
          // whole (503) and the kiosk sends it again, rather than a valid row being judged.
          if (err instanceof StoreUnavailableError) throw err;
          return { error: err instanceof AppError ? err.code : 'TOKEN_INVALID' };
        },
      );
      memo.set(key, check);
    }
    return check;
  }

  async function prepare(
    kioskId: string,
    tx: Transaction,
    memo: Map<string, RentalCheck>,
  ): Promise<PreparedTx> {
    const occurredAt = requestMoment(tx.occurredAt, `occurredAt of ${tx.id}`);
    let authError: PreparedTx['authError'] = null;
    let offline: PreparedTx['offline'] = null;
    let tokenLife: PreparedTx['tokenLife'] = null;
    if (tx.auth.kind === 'roster') {
      const check = await deps.roster.check(kioskId, tx.auth, {
        kind: tx.kind,
        itemId: tx.itemId,
        userId: tx.userId,
        occurredAt,
        clockTrusted: tx.clockTrusted,
      });
      authError = check.authError;
      if (check.authError === null) offline = check.offline;
    } else {
      const check = await checkRental(memo, kioskId, tx.auth.token, occurredAt);
      if ('error' in check) authError = check.error;
      else if (check.userId !== tx.userId) authError = 'TOKEN_INVALID';
      else tokenLife = check.life;
    }
    return {
      id: tx.id,
      seq: tx.seq,
      kind: tx.kind,
      itemId: tx.itemId,
      userId: tx.userId,
      occurredAt,
      clockTrusted: tx.clockTrusted,
      note: tx.note ?? null,
      // Missing parts make a return 'incomplete' even when the kiosk named no condition.
      condition: tx.kind === 'return' ? returnReport(tx.condition, tx.missingParts) : null,
      missingParts: tx.kind === 'return' ? (tx.missingParts ?? null) : null,
      authError,
      offline,
      tokenLife,
    };
  }

  app.post(
    '/v1/sync',
    {
      onRequest,
      bodyLimit: 2 * 1024 * 1024,
      schema: { body: SyncRequest, response: { 200: SyncResponse, 400: ErrorBody, 401: ErrorBody } },
    },
    async (request) => {
      const kiosk = request.kiosk!;
      const memo = new Map<string, RentalCheck>();
      const prepared = await Promise.all(request.body.transactions.map((tx) => prepare(kiosk.id, tx, memo)));
      const now = deps.clock.now();
      const { policies } = await currentPolicies(deps.store, deps.maxLoansPerPerson);
      const results = await applySyncBatch(deps.store, kiosk.id, prepared, now, {
        maxLoansPerPerson: deps.maxLoansPerPerson,
        policies,
        reservationGraceMs: configuredGraceMs(deps),
      });
      for (const r of results)
        if (r.code === 'TX_ID_CLASH')
          request.log.warn({ kioskId: kiosk.id, txId: r.id }, 'transaction id already used by another kiosk');
      deps.events.emit(transactionsEvent(kiosk.id, results));
      const protocol = kioskProtocol(request);
      return { results: results.map((r) => answerFor(r, protocol)), serverTime: toIso(now) };
    },
  );
}

/** A result in codes the kiosk knows (an older kiosk refuses an answer with a code it does not). */
function answerFor(r: TxResult, protocol: number): TxResult {
  return {
    ...r,
    ...(r.code ? { code: codeForKiosk(r.code, protocol) } : {}),
    ...(r.first?.code ? { first: { ...r.first, code: codeForKiosk(r.first.code, protocol) } } : {}),
  };
}
