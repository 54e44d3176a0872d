/**
 * The kiosk core: carries out the session machine's effects (ask the server, commit to
 * the outbox, light the LEDs), keeps the catalog fresh, and serves the KioskApi that the
 * Electron IPC bridge and the web host's WebSocket bridge both expose to the UI.
 * Host-agnostic: no Electron, no HTTP server; every side effect comes in through deps.
 */
import type {
  CommandResult,
  Credential,
  EnrolTarget,
  ErrorCode,
  EventPayload,
  KioskApi,
  KioskEvent,
  KioskView,
  ReturnCondition,
  Role,
  TxAuth,
  TxKind,
} from '../../protocol/index.ts';
import { AppError, loanDueAt, policyDueAt, toIso, type CartRefusal } from '../../protocol/index.ts';
import { checkBorrowCart } from './cart-check.ts';
import { renewalOptions } from './renewal-check.ts';
import type { Signals } from '../../hardware/ports.ts';
import type { CatalogCache } from './catalog/catalog-cache.ts';
import { effectiveState } from './catalog/catalog-cache.ts';
import type { PhotoStore } from './catalog/photo-store.ts';
import type { ServerClock } from './clock/server-clock.ts';
import type { OfflineRoster, RosterMatch } from './identity/offline-roster.ts';
import type { RentalTokenVerifier } from './identity/rental-token.ts';
import type { NewRow, Outbox } from './outbox/outbox.ts';
import type { Logger, Scheduler, TimerHandle } from './ports.ts';
import type { ServerClient } from './server-client.ts';
import {
  initialState,
  nextDeadline,
  step,
  type Config,
  type Event,
  type Receipt,
  type State,
} from './session/machine.ts';
import type { SyncLoop } from './sync/sync-loop.ts';
import { storageFault } from './sqlite.ts';
import { buildView, withPending } from './view.ts';

/** Why an item on its own is not lendable (rather than a rule over the person's cart). */
const ITEM_BLOCKS: readonly ErrorCode[] = ['ITEM_UNAVAILABLE', 'ITEM_NEEDS_CHECK', 'ITEM_NOT_ALLOWED'];

/** An offline session has no rental token to expire; it gets this long at most. */
const OFFLINE_SESSION_MS = 5 * 60_000;

export type KioskCoreDeps = {
  client: Pick<ServerClient, 'tap' | 'catalog' | 'people' | 'enrolBadge'>;
  verifier: RentalTokenVerifier;
  roster: OfflineRoster;
  outbox: Outbox;
  catalog: CatalogCache;
  sync: SyncLoop;
  /** The server's time as best we know it; all session times use it. */
  clock: ServerClock;
  scheduler: Scheduler;
  signals: Signals;
  logger: Logger;
  machine: Config;
  simulator: boolean;
  /** Taps a badge on the simulated reader (dev only); null when there is none. */
  simulateTap: ((credential: Credential) => boolean) | null;
  /** Scans an item tag on the simulated reader (dev only). */
  simulateScan?: ((tag: string) => boolean) | null;
  /** The keyboard-wedge reader, fed the key presses the UI saw (null when there is none). */
  keyboard?: ((key: string, atMs: number) => void) | null;
  readers: () => KioskView['status']['readers'];
  /** Simulator only: badges offered as one-touch buttons on the idle screen. */
  simulatorBadges?: { label: string; credential: Credential }[];
  /** Whom to ask when a badge is refused (config helpContact). */
  helpContact?: string;
  catalogPollMs?: number;
  /** Item photo thumbnails (protocol 5), fetched after each catalog pull; none: no photos. */
  photos?: Pick<PhotoStore, 'has' | 'keep'> & { fetch(hash: string): Promise<Buffer> };
};

type Listeners = { [E in KioskEvent]: Set<(payload: EventPayload<E>) => void> };

export type KioskCore = ReturnType<typeof createKioskCore>;

