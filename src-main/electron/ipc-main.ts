/**
 * Main's half of the KioskApi bridge: one `ipcMain.handle` per KIOSK_COMMANDS entry, and
 * the core's events forwarded to the kiosk window. One of the two files allowed to import
 * ipcMain/ipcRenderer (eslint.config.js).
 *
 * Every call is checked before the core sees it: the sender must be the kiosk window's own
 * top frame showing the app's origin (an iframe, a navigated-away page or another window is
 * refused with FORBIDDEN), then the shared dispatcher checks the command's params schema
 * (BAD_REQUEST) and the core's result schema.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { KioskApi } from '../../protocol/kiosk-api.ts';
import { bindKioskApi, type Logger } from '../core/index.ts';
import { COMMAND_NAMES, commandChannel, eventChannel, type IpcEnvelope } from './ipc-channels.ts';

export type SenderPolicy = {
  /** The kiosk window's contents, the only ones allowed to call; null while there is none. */
  contents(): WebContents | null;
  /** True for URLs the app itself serves (app://kiosk/...). */
  isAppUrl(url: string): boolean;
};

export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  policy: SenderPolicy,
): boolean {
  const contents = policy.contents();
  if (!contents || event.sender !== contents) return false;
  try {
    // senderFrame is null once the frame navigated away or was destroyed; its getters
    // throw on a disposed frame, which is a refusal too.
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || frame !== contents.mainFrame) return false;
    return policy.isAppUrl(frame.url);
  } catch {
    return false;
  }
}

/** Registers the handlers and the event forwarding; the returned function undoes both. */
export function bindKioskIpc(deps: { api: KioskApi; policy: SenderPolicy; logger: Logger }): () => void {
  const { api, policy, logger } = deps;
  const bound = bindKioskApi(
    api,
    {
      send(name, payload) {
        const contents = policy.contents();
        // send() reaches the main frame only, never an iframe.
        if (contents && !contents.isDestroyed()) contents.send(eventChannel(name), payload);
      },
    },
    logger,
  );
  for (const command of COMMAND_NAMES) {
    ipcMain.handle(commandChannel(command), async (event, params: unknown): Promise<IpcEnvelope> => {
      if (!isTrustedSender(event, policy)) {
        logger.warn({ command, url: safeUrl(event) }, 'IPC call from an untrusted frame refused');
        return { ok: false, code: 'FORBIDDEN' };
      }
      return bound.call(command, params);
    });
  }
  return () => {
    for (const command of COMMAND_NAMES) ipcMain.removeHandler(commandChannel(command));
    bound.close();
  };
}

function safeUrl(event: IpcMainInvokeEvent): string | null {
  try {
    return event.senderFrame?.url ?? null;
  } catch {
    return null;
  }
}
