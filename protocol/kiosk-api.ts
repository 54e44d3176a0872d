/**
 * The KioskApi: the only contract between the touchscreen UI and the kiosk core.
 *
 * The same command and event tables type the Electron IPC bridge and the web host's
 * WebSocket bridge; both validate every payload against these schemas before the core
 * sees it (a compromised or buggy renderer is just another untrusted client).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Credential } from './credentials.ts';
import { ErrorCodeSchema, Id, KitPart, KitParts, Strict, Timestamp } from './wire/common.ts';
import { KIT_PARTS_MAX, RETURN_NOTE_MAX } from './lending.ts';
import { LoanSummary, PersonDistinction, SessionUser } from './wire/kiosk.ts';
import { ReturnConditionSchema, TxKind } from './wire/sync.ts';

export const Screen = Type.Union([
  Type.Literal('idle'),
  Type.Literal('identifying'),
  Type.Literal('session'),
  Type.Literal('committing'),
  Type.Literal('receipt'),
  Type.Literal('denied'),
  /** An admin badge was tapped: reader/output status, force sync, badge enrolment. */
  Type.Literal('service'),
  /**
   * The kiosk's database is damaged: nothing can be borrowed or returned here until staff
   * look at it. An admin badge still opens the service screen.
   */
  Type.Literal('outOfService'),
]);
export type Screen = Static<typeof Screen>;

export const KioskItem = Strict({
  id: Id,
  tag: Type.String(),
  name: Type.String(),
  category: Type.String(),
  loanDays: Type.Integer(),
  /** Server state plus this kiosk's own pending rows. */
  available: Type.Boolean(),
  /** Null when this person may borrow it; otherwise why not. */
  blockedFor: Type.Union([ErrorCodeSchema, Type.Null()]),
  /**
   * On loan: the first name of whoever holds it, when the server said (protocol 4) and no
   * unsynced row of this kiosk has moved it since; said before someone else returns it.
   */
  heldBy: Type.Optional(Type.String({ maxLength: 100 })),
  /** Its photo's thumbnail, on the renderer's own origin, once the kiosk has it. */
  photo: Type.Optional(Type.String({ pattern: '^item-photos/[0-9a-f]{64}\\.jpg$' })),
  /** blockedFor ITEM_RESERVED: when the reservation holding it back ends (free again then). */
  freeAt: Type.Optional(Timestamp),
  /** A kit's named parts (absent: no kit), asked after at its return. */
  parts: Type.Optional(KitParts),
});
export type KioskItem = Static<typeof KioskItem>;

/** Why a rule stops a person or an item, with the numbers a person needs (protocol/policies.ts). */
const ruleReasonFields = {
  code: ErrorCodeSchema,
  /** Limits: how many at once, how many held, how many more may be taken. */
  limit: Type.Optional(Type.Integer({ minimum: 0 })),
  have: Type.Optional(Type.Integer({ minimum: 0 })),
  canTake: Type.Optional(Type.Integer({ minimum: 0 })),
  category: Type.Optional(Type.String()),
  /** A suspension: borrowing again from this local date (YYYY-MM-DD), and the admin's note. */
  until: Type.Optional(Type.String()),
  note: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** How many overdue loans block borrowing. */
  overdue: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Renewals: how many times this loan was renewed already (limit: how many it may be). */
  used: Type.Optional(Type.Integer({ minimum: 0 })),
  /** ITEM_RESERVED: when the reservation holding the item back ends (it is free again then). */
  freeAt: Type.Optional(Timestamp),
};

/** What stops the person borrowing anything now (a suspension, overdue loans). */
export const SessionBlock = Strict(ruleReasonFields);
export type SessionBlock = Static<typeof SessionBlock>;

/**
 * One item of a cart that may not go, and why (the lending policies, protocol/policies.ts):
 * the rest of the cart can still be borrowed.
 */
export const CartRefusal = Strict({ itemId: Id, ...ruleReasonFields });
export type CartRefusal = Static<typeof CartRefusal>;

/**
 * Whether one of the person's loans may be renewed now (protocol/renewals.ts), judged by the
 * core: the new due date to show before they confirm, or the rule that stops it.
 */
