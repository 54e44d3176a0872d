/**
 * The preload: exposes `window.kioskApi` (exactly the KioskApi, one function per command
 * plus `on`) and nothing else: no ipcRenderer, no Node. One of the two files allowed to
 * import ipcMain/ipcRenderer (eslint.config.js).
 *
 * It runs sandboxed, where `require` knows only 'electron' and a few polyfills, so the build
 * (scripts/build-main.ts) bundles it into a single CommonJS file.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { KioskApi, KioskEvent } from '../../protocol/kiosk-api.ts';
import {
  COMMAND_NAMES,
  EVENT_NAMES,
  commandChannel,
  eventChannel,
  settle,
  type IpcEnvelope,
} from './ipc-channels.ts';

export const KIOSK_API_GLOBAL = 'kioskApi';

export function createKioskApi(): KioskApi {
  const api: Record<string, unknown> = {};
  for (const command of COMMAND_NAMES) {
    api[command] = async (params: unknown) =>
      settle(command, (await ipcRenderer.invoke(commandChannel(command), params)) as IpcEnvelope);
  }
  api.on = (event: KioskEvent, listener: (payload: unknown) => void) => {
    if (!EVENT_NAMES.includes(event)) throw new Error(`unknown kiosk event: ${String(event)}`);
    // The IPC event object never reaches the page: it would hand it `sender` (ipcRenderer).
    const forward = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(eventChannel(event), forward);
    return () => void ipcRenderer.removeListener(eventChannel(event), forward);
  };
  return api as KioskApi;
}

contextBridge.exposeInMainWorld(KIOSK_API_GLOBAL, createKioskApi());
