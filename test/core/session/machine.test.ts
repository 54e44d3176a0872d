/** The session state machine, pure: every transition, no I/O, time passed in by hand. */
import { describe, expect, it } from 'vitest';
import {
  initialState,
  nextDeadline,
  step,
  type Config,
  type Event,
  type Session,
  type State,
} from '../../../src-main/core/session/machine.ts';

const config: Config = { inactivityMs: 60_000, receiptMs: 6_000, deniedMs: 4_000, identifyTimeoutMs: 8_000 };
const A = 'nfc:04a1b2c3d4e5f6';
const B = 'nfc:04112233445566';

const session = (over: Partial<Session> = {}): Session => ({
  credential: A,
  user: { id: 'u1', displayName: '김민준', role: 'member' },
  loans: [],
  maxLoans: 5,
  token: 'x.y.z',
  offlineAuth: null,
  offline: false,
  expiresAt: 120_000,
  lastActivityAt: 0,
  ...over,
});
const inSession = (over: Partial<Session> = {}): State => ({
  screen: 'session',
  session: session(over),
  error: null,
});
const run = (state: State, ...events: Event[]) =>
  events.reduce((acc, e) => step(acc.state, e, config), {
    state,
    effects: [] as ReturnType<typeof step>['effects'],
  });

describe('idle', () => {
  it('a badge starts identification and asks for it', () => {
    const r = step(initialState, { type: 'badge', credential: A, at: 10 }, config);
    expect(r.state).toEqual({ screen: 'identifying', credential: A, since: 10 });
    expect(r.effects).toEqual([{ type: 'identify', credential: A }]);
  });
  it('has no deadline and ignores ticks, activity and commits', () => {
    expect(nextDeadline(initialState, config)).toBeNull();
    for (const e of [
      { type: 'tick', at: 1e9 },
      { type: 'activity', at: 1 },
      { type: 'commit', kind: 'borrow', itemIds: ['i'], at: 1 },
      { type: 'endSession', at: 1 },
    ] as Event[])
      expect(step(initialState, e, config)).toEqual({ state: initialState, effects: [] });
  });
});

describe('identifying', () => {
  const identifying: State = { screen: 'identifying', credential: A, since: 0 };
  const { lastActivityAt: _, ...s } = session();
  it('enters the session when the server identifies the badge', () => {
    const r = step(identifying, { type: 'identified', credential: A, session: s, at: 50 }, config);
    expect(r.state).toEqual({ screen: 'session', session: { ...s, lastActivityAt: 50 }, error: null });
    expect(r.effects).toEqual([{ type: 'signal', pattern: 'accepted' }]);
  });
  it('ignores an answer for another badge (a stale request)', () => {
    expect(step(identifying, { type: 'identified', credential: B, session: s, at: 50 }, config).state).toBe(
      identifying,
    );
    expect(
      step(identifying, { type: 'identifyFailed', credential: B, code: 'BADGE_DENIED', at: 5 }, config).state,
    ).toBe(identifying);
  });
  it('is denied with the code when the server refuses', () => {
    const r = step(
      identifying,
      { type: 'identifyFailed', credential: A, code: 'BADGE_DENIED', at: 5 },
      config,
    );
    expect(r.state).toEqual({ screen: 'denied', code: 'BADGE_DENIED', until: 4_005 });
    expect(r.effects).toEqual([{ type: 'signal', pattern: 'denied' }]);
  });
  it('ignores further badges while waiting', () => {
    expect(step(identifying, { type: 'badge', credential: B, at: 5 }, config).state).toBe(identifying);
  });
  it('gives up when the server does not answer in time', () => {
    expect(nextDeadline(identifying, config)).toBe(8_000);
    expect(step(identifying, { type: 'tick', at: 7_999 }, config).state).toBe(identifying);
    expect(step(identifying, { type: 'tick', at: 8_000 }, config).state).toEqual({
      screen: 'denied',
      code: 'SERVER_UNREACHABLE',
      until: 12_000,
    });
  });
});

