/**
 * The kiosk session as a pure state machine: step(state, event, ctx) -> { state, effects }.
 * No I/O and no clock of its own: every event carries the time it happened, deadlines
 * are stored in the state, and the driver (kiosk-core.ts) turns `nextDeadline` into one
 * timer that sends a `tick`; effects are carried out by effects/effect-driver.ts, which
 * answers with events. Every transition is tested in test/core/session/machine.test.ts.
 */
import type {
  CartRefusal,
  Credential,
  EnrolTarget,
  ErrorCode,
  LoanSummary,
  ReturnCondition,
  SessionUser,
  SuspensionFacts,
  TxKind,
} from '../../../protocol/index.ts';

export type Session = {
  credential: Credential;
  user: SessionUser;
  loans: LoanSummary[];
  maxLoans: number;
  /** An admin's suspension of the person's borrowing, as the server said at the tap. */
  suspension?: SuspensionFacts | null;
  /** Offline: the loans the roster says the person held when it was signed. */
  openLoans?: number;
  /** The rental token (online) or null for an offline-roster session. */
  token: string | null;
  /** Offline: the roster proof each transaction carries instead of a token. */
  offlineAuth: { kind: 'roster'; roster: string; badge: string } | null;
  offline: boolean;
  /** When the rental token (or roster entry) stops being good, ms. */
  expiresAt: number;
  /** Last touch or badge; the inactivity timeout counts from here, ms. */
  lastActivityAt: number;
};

export type Receipt = {
  kind: TxKind;
  lines: { itemId: string; itemName: string; dueAt: number | null }[];
  at: number;
  rowIds: string[];
};

/** A cart as the person confirmed it. */
export type Cart = {
  kind: TxKind;
  itemIds: string[];
  /** A return: what the person reported, item by item (only items with something to say). */
  reports?: ItemReport[];
};

/**
 * What the person said of one item they return: damaged or incomplete (the item then waits
 * for a check), a kit's parts that did not come back, a note. Normalised by the facade.
 */
export type ItemReport = {
  itemId: string;
  condition: ReturnCondition | null;
  missingParts: string[] | null;
  note: string | null;
};

/** Why a confirmed cart may not go, as the command answers it (the screen shows no error). */
export type CartProblem = { code: ErrorCode; refused?: CartRefusal[] };

export type State =
  | { screen: 'idle' }
  | { screen: 'identifying'; credential: Credential; since: number }
  | {
      screen: 'session';
      session: Session;
      error: ErrorCode | null;
      /** The last confirmed cart the rules refused (nothing was committed); cleared by the next. */
      refusal?: CartProblem | null;
    }
  | { screen: 'committing'; session: Session; kind: TxKind }
  | { screen: 'receipt'; receipt: Receipt; until: number }
  | { screen: 'denied'; code: ErrorCode; until: number }
  /**
   * An admin's badge: status, sync now, and enrolling a badge to a person. `people`: whom a
   * badge may be enrolled to, empty until the server's list arrives.
   */
  | { screen: 'service'; session: Session; enrol: Enrol | null; people: EnrolTarget[] };

export type Enrol = {
  userId: string;
  displayName: string;
  state: 'waiting' | 'enrolling' | 'enrolled' | 'failed';
  error: ErrorCode | null;
};

export type Event =
  | { type: 'badge'; credential: Credential; at: number }
  | { type: 'identified'; credential: Credential; session: Omit<Session, 'lastActivityAt'>; at: number }
  | { type: 'identifyFailed'; credential: Credential; code: ErrorCode; at: number }
  /** The person confirmed a cart: it is checked against the rules before anything is written. */
  | ({ type: 'commit'; at: number } & Cart)
  /** The cart rule's answer for the session's confirmed cart: null, it may go. */
  | { type: 'cartChecked'; cart: Cart; problem: CartProblem | null; at: number }
  | { type: 'committed'; receipt: Receipt; at: number }
  | { type: 'commitFailed'; code: ErrorCode; at: number }
  | { type: 'activity'; at: number }
  | { type: 'endSession'; at: number }
  | { type: 'startEnrol'; userId: string; displayName: string; at: number }
  | { type: 'cancelEnrol'; at: number }
  | { type: 'enrolResult'; credential: Credential; error: ErrorCode | null; at: number }
  /** The server's list of people for service mode, asked for with this session's token. */
  | { type: 'peopleLoaded'; token: string; people: EnrolTarget[]; at: number }
  | { type: 'tick'; at: number };

