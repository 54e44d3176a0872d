/**
 * One gate for every KioskApi call, whatever carried it (Electron IPC or the web host's
 * WebSocket): the method must be one of KIOSK_COMMANDS and its params must match the
 * command's schema before the core sees them. A renderer is an untrusted client.
 */
import {
  AppError,
  KIOSK_COMMANDS,
  KIOSK_EVENT_NAMES,
  isKioskCommand,
  type EventPayload,
  type KioskEvent,
  type ErrorCode,
  type KioskApi,
  type KioskCommand,
} from '../../protocol/index.ts';
import { check } from '../../protocol/validate.ts';
import type { Logger } from './ports.ts';

export type KioskCommands = Omit<KioskApi, 'on'>;

export type DispatchResult = { ok: true; value: unknown } | { ok: false; code: ErrorCode };

export async function dispatchCommand(
  api: KioskCommands,
  method: string,
  params: unknown,
  logger: Logger,
): Promise<DispatchResult> {
  if (!isKioskCommand(method)) return { ok: false, code: 'BAD_REQUEST' };
  const spec = KIOSK_COMMANDS[method];
  if (!check(spec.params, params)) return { ok: false, code: 'BAD_REQUEST' };
  try {
    const fn = api[method] as (p: unknown) => Promise<unknown>;
    const value = await fn(params);
    if (!check(spec.result, value)) {
      // Our own bug, not the caller's: say so loudly, tell the UI only that it failed.
      logger.error({ method }, 'kiosk command returned a value outside its schema');
      return { ok: false, code: 'INTERNAL' };
    }
    return { ok: true, value };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code };
    logger.error({ method, err: (err as Error).message }, 'kiosk command failed');
    return { ok: false, code: 'INTERNAL' };
  }
}

export type { KioskCommand };

/** What a bridge (Electron IPC, the web host's WebSocket) does to reach the UI. */
export type KioskApiTransport = {
  /** Deliver one event to the UI; every event of KIOSK_EVENTS comes through here. */
  send<E extends KioskEvent>(name: E, payload: EventPayload<E>): void;
};

/**
 * The one binding of the KioskApi to a transport, shared by both shells so they cannot
 * drift (the WebSocket bridge once forwarded `view` only, and item scans never reached the
 * browser kiosk): every event in KIOSK_EVENTS is forwarded, every call goes through
 * dispatchCommand. `close` stops the forwarding.
 */
export function bindKioskApi(api: KioskApi, transport: KioskApiTransport, logger: Logger) {
  const offs = KIOSK_EVENT_NAMES.map((name) =>
    api.on(name, (payload: EventPayload<typeof name>) => transport.send(name, payload)),
  );
  return {
    call: (method: string, params: unknown) => dispatchCommand(api, method, params, logger),
    close() {
      for (const off of offs) off();
    },
  };
}
