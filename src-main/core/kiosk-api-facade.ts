/**
 * The KioskApi the UI calls (through the Electron IPC bridge or the web host's WebSocket,
 * both bound by api-dispatch.ts): each command becomes a machine event, or a question to the
 * machine's state, and is answered from the state the event left. No rule lives here: the
 * cart rule is the machine's `checkCart` effect, the people list the machine's own.
 */
import {
  returnReport,
  type CommandResult,
  type Credential,
  type KioskApi,
  type KioskView,
  type ReturnItemReport,
  type TxKind,
} from '../../protocol/index.ts';
import type { Event, ItemReport, State } from './session/machine.ts';

export type KioskApiFacadeDeps = {
  state(): State;
  dispatch(event: Event): void;
  now(): number;
  view(): KioskView;
  on: KioskApi['on'];
  /** The database failed earlier: nothing more is recorded into it. */
  outOfService(): boolean;
  /** Sync now (service mode's button); the view shows it running. */
  syncNow(): void;
  /** An item tag, offered to the UI during a session; false outside one. */
  scan(tag: string): boolean;
  simulator: boolean;
  /** Taps a badge on the simulated reader (dev only); null when there is none. */
  simulateTap: ((credential: Credential) => boolean) | null;
  /** Scans an item tag on the simulated reader (dev only). */
  simulateScan?: ((tag: string) => boolean) | null;
  /** The keyboard-wedge reader, fed the key presses the UI saw (null when there is none). */
  keyboard?: ((key: string, atMs: number) => void) | null;
};

const ok: CommandResult = { ok: true };

export function createKioskApiFacade(deps: KioskApiFacadeDeps): KioskApi {
  const { state, dispatch, now } = deps;

  function request(kind: TxKind, itemIds: string[], reports: ItemReport[] = []): CommandResult {
    // Out of service: nothing is recorded into a database that failed.
    if (deps.outOfService()) return { ok: false, code: 'OUTBOX_WRITE_FAILED' };
    if (state().screen !== 'session') return { ok: false, code: 'SESSION_REQUIRED' };
    dispatch({ type: 'commit', kind, itemIds, ...(reports.length ? { reports } : {}), at: now() });
    const after = state();
    if (after.screen !== 'session') return ok;
    if (after.refusal) return { ok: false, ...after.refusal };
    return after.error ? { ok: false, code: after.error } : ok;
  }

  /** Service mode only: an admin's command. */
  const inService = (fn: (s: Extract<State, { screen: 'service' }>) => CommandResult) => {
    const s = state();
    return s.screen === 'service' ? fn(s) : ({ ok: false, code: 'FORBIDDEN' } as const);
  };

  return {
    getView: async () => deps.view(),
    borrow: async ({ itemIds }) => request('borrow', itemIds),
    returnItems: async ({ itemIds, reports }) => {
      const normalised = itemReports(itemIds, reports ?? []);
      return normalised ? request('return', itemIds, normalised) : { ok: false, code: 'BAD_REQUEST' };
    },
    renew: async ({ itemIds }) => request('renew', itemIds),
    endSession: async () => {
      dispatch({ type: 'endSession', at: now() });
      return ok;
    },
    activity: async () => {
      dispatch({ type: 'activity', at: now() });
      return ok;
    },
    simulateTap: async ({ credential }) => {
      if (!deps.simulator || !deps.simulateTap) return { ok: false, code: 'FORBIDDEN' };
      return deps.simulateTap(credential) ? ok : { ok: false, code: 'BAD_REQUEST' };
    },
    simulateScan: async ({ tag }) => {
      if (!deps.simulator) return { ok: false, code: 'FORBIDDEN' };
      if (state().screen !== 'session') return { ok: false, code: 'SESSION_REQUIRED' };
      // Through the simulated reader and the hub, like a real scanner; else straight in.
      if (deps.simulateScan) return deps.simulateScan(tag) ? ok : { ok: false, code: 'BAD_REQUEST' };
      return deps.scan(tag) ? ok : { ok: false, code: 'SESSION_REQUIRED' };
    },
    keyboardInput: async ({ keys }) => {
      if (!deps.keyboard) return { ok: false, code: 'FORBIDDEN' };
      for (const k of keys) deps.keyboard(k.key, k.at);
      return ok;
    },
    forceSync: async () =>
      inService(() => {
        deps.syncNow();
        return ok;
      }),
    startEnrol: async ({ userId }) =>
      inService((s) => {
        const person = s.people.find((p) => p.id === userId);
        if (!person) return { ok: false, code: 'USER_UNKNOWN' };
        dispatch({ type: 'startEnrol', userId, displayName: person.displayName, at: now() });
        return ok;
      }),
    cancelEnrol: async () =>
      inService(() => {
        dispatch({ type: 'cancelEnrol', at: now() });
        return ok;
      }),
    on: deps.on,
  };
}

/**
 * A return's reports as the commit writes them: one per item that has something to say (a
 * condition, missing parts, a note), missing parts making it 'incomplete' at least
 * (protocol/lending.ts returnReport), notes trimmed. Null when a report names an item that is
 * not being returned, or one item twice: the screen's mistake, refused whole.
 */
function itemReports(itemIds: readonly string[], reports: readonly ReturnItemReport[]): ItemReport[] | null {
  const seen = new Set<string>();
  const out: ItemReport[] = [];
  for (const r of reports) {
    if (!itemIds.includes(r.itemId) || seen.has(r.itemId)) return null;
    seen.add(r.itemId);
    const note = r.note?.trim() || null;
    const missingParts = r.missingParts?.length ? r.missingParts : null;
    const condition = returnReport(r.condition, r.missingParts);
    if (condition || note) out.push({ itemId: r.itemId, condition, missingParts, note });
  }
  return out;
}