describe('session', () => {
  it('the same badge again counts as activity', () => {
    const r = step(inSession(), { type: 'badge', credential: A, at: 30_000 }, config);
    expect(r.state).toEqual(inSession({ lastActivityAt: 30_000 }));
    expect(r.effects).toEqual([]);
  });
  it('another badge ends this session and identifies the next person', () => {
    const r = step(inSession(), { type: 'badge', credential: B, at: 30 }, config);
    expect(r.state).toEqual({ screen: 'identifying', credential: B, since: 30 });
    expect(r.effects).toEqual([{ type: 'identify', credential: B }]);
  });
  it('activity postpones the inactivity deadline and clears an error', () => {
    const withError: State = { ...inSession(), error: 'OUTBOX_WRITE_FAILED' } as State;
    const r = step(withError, { type: 'activity', at: 20_000 }, config);
    expect(r.state).toEqual(inSession({ lastActivityAt: 20_000 }));
    expect(nextDeadline(r.state, config)).toBe(80_000);
  });
  it('ends after inactivity', () => {
    expect(nextDeadline(inSession(), config)).toBe(60_000);
    expect(step(inSession(), { type: 'tick', at: 59_999 }, config).state.screen).toBe('session');
    const r = step(inSession(), { type: 'tick', at: 60_000 }, config);
    expect(r.state).toEqual(initialState);
    expect(r.effects).toEqual([{ type: 'signal', pattern: 'ready' }]);
  });
  it('ends when the rental token expires, even with activity', () => {
    const s = inSession({ lastActivityAt: 100_000 });
    expect(nextDeadline(s, config)).toBe(120_000);
    expect(step(s, { type: 'tick', at: 120_000 }, config).state).toEqual(initialState);
  });
  const cart = { kind: 'borrow' as const, itemIds: ['i1', 'i2'] };
  it('a confirmed cart is checked by the cart rule first, the screen unchanged', () => {
    const r = step(inSession(), { type: 'commit', ...cart, at: 5 }, config);
    expect(r.state).toEqual({ ...inSession(), refusal: null });
    expect(r.effects).toEqual([{ type: 'checkCart', cart, session: session() }]);
  });
  it('a cart the rule lets go goes to committing with a commit effect', () => {
    const r = step(inSession(), { type: 'cartChecked', cart, problem: null, at: 6 }, config);
    expect(r.state).toEqual({ screen: 'committing', session: session(), kind: 'borrow' });
    expect(r.effects).toEqual([
      { type: 'commit', kind: 'borrow', itemIds: ['i1', 'i2'], session: session() },
    ]);
  });
  it("a return keeps each item's report through the check", () => {
    const ret = {
      kind: 'return' as const,
      itemIds: ['i1', 'i2'],
      reports: [
        {
          itemId: 'i1',
          condition: 'incomplete' as const,
          missingParts: ['lens cap'],
          note: 'lens cap missing',
        },
      ],
    };
    const checked = run(
      inSession(),
      { type: 'commit', ...ret, at: 5 },
      { type: 'cartChecked', cart: ret, problem: null, at: 5 },
    );
    expect(checked.effects).toEqual([{ type: 'commit', ...ret, session: session() }]);
  });
  it('a cart the rule refuses commits nothing: the refusal is kept for the answer, no error shown', () => {
    const problem = {
      code: 'LOAN_LIMIT_REACHED' as const,
      refused: [{ itemId: 'i2', code: 'LOAN_LIMIT_REACHED' as const, limit: 1, have: 0, canTake: 1 }],
    };
    const r = run(
      inSession(),
      { type: 'commit', ...cart, at: 5 },
      { type: 'cartChecked', cart, problem, at: 5 },
    );
    expect(r.state).toEqual({ ...inSession(), refusal: problem });
    expect(r.effects).toEqual([]);
    // The next cart starts without it.
    expect(step(r.state, { type: 'commit', ...cart, at: 7 }, config).state).toEqual({
      ...inSession(),
      refusal: null,
    });
  });
  it('a check answered after the session ended is ignored', () => {
    expect(step(initialState, { type: 'cartChecked', cart, problem: null, at: 6 }, config)).toEqual({
      state: initialState,
      effects: [],
    });
  });
  it('an empty cart does nothing', () => {
    expect(step(inSession(), { type: 'commit', kind: 'return', itemIds: [], at: 5 }, config).effects).toEqual(
      [],
    );
  });
  it('ends on request', () => {
    expect(step(inSession(), { type: 'endSession', at: 5 }, config).state).toEqual(initialState);
  });
});