export type Effect =
  | { type: 'identify'; credential: Credential }
  /** Judge the cart by what this kiosk knows (cart-check.ts); answered by `cartChecked`. */
  | { type: 'checkCart'; cart: Cart; session: Session }
  /** Ask the server whom a badge may be enrolled to; answered by `peopleLoaded`. */
  | { type: 'loadPeople'; token: string }
  | {
      type: 'commit';
      kind: TxKind;
      itemIds: string[];
      reports?: ItemReport[];
      session: Session;
    }
  | { type: 'enrolBadge'; credential: Credential; userId: string; session: Session }
  | { type: 'signal'; pattern: 'accepted' | 'denied' | 'committed' | 'error' | 'ready' };

export type Config = {
  inactivityMs: number;
  receiptMs: number;
  deniedMs: number;
  /** Give up on a server that does not answer a tap. */
  identifyTimeoutMs: number;
};

export type Step = { state: State; effects: Effect[] };

export const initialState: State = { screen: 'idle' };

const stay = (state: State): Step => ({ state, effects: [] });

function identify(credential: Credential, at: number): Step {
  return {
    state: { screen: 'identifying', credential, since: at },
    effects: [{ type: 'identify', credential }],
  };
}

/** When the current screen ends by itself, or null. */
export function nextDeadline(state: State, config: Config): number | null {
  switch (state.screen) {
    case 'idle':
    case 'committing':
      // A commit is a local SQLite write; it ends by its own event, never by a timer.
      return null;
    case 'identifying':
      return state.since + config.identifyTimeoutMs;
    case 'session':
    case 'service':
      return Math.min(state.session.lastActivityAt + config.inactivityMs, state.session.expiresAt);
    case 'receipt':
    case 'denied':
      return state.until;
  }
}

