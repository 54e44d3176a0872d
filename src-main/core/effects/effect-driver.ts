/**
 * Carries out the session machine's effects and answers each with an event: ask the server
 * who holds a badge, judge and commit a cart, enrol a badge, list the people for service
 * mode, light the LEDs. The machine decides; this only does. A new effect is one case here
 * and, when it takes more than a few lines, a module of its own beside this one.
 */
import { AppError, type Credential, type ErrorCode } from '../../../protocol/index.ts';
import type { Signals } from '../../../hardware/ports.ts';
import type { CatalogCache } from '../catalog/catalog-cache.ts';
import type { RosterMatch } from '../identity/offline-roster.ts';
import type { ServerClient } from '../server-client.ts';
import type { Effect, Event } from '../session/machine.ts';
import type { SyncLoop } from '../sync/sync-loop.ts';
import type { CartChecker } from './check-cart.ts';
import { codeOf } from './code-of.ts';
import type { createOutboxCommitter } from './commit-to-outbox.ts';
import { identifyBadge, type IdentifyDeps } from './identify-badge.ts';

export type EffectDriverDeps = IdentifyDeps & {
  client: Pick<ServerClient, 'tap' | 'people' | 'enrolBadge'>;
  catalog: Pick<CatalogCache, 'byId'>;
  sync: Pick<SyncLoop, 'reachable' | 'wake'>;
  signals: Signals;
  checker: CartChecker;
  commit: ReturnType<typeof createOutboxCommitter>;
  /** True when `err` was the database failing (the kiosk is now out of service). */
  noteFailure(err: unknown): boolean;
  dispatch(event: Event): void;
  /** Changes made inside `fn` reach the UI as one view. */
  batch(fn: () => void): void;
};

export function createEffectDriver(deps: EffectDriverDeps) {
  const { dispatch, clock, logger } = deps;
  /**
   * Each offline session's prover (it holds the badge's proof key), by the session's roster
   * auth: kept out of the machine's state, which views are built from, and gone with it.
   */
  const provers = new WeakMap<object, RosterMatch['prove']>();

  async function identify(credential: Credential) {
    const { event, reached, offline } = await identifyBadge(deps, credential);
    if (offline) provers.set(offline.auth, offline.prove);
    // The server's answer and the online flag it sets reach the screen as one view.
    deps.batch(() => {
      if (reached !== null) deps.sync.reachable(reached);
      dispatch(event);
    });
  }

  function checkCart(effect: Extract<Effect, { type: 'checkCart' }>) {
    let problem;
    try {
      problem = deps.checker.check(effect.cart.kind, effect.cart.itemIds, effect.session);
    } catch (err) {
      // A damaged database: nothing is recorded into it (the kiosk is now out of service).
      if (!deps.noteFailure(err)) throw err;
      problem = { code: 'OUTBOX_WRITE_FAILED' as const };
    }
    dispatch({ type: 'cartChecked', cart: effect.cart, problem, at: clock.now() });
  }

  function commit(effect: Extract<Effect, { type: 'commit' }>) {
    try {
      const offline = effect.session.token ? null : effect.session.offlineAuth;
      const receipt = deps.commit(effect, offline ? provers.get(offline) : undefined);
      dispatch({ type: 'committed', receipt, at: clock.now() });
      // Lockers open only now, after the commit: a relay never fires for an unrecorded loan.
      // A renewal moves nothing: no locker opens.
      for (const itemId of effect.kind === 'renew' ? [] : effect.itemIds) {
        const slot = deps.catalog.byId(itemId)?.lockerSlot;
        if (slot) deps.signals.pulseLocker?.(slot);
      }
      deps.sync.wake();
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'outbox commit failed');
      // A lost or damaged database also puts the kiosk out of service for the next person.
      deps.noteFailure(err);
      dispatch({ type: 'commitFailed', code: codeOf(err, 'OUTBOX_WRITE_FAILED'), at: clock.now() });
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
    dispatch({ type: 'enrolResult', credential, error, at: clock.now() });
  }

  async function loadPeople(token: string) {
    try {
      const res = await deps.client.people(token);
      dispatch({ type: 'peopleLoaded', token, people: res.people, at: clock.now() });
    } catch (err) {
      logger.warn({ code: codeOf(err, 'SERVER_UNREACHABLE') }, 'could not list people for service mode');
    }
  }

  return function run(effect: Effect) {
    switch (effect.type) {
      case 'identify':
        void identify(effect.credential);
        break;
      case 'checkCart':
        checkCart(effect);
        break;
      case 'commit':
        commit(effect);
        break;
      case 'enrolBadge':
        void enrolBadge(effect.credential, effect.userId, effect.session.token);
        break;
      case 'loadPeople':
        void loadPeople(effect.token);
        break;
      case 'signal':
        deps.signals.show(effect.pattern);
        break;
    }
  };
}