describe('committing', () => {
  const committing: State = { screen: 'committing', session: session(), kind: 'borrow' };
  const receipt = { kind: 'borrow' as const, lines: [], at: 7, rowIds: ['r1'] };
  it('shows the receipt only once the commit returned', () => {
    const r = step(committing, { type: 'committed', receipt, at: 7 }, config);
    expect(r.state).toEqual({ screen: 'receipt', receipt, until: 6_007 });
    expect(r.effects).toEqual([{ type: 'signal', pattern: 'committed' }]);
  });
  it('returns to the session with the error when the commit failed', () => {
    const r = step(committing, { type: 'commitFailed', code: 'OUTBOX_WRITE_FAILED', at: 9 }, config);
    expect(r.state).toEqual({
      screen: 'session',
      session: session({ lastActivityAt: 9 }),
      error: 'OUTBOX_WRITE_FAILED',
    });
    expect(r.effects).toEqual([{ type: 'signal', pattern: 'error' }]);
  });
  it('cannot be interrupted by a badge, a timer or end-session', () => {
    for (const e of [
      { type: 'badge', credential: B, at: 1 },
      { type: 'tick', at: 1e12 },
      { type: 'endSession', at: 1 },
    ] as Event[])
      expect(step(committing, e, config).state).toBe(committing);
    expect(nextDeadline(committing, config)).toBeNull();
  });
});

describe('receipt and denied', () => {
  const receipt: State = {
    screen: 'receipt',
    receipt: { kind: 'return', lines: [], at: 0, rowIds: [] },
    until: 6_000,
  };
  const denied: State = { screen: 'denied', code: 'BADGE_DENIED', until: 4_000 };
  it('go back to idle when their time is up', () => {
    expect(step(receipt, { type: 'tick', at: 5_999 }, config).state).toBe(receipt);
    expect(step(receipt, { type: 'tick', at: 6_000 }, config).state).toEqual(initialState);
    expect(step(denied, { type: 'tick', at: 4_000 }, config).state).toEqual(initialState);
  });
  it('a badge starts the next identification at once', () => {
    expect(step(receipt, { type: 'badge', credential: B, at: 1 }, config).state.screen).toBe('identifying');
    expect(step(denied, { type: 'badge', credential: A, at: 1 }, config).state.screen).toBe('identifying');
  });
  it('end-session dismisses them', () => {
    expect(step(receipt, { type: 'endSession', at: 1 }, config).state).toEqual(initialState);
  });
  it('ignore late commit results', () => {
    expect(step(receipt, { type: 'committed', receipt: receipt.receipt, at: 1 }, config).state).toBe(receipt);
    expect(step(denied, { type: 'commitFailed', code: 'INTERNAL', at: 1 }, config).state).toBe(denied);
  });
});

it('a whole visit: tap, borrow, receipt, idle', () => {
  const { lastActivityAt: _, ...s } = session();
  const r = run(
    initialState,
    { type: 'badge', credential: A, at: 0 },
    { type: 'identified', credential: A, session: s, at: 100 },
    { type: 'commit', kind: 'borrow', itemIds: ['i1'], at: 5_000 },
    { type: 'cartChecked', cart: { kind: 'borrow', itemIds: ['i1'] }, problem: null, at: 5_000 },
    { type: 'committed', receipt: { kind: 'borrow', lines: [], at: 5_010, rowIds: ['r'] }, at: 5_010 },
    { type: 'tick', at: 11_010 },
  );
  expect(r.state).toEqual(initialState);
});

