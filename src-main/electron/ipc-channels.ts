/**
 * The IPC wire between preload and main, derived from the KioskApi tables so that a new
 * command in protocol/kiosk-api.ts gets its channel, handler and invoker without edits here.
 * Imports no Electron: both sides (and the tests) share it.
 *
 * Over IPC every command answers with an envelope, `{ ok: true, value }` or `{ ok: false, code }`
 * (the dispatcher's result). The preload unwraps it with `settle` so the renderer sees exactly
 * the KioskApi: a command whose result is a CommandResult resolves to `{ ok: false, code }`
 * on refusal, any other command (getView) rejects with an Error whose message is the code.
 */
import {
  CommandResult,
  KIOSK_COMMANDS,
  KIOSK_EVENTS,
  type KioskCommand,
  type KioskEvent,
} from '../../protocol/kiosk-api.ts';
import type { ErrorCode } from '../../protocol/errors.ts';

export const COMMAND_PREFIX = 'kiosk:call:';
export const EVENT_PREFIX = 'kiosk:event:';

export const commandChannel = (command: KioskCommand) => `${COMMAND_PREFIX}${command}`;
export const eventChannel = (event: KioskEvent) => `${EVENT_PREFIX}${event}`;

export const COMMAND_NAMES = Object.keys(KIOSK_COMMANDS) as KioskCommand[];
export const EVENT_NAMES = Object.keys(KIOSK_EVENTS) as KioskEvent[];

export type IpcEnvelope = { ok: true; value: unknown } | { ok: false; code: ErrorCode };

/** The renderer-facing value of one command's IPC answer. */
export function settle(command: KioskCommand, envelope: IpcEnvelope): unknown {
  if (envelope.ok) return envelope.value;
  if (KIOSK_COMMANDS[command].result === CommandResult) return { ok: false, code: envelope.code };
  throw new Error(envelope.code);
}