export const RenewalOption = Strict({
  itemId: Id,
  newDueAt: Type.Union([Timestamp, Type.Null()]),
  refusal: Type.Union([Strict(ruleReasonFields), Type.Null()]),
});
export type RenewalOption = Static<typeof RenewalOption>;

/**
 * One of the person's reservations in its pickup time (protocol/reservations.ts), borrowed
 * with one touch: `itemId` is the item that touch borrows (the one reserved by name, or a free
 * one of the category), null when none is on the shelf here now.
 */
export const ReservedForYou = Strict({
  reservationId: Id,
  itemId: Type.Union([Id, Type.Null()]),
  /** The item's name, or null for any one of `category` with none free here. */
  itemName: Type.Union([Type.String(), Type.Null()]),
  category: Type.String(),
  /** Reserved by name (false: any one of the category). */
  byName: Type.Boolean(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  /** Not picked up by then, it expires. */
  pickupUntil: Timestamp,
});
export type ReservedForYou = Static<typeof ReservedForYou>;

export const SessionView = Strict({
  user: SessionUser,
  loans: Type.Array(LoanSummary),
  offline: Type.Boolean(),
  expiresAt: Timestamp,
  idleDeadline: Timestamp,
  /**
   * When the UI starts showing the inactivity countdown. Absent: the UI shows it for the
   * last 15 s before min(idleDeadline, expiresAt).
   */
  idleWarnAt: Type.Optional(Timestamp),
  /** A lending rule that stops this person borrowing anything now; absent or null: none. */
  block: Type.Optional(Type.Union([SessionBlock, Type.Null()])),
  /** One per loan in `loans` the kiosk can judge (absent: none, e.g. an offline session). */
  renewals: Type.Optional(Type.Array(RenewalOption)),
  /** The person's reservations waiting to be picked up now, first (absent: none). */
  reservedForYou: Type.Optional(Type.Array(ReservedForYou)),
});
export type SessionView = Static<typeof SessionView>;

export const ReceiptLine = Strict({
  itemId: Id,
  itemName: Type.String(),
  dueAt: Type.Union([Timestamp, Type.Null()]),
});
export type ReceiptLine = Static<typeof ReceiptLine>;

export const ReceiptView = Strict({
  kind: TxKind,
  lines: Type.Array(ReceiptLine),
  at: Timestamp,
  /** True until the server has acknowledged every row of this receipt. */
  pendingSync: Type.Boolean(),
});
export type ReceiptView = Static<typeof ReceiptView>;

export const ReaderStatus = Strict({
  id: Type.String(),
  kind: Type.String(),
  state: Type.Union([Type.Literal('present'), Type.Literal('gone'), Type.Literal('error')]),
  detail: Type.Optional(Type.String()),
});
export type ReaderStatus = Static<typeof ReaderStatus>;

/** LEDs, buzzer, locker relays (service mode shows them). */
export const OutputStatus = Strict({
  id: Type.String(),
  kind: Type.String(),
  state: Type.Union([Type.Literal('ok'), Type.Literal('off'), Type.Literal('error')]),
  detail: Type.Optional(Type.String()),
});
export type OutputStatus = Static<typeof OutputStatus>;

export const KioskStatus = Strict({
  online: Type.Boolean(),
  pending: Type.Integer({ minimum: 0 }),
  lastSyncAt: Type.Union([Timestamp, Type.Null()]),
  readers: Type.Array(ReaderStatus),
  simulator: Type.Boolean(),
  outputs: Type.Optional(Type.Array(OutputStatus)),
  /** Simulator only: badges worth trying (demo data), shown on the idle screen's simulator panel. */
  simulatorBadges: Type.Optional(Type.Array(Strict({ label: Type.String(), credential: Credential }))),
  /** A sync round is running right now (service mode disables "sync now" meanwhile). */
  syncing: Type.Optional(Type.Boolean()),
  /** Rows the server rejected or flagged as conflicts: they wait for a person on the dashboard. */
  needsAttention: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Why the kiosk is out of service (its database failed), for staff on the service screen. */
  storageFault: Type.Optional(Type.String({ maxLength: 300 })),
  /** Whom to ask when a badge is refused (the kiosk's helpContact setting); absent: not set. */
  helpContact: Type.Optional(Type.String({ maxLength: 120 })),
});
export type KioskStatus = Static<typeof KioskStatus>;

/** Someone an admin can enrol a badge to. */
export const EnrolTarget = Strict({
  id: Id,
  displayName: Type.String({ maxLength: 200 }),
  /** What tells two people of one name apart (absent from servers before protocol 4). */
  ...PersonDistinction,
});
export type EnrolTarget = Static<typeof EnrolTarget>;

export const EnrolState = Strict({
  userId: Id,
  displayName: Type.String({ maxLength: 200 }),
  /** waiting: the next badge tap is enrolled to this person instead of starting a session. */
  state: Type.Union([Type.Literal('waiting'), Type.Literal('enrolled'), Type.Literal('failed')]),
  error: Type.Union([ErrorCodeSchema, Type.Null()]),
});
export type EnrolState = Static<typeof EnrolState>;

/** Present while screen is 'service'. Status itself is KioskView.status. */
export const ServiceView = Strict({
  admin: SessionUser,
  people: Type.Array(EnrolTarget),
  enrol: Type.Union([EnrolState, Type.Null()]),
  idleDeadline: Timestamp,
});
export type ServiceView = Static<typeof ServiceView>;

export const KioskView = Strict({
  screen: Screen,
  now: Timestamp,
  session: Type.Union([SessionView, Type.Null()]),
  receipt: Type.Union([ReceiptView, Type.Null()]),
  /** Why the last attempt failed: a denied badge, or a borrow that could not be recorded. */
  error: Type.Union([ErrorCodeSchema, Type.Null()]),
  status: KioskStatus,
  items: Type.Array(KioskItem),
  service: Type.Optional(Type.Union([ServiceView, Type.Null()])),
});
export type KioskView = Static<typeof KioskView>;

export const CommandResult = Type.Union([
  Strict({ ok: Type.Literal(true) }),
  Strict({
    ok: Type.Literal(false),
    code: ErrorCodeSchema,
    /** A borrow some of whose items may not go: those items (the others may). */
    refused: Type.Optional(Type.Array(CartRefusal)),
  }),
]);
export type CommandResult = Static<typeof CommandResult>;

/** One returned item's report (returnItems). */
export const ReturnItemReport = Strict({
  itemId: Id,
  condition: Type.Optional(ReturnConditionSchema),
  missingParts: Type.Optional(
    Type.Array(KitPart, { minItems: 1, maxItems: KIT_PARTS_MAX, uniqueItems: true }),
  ),
  note: Type.Optional(Type.String({ maxLength: RETURN_NOTE_MAX })),
});
export type ReturnItemReport = Static<typeof ReturnItemReport>;

const Empty = Strict({});
const ItemTag = Type.String({ minLength: 1, maxLength: 128 });
const ItemIds = Type.Array(Id, { minItems: 1, maxItems: 20, uniqueItems: true });

/** Commands: name -> params and result schemas. */
export const KIOSK_COMMANDS = {
  getView: { params: Empty, result: KioskView },
  borrow: { params: Strict({ itemIds: ItemIds }), result: CommandResult },
  returnItems: {
    params: Strict({
      itemIds: ItemIds,
      /**
       * What the person reported, item by item (an item without one came back fine): damaged
       * or incomplete, a kit's parts that did not come back, a note. Such an item waits for a
       * check by staff (protocol/lending.ts returnReport).
       */
      reports: Type.Optional(Type.Array(ReturnItemReport, { maxItems: 20 })),
    }),
    result: CommandResult,
  },
  /** Extend these loans of the person (protocol/renewals.ts); refused ones come back with the rule. */
  renew: { params: Strict({ itemIds: ItemIds }), result: CommandResult },
  endSession: { params: Empty, result: CommandResult },
  /** A touch on the screen: postpones the inactivity timeout. */
  activity: { params: Empty, result: CommandResult },
  /** Development only: tap a badge on the simulated reader. Refused unless the simulator is on. */
  simulateTap: { params: Strict({ credential: Credential }), result: CommandResult },
  /** Development only: scan an item tag on the simulated scanner. Refused unless the simulator is on. */
  simulateScan: { params: Strict({ tag: ItemTag }), result: CommandResult },
  /**
   * Key presses a keyboard-wedge device (badge reader, barcode/QR scanner) typed into the
   * kiosk's window, sent when Enter ends a burst: each key (KeyboardEvent.key) with its event
   * time (ms, any monotonic base). The core's one classifier decides, by timing and pattern,
   * whether they were a badge, an item tag or a person typing. FORBIDDEN when the kiosk has no
   * keyboard-wedge reader configured.
   */
  keyboardInput: {
    params: Strict({
      keys: Type.Array(Strict({ key: Type.String({ minLength: 1, maxLength: 32 }), at: Type.Number() }), {
        minItems: 1,
        maxItems: 160,
      }),
    }),
    result: CommandResult,
  },
  /** Service mode (admin session) only: run a sync round now. */
  forceSync: { params: Empty, result: CommandResult },
  /** Service mode only: the next badge tap is enrolled to this person. */
  startEnrol: { params: Strict({ userId: Id }), result: CommandResult },
  cancelEnrol: { params: Empty, result: CommandResult },
} as const satisfies Record<string, { params: TSchema; result: TSchema }>;

export type KioskCommand = keyof typeof KIOSK_COMMANDS;
export type CommandParams<C extends KioskCommand> = Static<(typeof KIOSK_COMMANDS)[C]['params']>;
export type CommandReturn<C extends KioskCommand> = Static<(typeof KIOSK_COMMANDS)[C]['result']>;

/**
 * An item tag read by a scanner (barcode/QR wedge or an NFC item tag) during a session.
 * itemId is null when no catalog item has that tag. The UI adds it to the cart (borrow)
 * or marks it for return, so the cart stays UI state.
 */
export const ScanEvent = Strict({
  tag: ItemTag,
  itemId: Type.Union([Id, Type.Null()]),
  at: Timestamp,
});
export type ScanEvent = Static<typeof ScanEvent>;

/** Events pushed from core to UI. */
export const KIOSK_EVENTS = {
  view: KioskView,
  scan: ScanEvent,
} as const satisfies Record<string, TSchema>;
export type KioskEvent = keyof typeof KIOSK_EVENTS;
export type EventPayload<E extends KioskEvent> = Static<(typeof KIOSK_EVENTS)[E]>;
/** Every event, for the bridges that carry all of them (src-main/core/api-dispatch.ts: bindKioskApi). */
export const KIOSK_EVENT_NAMES = Object.keys(KIOSK_EVENTS) as KioskEvent[];
/** The union of event names, as a schema: a frame naming another event does not type-check. */
const KioskEventName = Type.KeyOf(Type.Object(KIOSK_EVENTS));

/** What the renderer holds: one function per command plus event subscription. */
export type KioskApi = {
  [C in KioskCommand]: (params: CommandParams<C>) => Promise<CommandReturn<C>>;
} & {
  on<E extends KioskEvent>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** Web host wire frames (WebSocket), one JSON object per message. */
export const WsClientFrame = Strict({
  type: Type.Literal('call'),
  id: Type.Integer({ minimum: 0 }),
  method: Type.String({ maxLength: 64 }),
  params: Type.Unknown(),
});
export type WsClientFrame = Static<typeof WsClientFrame>;

export const WsServerFrame = Type.Union([
  Strict({ type: Type.Literal('result'), id: Type.Integer(), value: Type.Unknown() }),
  Strict({ type: Type.Literal('error'), id: Type.Integer(), code: ErrorCodeSchema }),
  Strict({ type: Type.Literal('event'), name: KioskEventName, payload: Type.Unknown() }),
]);
export type WsServerFrame = Static<typeof WsServerFrame>;

export function isKioskCommand(name: string): name is KioskCommand {
  return Object.hasOwn(KIOSK_COMMANDS, name);
}