describe('service mode', () => {
  const { lastActivityAt: _, ...adminSession } = session({
    user: { id: 'a1', displayName: '관리자', role: 'admin' },
  });
  const service: State = {
    screen: 'service',
    session: { ...adminSession, lastActivityAt: 0 },
    enrol: null,
    people: [],
  };
  const waiting = step(
    service,
    { type: 'startEnrol', userId: 'u9', displayName: '최유나', at: 10 },
    config,
  ).state;

  it('an admin badge opens service mode instead of a session', () => {
    const r = step(
      { screen: 'identifying', credential: A, since: 0 },
      { type: 'identified', credential: A, session: adminSession, at: 5 },
      config,
    );
    expect(r.state).toEqual({
      screen: 'service',
      session: { ...adminSession, lastActivityAt: 5 },
      enrol: null,
      people: [],
    });
    // The people to enrol a badge to are asked for with the admin's token.
    expect(r.effects).toEqual([
      { type: 'signal', pattern: 'accepted' },
      { type: 'loadPeople', token: 'x.y.z' },
    ]);
  });
  it('an offline admin (no token) asks for no people', () => {
    const r = step(
      { screen: 'identifying', credential: A, since: 0 },
      { type: 'identified', credential: A, session: { ...adminSession, token: null, offline: true }, at: 5 },
      config,
    );
    expect(r.effects).toEqual([{ type: 'signal', pattern: 'accepted' }]);
  });
  it("the people list arrives for this admin's session only", () => {
    const people = [{ id: 'u9', displayName: '최유나' }];
    expect(step(service, { type: 'peopleLoaded', token: 'x.y.z', people, at: 3 }, config).state).toEqual({
      ...service,
      people,
    });
    expect(step(service, { type: 'peopleLoaded', token: 'other', people, at: 3 }, config).state).toBe(
      service,
    );
    expect(step(inSession(), { type: 'peopleLoaded', token: 'x.y.z', people, at: 3 }, config).state).toEqual(
      inSession(),
    );
  });
  it('start and cancel enrolment', () => {
    expect(waiting).toMatchObject({ enrol: { userId: 'u9', state: 'waiting', error: null } });
    expect(step(waiting, { type: 'cancelEnrol', at: 11 }, config).state).toMatchObject({ enrol: null });
  });
  it('while waiting, the next badge is enrolled, not logged in', () => {
    const r = step(waiting, { type: 'badge', credential: B, at: 20 }, config);
    expect(r.state).toMatchObject({ screen: 'service', enrol: { state: 'enrolling' } });
    expect(r.effects).toEqual([
      {
        type: 'enrolBadge',
        credential: B,
        userId: 'u9',
        session: expect.objectContaining({ lastActivityAt: 20 }),
      },
    ]);
    const ok = step(r.state, { type: 'enrolResult', credential: B, error: null, at: 30 }, config);
    expect(ok.state).toMatchObject({ enrol: { state: 'enrolled', error: null } });
    const failed = step(
      r.state,
      { type: 'enrolResult', credential: B, error: 'BADGE_ALREADY_ENROLLED', at: 30 },
      config,
    );
    expect(failed.state).toMatchObject({ enrol: { state: 'failed', error: 'BADGE_ALREADY_ENROLLED' } });
  });
  it('without an enrolment, another badge is another person', () => {
    expect(step(service, { type: 'badge', credential: B, at: 1 }, config).state.screen).toBe('identifying');
    expect(step(service, { type: 'badge', credential: A, at: 1 }, config).state.screen).toBe('service');
  });
  it('ends on inactivity and on request; ignores enrolment outside service mode', () => {
    expect(step(service, { type: 'tick', at: 60_000 }, config).state).toEqual(initialState);
    expect(step(service, { type: 'activity', at: 50_000 }, config).state).toMatchObject({
      session: { lastActivityAt: 50_000 },
    });
    expect(step(service, { type: 'endSession', at: 1 }, config).state).toEqual(initialState);
    expect(
      step(inSession(), { type: 'startEnrol', userId: 'u', displayName: 'x', at: 1 }, config).state,
    ).toEqual(inSession());
  });
});
