/**
 * Which KioskApi this renderer talks to, decided once at startup.
 *
 * Inside Electron the preload has exposed `window.kioskApi` (IPC, always connected). In a
 * plain browser (web host, Chromium kiosk, development, e2e tests) the UI connects back to
 * the page's own origin over WebSocket.
 */
import type { KioskApi } from '../../protocol/kiosk-api.ts';
import { apiUrlFor, createWsKioskClient, type ConnectionState } from './ws-client.ts';

declare global {
  interface Window {
    kioskApi?: KioskApi;
  }
}

export type Connection = {
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
};

export type ApiSource = { api: KioskApi; connection: Connection; transport: 'ipc' | 'websocket' };

const alwaysOpen: Connection = { state: () => 'open', onState: () => () => {} };

export function pickKioskApi(win: Window): ApiSource {
  if (win.kioskApi) return { api: win.kioskApi, connection: alwaysOpen, transport: 'ipc' };
  const client = createWsKioskClient(apiUrlFor(win.location));
  return { api: client.api, connection: client, transport: 'websocket' };
}
