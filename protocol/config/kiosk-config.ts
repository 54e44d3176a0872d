import { Type, type Static } from '@sinclair/typebox';
import { Strict } from '../wire/common.ts';
import { Host, Port } from './server-config.ts';
import type { EnvBinding } from './resolve.ts';
import { HardwareConfig } from './hardware-config.ts';

export const KioskConfig = Strict({
  host: Host,
  port: Port,
  dataDir: Type.String({ minLength: 1 }),
  serverUrl: Type.String({ pattern: '^https?://[^\\s]+$' }),
  /** Enables the simulated reader and the dev panel. Never on in production. */
  simulator: Type.Boolean(),
  inactivityTimeoutS: Type.Integer({ minimum: 5, maximum: 3600 }),
  receiptS: Type.Integer({ minimum: 1, maximum: 60 }),
  syncBatchSize: Type.Integer({ minimum: 1, maximum: 500 }),
  logLevel: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
  ),
  /** Electron shell only: software rendering, for a GPU or driver that misbehaves. */
  disableGpu: Type.Optional(Type.Boolean()),
  /** Readers and outputs (hardware-config.ts); left out: NFC and keyboard wedge on, no GPIO. */
  hardware: Type.Optional(HardwareConfig),
  /**
   * Whom a person whose badge is refused should ask, as they would say it ("장비실 (내선 1234) /
   * Equipment room, ext. 1234"): shown on the refused-badge screen as written, in both languages.
   */
  helpContact: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
});
export type KioskConfig = Static<typeof KioskConfig>;

export const KIOSK_DEFAULTS: KioskConfig = {
  host: '127.0.0.1',
  port: 8421,
  dataDir: './data/kiosk',
  serverUrl: 'http://127.0.0.1:8420',
  simulator: false,
  inactivityTimeoutS: 60,
  receiptS: 6,
  syncBatchSize: 100,
  logLevel: 'info',
};

export const KIOSK_ENV: EnvBinding[] = [
  { key: 'host', env: 'RENTAL_KIOSK_HOST', kind: 'string' },
  { key: 'port', env: 'RENTAL_KIOSK_PORT', kind: 'integer' },
  { key: 'dataDir', env: 'RENTAL_KIOSK_DATA', kind: 'string' },
  { key: 'serverUrl', env: 'RENTAL_SERVER_URL', kind: 'string' },
  { key: 'simulator', env: 'RENTAL_SIMULATOR', kind: 'boolean' },
  { key: 'inactivityTimeoutS', env: 'RENTAL_INACTIVITY_S', kind: 'integer' },
  { key: 'receiptS', env: 'RENTAL_RECEIPT_S', kind: 'integer' },
  { key: 'syncBatchSize', env: 'RENTAL_SYNC_BATCH', kind: 'integer' },
  { key: 'logLevel', env: 'RENTAL_LOG_LEVEL', kind: 'string' },
  { key: 'disableGpu', env: 'RENTAL_DISABLE_GPU', kind: 'boolean' },
  { key: 'helpContact', env: 'RENTAL_KIOSK_HELP', kind: 'string' },
];