export function createKioskCore(deps: KioskCoreDeps) {
  let state: State = initialState;
  let deadlineTimer: TimerHandle | null = null;
  let catalogTimer: TimerHandle | null = null;
  let stopped = false;
  const listeners: Listeners = { view: new Set(), scan: new Set() };
  const catalogPollMs = deps.catalogPollMs ?? 30_000;
  /** People an admin may enrol a badge to, fetched when service mode opens. */
  let people: { forToken: string | null; list: EnrolTarget[] } = { forToken: null, list: [] };
  /**
   * Each offline session's prover (it holds the badge's proof key), by the session's roster
   * auth: kept out of the machine's state, which views are built from, and gone with it.
   */
  const provers = new WeakMap<object, RosterMatch['prove']>();

  /** The first database failure seen; the kiosk stays out of service until it restarts. */
  let fault: string | null = null;
  const view = (): KioskView => {
    const v = buildView({ state, deps, now: deps.clock.now(), people: people.list, fault });
    if (!fault && v.status.storageFault) reportFault(v.status.storageFault);
    return v;
  };
  /** A periodic task or a read found the database damaged: out of service, and say so once. */
  function reportFault(detail: string) {
    if (fault) return;
    fault = detail;
    deps.logger.error({ fault: detail }, 'kiosk database failed: out of service until staff look at it');
    emit();
  }

  function emit() {
    if (listeners.view.size === 0) return;
    const v = view();
    for (const l of listeners.view) l(v);
  }

  async function loadPeople(token: string) {
    if (people.forToken === token) return;
    people = { forToken: token, list: [] };
    try {
      const res = await deps.client.people(token);
      if (people.forToken === token) people = { forToken: token, list: res.people };
      emit();
    } catch (err) {
      deps.logger.warn({ code: codeOf(err, 'SERVER_UNREACHABLE') }, 'could not list people for service mode');
    }
  }

  async function enrolBadge(credential: Credential, userId: string, token: string | null) {
    let error: ErrorCode | null = null;
    try {
      if (!token) throw new AppError('SERVER_UNREACHABLE', 'enrolment needs the server');
      await deps.client.enrolBadge({ token, userId, credential });
    } catch (err) {
      error = codeOf(err, 'SERVER_UNREACHABLE');
    }
    dispatch({ type: 'enrolResult', credential, error, at: deps.clock.now() });
  }

  function dispatch(event: Event) {
    const result = step(state, event, deps.machine);
    state = result.state;
    for (const effect of result.effects) {
      switch (effect.type) {
        case 'identify':
          void identify(effect.credential);
          break;
        case 'commit':
          commit(effect.kind, effect.itemIds, effect.note, effect.condition ?? null, effect.session);
          break;
        case 'enrolBadge':
          void enrolBadge(effect.credential, effect.userId, effect.session.token);
          break;
        case 'signal':
          deps.signals.show(effect.pattern);
          break;
      }
    }
    if (state.screen === 'service' && state.session.token) void loadPeople(state.session.token);
    armDeadline();
    emit();
  }

  function armDeadline() {
    deadlineTimer?.cancel();
    deadlineTimer = null;
    const deadline = nextDeadline(state, deps.machine);
    if (deadline === null || stopped) return;
    deadlineTimer = deps.scheduler.after(Math.max(0, deadline - deps.clock.now()), () => {
      deadlineTimer = null;
      dispatch({ type: 'tick', at: deps.clock.now() });
    });
  }

  async function identify(credential: Credential) {
    try {
      const res = await deps.client.tap(credential);
      serverReached();
      const { expiresAt } = await deps.verifier.verify(res.token, res.user.id);
      dispatch({
        type: 'identified',
        credential,
        at: deps.clock.now(),
        session: {
          credential,
          user: res.user,
          loans: res.loans,
          maxLoans: res.maxLoans,
          suspension: res.suspension ?? null,
          token: res.token,
          offlineAuth: null,
          offline: false,
          expiresAt,
        },
      });
    } catch (err) {
      const code = codeOf(err, 'SERVER_UNREACHABLE');
      if (code === 'SERVER_UNREACHABLE') deps.sync.reachable(false);
      if (code === 'SERVER_UNREACHABLE' && (await identifyOffline(credential))) return;
      if (!(err instanceof AppError)) deps.logger.error({ err }, 'badge tap failed unexpectedly');
      else deps.logger.info({ code }, 'badge not accepted');
      dispatch({ type: 'identifyFailed', credential, code, at: deps.clock.now() });
    }
  }

  /** The network is back: don't leave rows waiting out a backoff. */
  function serverReached() {
    deps.sync.reachable(true);
  }

  /** The server cannot be reached: the signed roster decides, with its own limits. */
  async function identifyOffline(credential: Credential): Promise<boolean> {
    const match = await deps.roster.lookup(credential);
    if (!match) return false;
    const now = deps.clock.now();
    const { entry, claims } = match;
    provers.set(match.auth, match.prove);
    deps.logger.info({ userId: entry.userId }, 'offline session from the roster');
    dispatch({
      type: 'identified',
      credential,
      at: now,
      session: {
        credential,
        user: { id: entry.userId, displayName: entry.displayName, role: entry.role },
        // Which loans they hold is unknown offline; only how many, as of the roster.
        loans: [],
        maxLoans: Math.max(0, Math.min(claims.maxLoans - entry.openLoans, claims.maxOfflineBorrows)),
        openLoans: entry.openLoans,
        token: null,
        offlineAuth: match.auth,
        offline: true,
        expiresAt: Math.min(match.expiresAt, now + OFFLINE_SESSION_MS),
      },
    });
    return true;
  }

  /**
   * This kiosk's rows are stamped in the order they were committed: the estimate of server
   * time may move back a few ms when a better sample arrives (or more when the clock is
   * stepped with no sample to correct it), and a return stamped before its borrow would be
   * placed before it on the item's timeline.
   */
  let lastStamp = -Infinity;
  const stamp = () => (lastStamp = Math.max(deps.clock.now(), lastStamp + 1));

  function commit(
    kind: TxKind,
    itemIds: string[],
    note: string | null,
    condition: ReturnCondition | null,
    session: Extract<State, { screen: 'session' }>['session'],
  ) {
    const at = stamp();
    try {
      const offline = session.token ? null : session.offlineAuth;
      const prove = offline ? provers.get(offline) : undefined;
      if (!session.token && !prove) throw new AppError('SESSION_REQUIRED', 'no rental token or roster proof');
      const clockTrusted = deps.clock.trusted();
      // A renewal's receipt shows the due date it gives, judged before its row is written.
      const renewedTo =
        kind === 'renew' ? new Map(renewalsNow(session).map((o) => [o.itemId, o.newDueAt])) : null;
      const rows: NewRow[] = itemIds.map((itemId) => {
        const fields = { kind, itemId, userId: session.user.id, occurredAt: at, clockTrusted };
        // Offline: each row signed on its own, so no row's proof can stand for another.
        const auth: TxAuth = session.token
          ? { kind: 'rental', token: session.token }
          : { ...offline!, ...prove!(fields) };
        return { ...fields, auth, note, condition };
      });
      // The durable commit: only after this returns may the screen say "done".
      const written = deps.outbox.append(rows);
      const receipt: Receipt = {
        kind,
        at,
        rowIds: written.map((r) => r.id),
        lines: itemIds.map((itemId) => {
          const item = deps.catalog.byId(itemId);
          return {
            itemId,
            itemName: item?.name ?? itemId,
            dueAt:
              kind === 'borrow' && item
                ? dueOf(item, at, session.user.role)
                : renewedTo?.get(itemId)
                  ? Date.parse(renewedTo.get(itemId)!)
                  : null,
          };
        }),
      };
      dispatch({ type: 'committed', receipt, at: deps.clock.now() });
      // Lockers open only now, after the commit: a relay never fires for an unrecorded loan.
      // A renewal moves nothing: no locker opens.
      for (const itemId of kind === 'renew' ? [] : itemIds) {
        const slot = deps.catalog.byId(itemId)?.lockerSlot;
        if (slot) deps.signals.pulseLocker?.(slot);
      }
      deps.sync.wake();
    } catch (err) {
      deps.logger.error({ err: (err as Error).message }, 'outbox commit failed');
      // A lost or damaged database also puts the kiosk out of service for the next person.
      noteFailure(err);
      dispatch({ type: 'commitFailed', code: codeOf(err, 'OUTBOX_WRITE_FAILED'), at: deps.clock.now() });
    }
  }

  /** Which of the session's loans may be renewed now, by the loans as this kiosk knows them. */
  function renewalsNow(session: Extract<State, { screen: 'session' }>['session']) {
    if (session.offline) return [];
    const catalog = deps.catalog.items();
    const waiting = deps.outbox.waiting().newestByItem;
    const policies = deps.catalog.policies();
    return renewalOptions({
      session,
      loans: withPending(session.loans, waiting, session.user.id, catalog, policies, session.user.role),
      item: (id) => deps.catalog.byId(id),
      itemNow: effectiveState(catalog, waiting),
      policies,
      now: deps.clock.now(),
    });
  }

  /** When a loan of `item` lent now is due: by the lending policies the catalog brought. */
  function dueOf(item: { category: string; loanDays: number }, at: number, role: Role): number {
    const policies = deps.catalog.policies();
    return policies ? policyDueAt(policies, at, item, role) : loanDueAt(at, item.loanDays);
  }

  /**
   * Check a cart against what this kiosk knows; the server judges again at sync. A borrow
   * some items of which may not go lists those items with the rule, so the rest can go.
   */
  function checkCart(kind: TxKind, itemIds: string[]): { code: ErrorCode; refused?: CartRefusal[] } | null {
    if (state.screen !== 'session') return { code: 'SESSION_REQUIRED' };
    const session = state.session;
    const catalog = deps.catalog.items();
    const waiting = deps.outbox.waiting().newestByItem;
    const now = effectiveState(catalog, waiting);
    if (kind === 'borrow') {
      const check = checkBorrowCart({
        itemIds,
        item: (id) => deps.catalog.byId(id),
        itemNow: now,
        session,
        loans: withPending(session.loans, waiting, session.user.id, catalog),
        policies: deps.catalog.policies(),
        now: deps.clock.now(),
      });
      if (check.unknown) return { code: 'ITEM_UNKNOWN' };
      if (check.refused.length === 0) return null;
      const code = check.refused[0]!.code;
      // The list is for a cart the rest of which may still go, or for a rule with numbers to
      // show; a cart whose every item is simply not lendable is answered by its code, as ever.
      const partial = check.refused.length < itemIds.length;
      const ruled = check.refused.some((r) => !ITEM_BLOCKS.includes(r.code));
      return partial || ruled ? { code, refused: check.refused } : { code };
    }
    if (kind === 'renew') {
      // Each loan judged by the renewal rule; refused ones are listed with it, the rest may go.
      const options = new Map(renewalsNow(session).map((o) => [o.itemId, o]));
      const refused: CartRefusal[] = [];
      for (const id of itemIds) {
        const option = options.get(id);
        if (!option) refused.push({ itemId: id, code: 'ITEM_NOT_ON_LOAN' });
        else if (option.refusal) refused.push({ itemId: id, ...option.refusal });
      }
      return refused.length === 0 ? null : { code: refused[0]!.code, refused };
    }
    for (const id of itemIds) {
      const item = deps.catalog.byId(id);
      const state = now.get(id);
      if (!item || item.retired || !state) return { code: 'ITEM_UNKNOWN' };
      if (!state.onLoan) return { code: 'ITEM_NOT_ON_LOAN' };
    }
    return null;
  }

  function request(
    kind: TxKind,
    itemIds: string[],
    note: string | null,
    condition: ReturnCondition | null = null,
  ): CommandResult {
    // Out of service: nothing is recorded into a database that failed.
    if (fault) return { ok: false, code: 'OUTBOX_WRITE_FAILED' };
    let problem: ReturnType<typeof checkCart>;
    try {
      problem = checkCart(kind, itemIds);
    } catch (err) {
      if (noteFailure(err)) return { ok: false, code: 'OUTBOX_WRITE_FAILED' };
      throw err;
    }
    if (problem) return { ok: false, ...problem };
    dispatch({
      type: 'commit',
      kind,
      itemIds,
      note,
      ...(condition ? { condition } : {}),
      at: deps.clock.now(),
    });
    return state.screen === 'session' && state.error ? { ok: false, code: state.error } : { ok: true };
  }

  // One pull at a time: a pull's pages wait in one staging table, so a second pull (the poller
  // and a sync's onDelivered at once) waits for the first and then pulls what is left.
  let pulling: Promise<void> = Promise.resolve();
  function pullCatalog(): Promise<void> {
    pulling = pulling.then(pullCatalogOnce, pullCatalogOnce);
    return pulling;
  }

  async function pullCatalogOnce() {
    void deps.roster.refresh().catch((err: unknown) => {
      deps.logger.debug({ code: codeOf(err, 'SERVER_UNREACHABLE') }, 'roster refresh failed');
    });
    try {
      let cursor = deps.catalog.cursor();
      // A pull left unfinished (server gone, kiosk restarted) goes on from its next page.
      let page = deps.catalog.pendingPage();
      let restarted = false;
      for (let round = 0, answers = 0; round < 20 && answers < 10_000; answers++) {
        let res;
        try {
          res = await deps.client.catalog(cursor, page ?? undefined);
        } catch (err) {
          // A page token the server no longer takes (it restarted, or was restored from a
          // backup): the pull starts again from the catalog the kiosk has, once.
          if (page === null || restarted || codeOf(err, 'SERVER_UNREACHABLE') !== 'BAD_REQUEST') throw err;
          deps.catalog.dropPull();
          page = null;
          restarted = true;
          continue;
        }
        if (!deps.catalog.applyPage(res, page === null)) {
          page = res.next ?? null;
          continue;
        }
        page = null;
        round++;
        if (res.items.length === 0 || res.cursor === cursor) break;
        cursor = res.cursor;
      }
      serverReached();
      emit();
    } catch (err) {
      if (noteFailure(err)) return;
      const code = codeOf(err, 'SERVER_UNREACHABLE');
      if (code === 'SERVER_UNREACHABLE') deps.sync.reachable(false);
      emit();
      deps.logger.debug({ code }, 'catalog pull failed');
      return;
    }
    await pullPhotos();
  }

  /** Thumbnails of the catalog's photos: the list shows each once it is here. */
  async function pullPhotos() {
    const photos = deps.photos;
    if (!photos) return;
    try {
      if (await photos.keep(deps.catalog.photoHashes(), (hash) => photos.fetch(hash))) emit();
    } catch (err) {
      if (noteFailure(err)) return;
      deps.logger.warn({ err: (err as Error).message }, 'photo thumbnails not kept');
    }
  }

  /** For periodic tasks: true when `err` was the database failing (now out of service). */
  function noteFailure(err: unknown): boolean {
    const detail = storageFault(err);
    if (detail) reportFault(detail);
    return detail !== null;
  }

  function scheduleCatalog() {
    catalogTimer?.cancel();
    if (stopped) return;
    catalogTimer = deps.scheduler.after(catalogPollMs, () => {
      void pullCatalog().finally(scheduleCatalog);
    });
  }

  const api: KioskApi = {
    getView: async () => view(),
    borrow: async ({ itemIds }) => request('borrow', itemIds, null),
    returnItems: async ({ itemIds, note, condition }) =>
      request('return', itemIds, note?.trim() ? note.trim() : null, condition ?? null),
    renew: async ({ itemIds }) => request('renew', itemIds, null),
    endSession: async () => {
      dispatch({ type: 'endSession', at: deps.clock.now() });
      return { ok: true };
    },
    activity: async () => {
      dispatch({ type: 'activity', at: deps.clock.now() });
      return { ok: true };
    },
    simulateTap: async ({ credential }) => {
      if (!deps.simulator || !deps.simulateTap) return { ok: false, code: 'FORBIDDEN' };
      return deps.simulateTap(credential) ? { ok: true } : { ok: false, code: 'BAD_REQUEST' };
    },
    simulateScan: async ({ tag }) => {
      if (!deps.simulator) return { ok: false, code: 'FORBIDDEN' };
      if (state.screen !== 'session') return { ok: false, code: 'SESSION_REQUIRED' };
      // Through the simulated reader and the hub, like a real scanner; else straight in.
      if (deps.simulateScan)
        return deps.simulateScan(tag) ? { ok: true } : { ok: false, code: 'BAD_REQUEST' };
      return scan(tag) ? { ok: true } : { ok: false, code: 'SESSION_REQUIRED' };
    },
    keyboardInput: async ({ keys }) => {
      if (!deps.keyboard) return { ok: false, code: 'FORBIDDEN' };
      for (const k of keys) deps.keyboard(k.key, k.at);
      return { ok: true };
    },
    forceSync: async () => {
      if (state.screen !== 'service') return { ok: false, code: 'FORBIDDEN' };
      deps.sync.wake();
      emit();
      return { ok: true };
    },
    startEnrol: async ({ userId }) => {
      if (state.screen !== 'service') return { ok: false, code: 'FORBIDDEN' };
      const person = people.list.find((p) => p.id === userId);
      if (!person) return { ok: false, code: 'USER_UNKNOWN' };
      dispatch({ type: 'startEnrol', userId, displayName: person.displayName, at: deps.clock.now() });
      return { ok: true };
    },
    cancelEnrol: async () => {
      if (state.screen !== 'service') return { ok: false, code: 'FORBIDDEN' };
      dispatch({ type: 'cancelEnrol', at: deps.clock.now() });
      return { ok: true };
    },
    on(event, listener) {
      const set = listeners[event] as Set<typeof listener>;
      set.add(listener);
      return () => void set.delete(listener);
    },
  };

  /** An item tag from a scanner: offered to the UI during a session, never taken as a badge. */
  function scan(tag: string): boolean {
    if (state.screen !== 'session') return false;
    const item = deps.catalog.byTag(tag);
    const payload = { tag: tag.trim(), itemId: item?.id ?? null, at: toIso(deps.clock.now()) };
    for (const l of listeners.scan) l(payload);
    dispatch({ type: 'activity', at: deps.clock.now() });
    return true;
  }

  return {
    async start() {
      stopped = false;
      await pullCatalog();
      scheduleCatalog();
      deps.sync.start();
    },
    async stop() {
      stopped = true;
      deadlineTimer?.cancel();
      catalogTimer?.cancel();
      await deps.sync.stop();
    },
    /** A badge from the hub (already normalized and de-duplicated). */
    badge(credential: Credential) {
      dispatch({ type: 'badge', credential, at: deps.clock.now() });
    },
    /** An item tag read by a scanner. */
    scan,
    /** Something changed outside the machine (sync status, readers): redraw. */
    refresh: emit,
    noteFailure,
    pullCatalog,
    state: () => state,
    api,
  };
}

function codeOf(err: unknown, fallback: ErrorCode): ErrorCode {
  return err instanceof AppError ? err.code : fallback;
}
