/**
 * The sync protocol: a kiosk sends its outbox rows in per-kiosk sequence order, the server
 * applies each exactly once and answers per id (../DESIGN.md, Borrow/return -> outbox -> sync).
 */
import { Type, type Static } from '@sinclair/typebox';
import { KIT_PARTS_MAX, RETURN_CONDITIONS, RETURN_NOTE_MAX } from '../lending.ts';
import { CompactJwt, ErrorCodeSchema, Id, KitPart, Strict, Timestamp, Uuid } from './common.ts';

/**
 * 'renew' (protocol 5): the person extends a loan they hold (protocol/renewals.ts); the item
 * does not move. Only kiosks of protocol 5 send it.
 */
export const TxKind = Type.Union([Type.Literal('borrow'), Type.Literal('return'), Type.Literal('renew')]);
export type TxKind = Static<typeof TxKind>;

/** What a person reported about an item they returned (lending.ts). */
export const ReturnConditionSchema = Type.Union(RETURN_CONDITIONS.map((c) => Type.Literal(c)));

export const TxAuth = Type.Union([
  /** Online: the rental token the server issued for this session. */
  Strict({ kind: Type.Literal('rental'), token: CompactJwt }),
  /**
   * Offline: the signed roster the kiosk used (its jti), the badge's roster entry, and this
   * row's proof: HMAC under a key only the physical badge yields (protocol/tokens.ts,
   * offlineProofMessage). The server checks them again at sync: the roster was issued to
   * this kiosk, the badge belongs to that person, and the proof signs this very row, once.
   * A row without a proof (written before proofs existed) parses, and is held as a conflict.
   */
  Strict({
    kind: Type.Literal('roster'),
    roster: Type.String({ minLength: 1, maxLength: 64 }),
    badge: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }),
    nonce: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' })),
    proof: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' })),
  }),
]);
export type TxAuth = Static<typeof TxAuth>;

export const Transaction = Strict({
  id: Uuid,
  /** Beyond 2^53 a JSON number no longer names one integer: two rows could share a seq. */
  seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  kind: TxKind,
  itemId: Id,
  userId: Id,
  occurredAt: Timestamp,
  /** False when the kiosk could not trust its own clock when the row was written. */
  clockTrusted: Type.Boolean(),
  auth: TxAuth,
  note: Type.Optional(Type.String({ maxLength: RETURN_NOTE_MAX })),
  /** Returns only: reported damaged or incomplete, so the item waits for a check. Ignored on a borrow. */
  condition: Type.Optional(ReturnConditionSchema),
  /**
   * Protocol 7, returns only: the parts of a kit that did not come back (the item is then
   * 'incomplete' at least, protocol/lending.ts returnReport). Ignored on a borrow.
   */
  missingParts: Type.Optional(
    Type.Array(KitPart, { minItems: 1, maxItems: KIT_PARTS_MAX, uniqueItems: true }),
  ),
});
export type Transaction = Static<typeof Transaction>;

export const SYNC_MAX_BATCH = 500;

export const SyncRequest = Strict({
  transactions: Type.Array(Transaction, { minItems: 1, maxItems: SYNC_MAX_BATCH }),
});
export type SyncRequest = Static<typeof SyncRequest>;

export const TxOutcome = Type.Union([
  Type.Literal('applied'),
  Type.Literal('rejected'),
  Type.Literal('conflict'),
]);
export type TxOutcome = Static<typeof TxOutcome>;

export const TxFirstResult = Strict({
  status: TxOutcome,
  code: Type.Optional(ErrorCodeSchema),
  loanId: Type.Optional(Id),
});
export type TxFirstResult = Static<typeof TxFirstResult>;

export const TxResult = Strict({
  id: Uuid,
  status: Type.Union([TxOutcome, Type.Literal('duplicate')]),
  code: Type.Optional(ErrorCodeSchema),
  loanId: Type.Optional(Id),
  /** For `duplicate`: what the first application of this id produced. */
  first: Type.Optional(TxFirstResult),
});
export type TxResult = Static<typeof TxResult>;

export const SyncResponse = Strict({
  results: Type.Array(TxResult),
  serverTime: Timestamp,
});
export type SyncResponse = Static<typeof SyncResponse>;
