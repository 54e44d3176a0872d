/**
 * The KioskApi's events, published to whoever listens (the IPC and WebSocket bridges, tests).
 * A change inside a batch is not sent at once: the batch ends with one view, built once. A
 * dispatch and the effects it sets off, or a tap's answer that also flips the sync loop's
 * online flag, are one batch, so the UI gets one view for them instead of one per flag.
 */
import type { EventPayload, KioskApi, KioskEvent, KioskView } from '../../protocol/index.ts';

type Listeners = { [E in KioskEvent]: Set<(payload: EventPayload<E>) => void> };

export type ViewPublisher = ReturnType<typeof createViewPublisher>;

export function createViewPublisher(buildView: () => KioskView) {
  // Written out per event: a new KioskApi event does not compile here until it has listeners.
  const listeners: Listeners = { view: new Set(), scan: new Set() };
  let depth = 0;
  let dirty = false;

  function publish() {
    // Nobody listening: no view is built (building one reads the database).
    if (listeners.view.size === 0) return;
    const view = buildView();
    for (const l of [...listeners.view]) l(view);
  }

  return {
    /** Something the view shows changed: send a view now, or at the end of the batch. */
    changed() {
      if (depth > 0) dirty = true;
      else publish();
    },
    /** Run `fn`; the changes it makes are sent as one view when the outermost batch ends. */
    batch<T>(fn: () => T): T {
      depth++;
      try {
        return fn();
      } finally {
        depth--;
        if (depth === 0 && dirty) {
          dirty = false;
          publish();
        }
      }
    },
    /** An item tag offered to the UI. */
    scan(payload: EventPayload<'scan'>) {
      for (const l of [...listeners.scan]) l(payload);
    },
    on: ((event, listener) => {
      const set = listeners[event] as Set<typeof listener>;
      set.add(listener);
      return () => void set.delete(listener);
    }) as KioskApi['on'],
  };
}
