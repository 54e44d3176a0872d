/**
 * The kiosk core's public surface: what the composition roots (the Electron main, the web
 * host, scripts/) build a kiosk with. Nothing outside src-main/core imports core's other
 * files (eslint.config.js); the core's unit tests in test/core may, as they test those files.
 */
export {
  createKiosk,
  ensureEnrolled,
  type Kiosk,
  type KioskOptions,
  type KioskPorts,
} from './create-kiosk.ts';
export type { KioskCore } from './kiosk-core.ts';
export { loadKioskConfig } from './load-config.ts';
export {
  bindKioskApi,
  dispatchCommand,
  type DispatchResult,
  type KioskApiTransport,
  type KioskCommands,
} from './api-dispatch.ts';
export { PHOTO_DIR } from './catalog/photo-store.ts';
export { IdentityDamagedError } from './identity/device-identity.ts';
export { KioskDatabaseError } from './sqlite.ts';
export {
  realScheduler,
  silentLogger,
  type Clock,
  type Fetch,
  type Logger,
  type Random,
  type Scheduler,
  type TimerHandle,
} from './ports.ts';
