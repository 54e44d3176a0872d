/**
 * The server's in-process event bus: routes announce what changed (transactions applied,
 * a kiosk reported in, an admin edit) and the dashboard's live stream passes it on.
 * Listeners never affect the emitter: a throwing listener is dropped, not propagated.
 */
import type { LiveEvent, TxResult } from '../../protocol/index.ts';

export type EventListener = (event: LiveEvent) => void;

export type EventBus = {
  emit(event: LiveEvent): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: EventListener): () => void;
  listenerCount(): number;
};

export function createEventBus(onListenerError: (err: unknown) => void = () => {}): EventBus {
  const listeners = new Set<EventListener>();
  return {
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (err) {
          listeners.delete(listener);
          onListenerError(err);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    listenerCount: () => listeners.size,
  };
}

/** The live event for one applied sync batch. */
export function transactionsEvent(kioskId: string, results: TxResult[]): LiveEvent {
  const count = (s: TxResult['status']) => results.filter((r) => r.status === s).length;
  return {
    type: 'transactions',
    kioskId,
    applied: count('applied'),
    conflicts: count('conflict'),
    rejected: count('rejected'),
  };
}