export function step(state: State, event: Event, config: Config): Step {
  switch (event.type) {
    case 'badge':
      switch (state.screen) {
        case 'idle':
        case 'receipt':
        case 'denied':
          return identify(event.credential, event.at);
        case 'identifying':
        case 'committing':
          return stay(state);
        case 'service': {
          const touched = { ...state.session, lastActivityAt: event.at };
          // Waiting to enrol: this tap is the new badge, not a person arriving.
          if (state.enrol?.state === 'waiting')
            return {
              state: {
                ...state,
                session: touched,
                enrol: { ...state.enrol, state: 'enrolling', error: null },
              },
              effects: [
                {
                  type: 'enrolBadge',
                  credential: event.credential,
                  userId: state.enrol.userId,
                  session: touched,
                },
              ],
            };
          if (event.credential === state.session.credential) return stay({ ...state, session: touched });
          return identify(event.credential, event.at);
        }
        case 'session':
          // The same badge again is a sign of life; another badge is another person.
          if (event.credential === state.session.credential)
            return stay({ ...state, session: { ...state.session, lastActivityAt: event.at } });
          return identify(event.credential, event.at);
      }
      break;

    case 'identified': {
      if (state.screen !== 'identifying' || state.credential !== event.credential) return stay(state);
      const session = { ...event.session, lastActivityAt: event.at };
      if (event.session.user.role !== 'admin')
        return {
          state: { screen: 'session', session, error: null },
          effects: [{ type: 'signal', pattern: 'accepted' }],
        };
      // Service mode lists the people to enrol a badge to; an offline admin has no token to ask with.
      return {
        state: { screen: 'service', session, enrol: null, people: [] },
        effects: [
          { type: 'signal', pattern: 'accepted' },
          ...(session.token ? [{ type: 'loadPeople' as const, token: session.token }] : []),
        ],
      };
    }

    case 'identifyFailed':
      if (state.screen !== 'identifying' || state.credential !== event.credential) return stay(state);
      return deny(event.code, event.at, config);

    case 'commit': {
      if (state.screen !== 'session') return stay(state);
      const { type: _, at: __, ...cart } = event;
      const asked = { ...state, refusal: null };
      if (event.itemIds.length === 0) return stay(asked);
      return { state: asked, effects: [{ type: 'checkCart', cart, session: state.session }] };
    }

    case 'cartChecked': {
      if (state.screen !== 'session') return stay(state);
      // Refused by the rules: nothing is written and the screen stays as it was; the command
      // answers with the refusal, and a partly refused cart lists the items that may go.
      if (event.problem) return stay({ ...state, refusal: event.problem });
      const { cart } = event;
      return {
        state: { screen: 'committing', session: state.session, kind: cart.kind },
        effects: [
          {
            type: 'commit',
            kind: cart.kind,
            itemIds: cart.itemIds,
            ...(cart.reports ? { reports: cart.reports } : {}),
            session: state.session,
          },
        ],
      };
    }

    case 'peopleLoaded':
      // A list asked for by an earlier admin's session is not this one's.
      if (state.screen !== 'service' || state.session.token !== event.token) return stay(state);
      return stay({ ...state, people: event.people });

    case 'committed':
      if (state.screen !== 'committing') return stay(state);
      return {
        state: { screen: 'receipt', receipt: event.receipt, until: event.at + config.receiptMs },
        effects: [{ type: 'signal', pattern: 'committed' }],
      };

    case 'commitFailed':
      if (state.screen !== 'committing') return stay(state);
      return {
        state: {
          screen: 'session',
          session: { ...state.session, lastActivityAt: event.at },
          error: event.code,
        },
        effects: [{ type: 'signal', pattern: 'error' }],
      };

    case 'activity':
      if (state.screen === 'service')
        return stay({ ...state, session: { ...state.session, lastActivityAt: event.at } });
      if (state.screen !== 'session') return stay(state);
      return stay({ ...state, session: { ...state.session, lastActivityAt: event.at }, error: null });

    case 'startEnrol':
      if (state.screen !== 'service' || state.enrol?.state === 'enrolling') return stay(state);
      return stay({
        ...state,
        session: { ...state.session, lastActivityAt: event.at },
        enrol: { userId: event.userId, displayName: event.displayName, state: 'waiting', error: null },
      });

    case 'cancelEnrol':
      if (state.screen !== 'service' || state.enrol?.state === 'enrolling') return stay(state);
      return stay({ ...state, session: { ...state.session, lastActivityAt: event.at }, enrol: null });

    case 'enrolResult':
      if (state.screen !== 'service' || state.enrol?.state !== 'enrolling') return stay(state);
      return {
        state: {
          ...state,
          session: { ...state.session, lastActivityAt: event.at },
          enrol: { ...state.enrol, state: event.error ? 'failed' : 'enrolled', error: event.error },
        },
        effects: [{ type: 'signal', pattern: event.error ? 'error' : 'committed' }],
      };

    case 'endSession':
      if (state.screen === 'committing' || state.screen === 'idle') return stay(state);
      return { state: initialState, effects: [{ type: 'signal', pattern: 'ready' }] };

    case 'tick': {
      const deadline = nextDeadline(state, config);
      if (deadline === null || event.at < deadline) return stay(state);
      if (state.screen === 'identifying') return deny('SERVER_UNREACHABLE', event.at, config);
      return { state: initialState, effects: [{ type: 'signal', pattern: 'ready' }] };
    }
  }
  return stay(state);
}

function deny(code: ErrorCode, at: number, config: Config): Step {
  return {
    state: { screen: 'denied', code, until: at + config.deniedMs },
    effects: [{ type: 'signal', pattern: 'denied' }],
  };
}
