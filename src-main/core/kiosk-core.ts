/**
 * The kiosk core, put together: the session machine's state and its one dispatch loop, the
 * deadline timer, and the parts that do the work, each in its own file:
 *   effects/effect-driver.ts     carries out the machine's effects (identify, checkCart,
 *                                commit, enrolBadge, loadPeople, signal)
 *   catalog/catalog-poller.ts    keeps the catalog, roster and photos fresh
 *   kiosk-api-facade.ts          the KioskApi the UI calls
 *   view-publisher.ts            the UI's events; one view per batch of changes
 *   out-of-service.ts            the first database fault, kept
 * Host-agnostic: no Electron, no HTTP server; every side effect comes in through deps.
 */
import type { Credential, KioskView } from '../../protocol/index.ts';
import { toIso } from '../../protocol/index.ts';
import type { Signals } from '../../hardware/ports.ts';
import type { CatalogCache } from './catalog/catalog-cache.ts';
import { createCatalogPoller, type CatalogPollerDeps } from './catalog/catalog-poller.ts';
import type { ServerClock } from './clock/server-clock.ts';
import { createCartChecker } from './effects/check-cart.ts';
import { createOutboxCommitter } from './effects/commit-to-outbox.ts';
import { createEffectDriver } from './effects/effect-driver.ts';
import type { OfflineRoster } from './identity/offline-roster.ts';
import type { RentalTokenVerifier } from './identity/rental-token.ts';
import { createKioskApiFacade } from './kiosk-api-facade.ts';
import { createOutOfService } from './out-of-service.ts';
import type { Outbox } from './outbox/outbox.ts';
import type { Logger, Scheduler, TimerHandle } from './ports.ts';
import type { ServerClient } from './server-client.ts';
import { initialState, nextDeadline, step, type Config, type Event, type State } from './session/machine.ts';
import type { SyncLoop } from './sync/sync-loop.ts';
import { buildView } from './view.ts';
import { createViewPublisher } from './view-publisher.ts';

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
  photos?: CatalogPollerDeps['photos'];
};

export type KioskCore = ReturnType<typeof createKioskCore>;

export function createKioskCore(deps: KioskCoreDeps) {
  let state: State = initialState;
  let deadlineTimer: TimerHandle | null = null;
  let stopped = false;

  const view = (): KioskView => {
    const v = buildView({ state, deps, now: deps.clock.now(), fault: outOfService.fault() });
    // This read found the database failing: the view says so already; keep the fault.
    if (v.status.storageFault) outOfService.latch(v.status.storageFault);
    return v;
  };
  const publisher = createViewPublisher(view);
  const outOfService = createOutOfService({ logger: deps.logger, onFault: publisher.changed });

  const checker = createCartChecker(deps);
  const run = createEffectDriver({
    ...deps,
    checker,
    commit: createOutboxCommitter({ ...deps, renewalsNow: checker.renewalsNow }),
    noteFailure: outOfService.noteFailure,
    dispatch,
    batch: publisher.batch,
  });

  /** One event through the machine; the effects it sets off answer with theirs, in one view. */
  function dispatch(event: Event) {
    publisher.batch(() => {
      const result = step(state, event, deps.machine);
      state = result.state;
      for (const effect of result.effects) run(effect);
      armDeadline();
      publisher.changed();
    });
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

  const poller = createCatalogPoller({
    ...deps,
    pollMs: deps.catalogPollMs ?? 30_000,
    pulled: (reached) =>
      publisher.batch(() => {
        if (reached !== null) deps.sync.reachable(reached);
        publisher.changed();
      }),
    noteFailure: outOfService.noteFailure,
  });

  /** An item tag from a scanner: offered to the UI during a session, never taken as a badge. */
  function scan(tag: string): boolean {
    if (state.screen !== 'session') return false;
    const item = deps.catalog.byTag(tag);
    publisher.scan({ tag: tag.trim(), itemId: item?.id ?? null, at: toIso(deps.clock.now()) });
    dispatch({ type: 'activity', at: deps.clock.now() });
    return true;
  }

  const api = createKioskApiFacade({
    ...deps,
    state: () => state,
    dispatch,
    now: () => deps.clock.now(),
    view,
    on: publisher.on,
    outOfService: () => outOfService.fault() !== null,
    syncNow: () =>
      publisher.batch(() => {
        deps.sync.wake();
        publisher.changed();
      }),
    scan,
  });

  return {
    async start() {
      stopped = false;
      await poller.start();
      deps.sync.start();
    },
    async stop() {
      stopped = true;
      deadlineTimer?.cancel();
      poller.stop();
      await deps.sync.stop();
    },
    /** A badge from the hub (already normalized and de-duplicated). */
    badge(credential: Credential) {
      dispatch({ type: 'badge', credential, at: deps.clock.now() });
    },
    /** An item tag read by a scanner. */
    scan,
    /** Something changed outside the machine (sync status, readers): redraw. */
    refresh: () => publisher.changed(),
    noteFailure: outOfService.noteFailure,
    pullCatalog: poller.pull,
    state: () => state,
    api,
  };
}
