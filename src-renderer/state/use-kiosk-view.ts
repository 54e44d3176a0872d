/**
 * The latest KioskView, the connection state, and the offset between the core's clock and
 * this screen's clock (the UI ticks countdowns locally between views; the core's `now` is
 * the truth, a Pi's local clock may be off).
 */
import { useEffect, useState } from 'react';
import type { KioskView } from '../../protocol/kiosk-api.ts';
import type { ConnectionState } from '../api/ws-client.ts';
import type { ApiSource } from '../api/pick-api.ts';

export type KioskState = {
  view: KioskView | null;
  /** core time minus local time, in ms */
  offsetMs: number;
  connection: ConnectionState;
};

export function useKioskView(source: ApiSource): KioskState {
  const [state, setState] = useState<KioskState>(() => ({
    view: null,
    offsetMs: 0,
    connection: source.connection.state(),
  }));

  useEffect(() => {
    const accept = (view: KioskView) =>
      setState((s) => ({ ...s, view, offsetMs: Date.parse(view.now) - Date.now() }));
    const refresh = () => {
      source.api.getView({}).then(accept, () => {
        /* the next connection or pushed view brings it */
      });
    };
    const offView = source.api.on('view', accept);
    const offState = source.connection.onState((connection) => {
      setState((s) => ({ ...s, connection }));
      if (connection === 'open') refresh();
    });
    // The socket may have opened between the first render and this subscription.
    setState((s) => ({ ...s, connection: source.connection.state() }));
    refresh();
    return () => {
      offView();
      offState();
    };
  }, [source]);

  return state;
}
