/**
 * The web host's composition root: config, kiosk, HTTP + WebSocket listener, clean stop.
 *   RENTAL_ENROLL_CODE=XXXX-XXXX-XXXX   enroll this data dir on first start
 *   RENTAL_RECOVER_OUTBOX=1             rebuild a lost or damaged outbox from what it left, keeping the old files
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createReaders } from '../../hardware/index.ts';
import pino from 'pino';
import { ConfigError } from '../../protocol/config/resolve.ts';
import { Type } from '@sinclair/typebox';
import { AppError, Credential, Strict } from '../../protocol/index.ts';
import { check } from '../../protocol/validate.ts';
import { createKiosk, IdentityDamagedError, KioskDatabaseError, loadKioskConfig } from '../core/index.ts';
import { createWebHost } from './web-host.ts';

const APP_VERSION = (
  JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as {
    version: string;
  }
).version;
const RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

async function main() {
  const config = loadKioskConfig();
  const logger = pino({ level: config.logLevel, base: { proc: 'kiosk' } });
  // Real readers and outputs per the config's hardware section; what is missing (no GPIO
  // here, no pcscd there) becomes a one-line status, not a failure.
  const hardware = await createReaders(config.hardware);
  for (const line of hardware.statusLines) logger.warn(line);
  const kiosk = await createKiosk(
    config,
    {
      logger,
      readers: hardware.readers,
      keyboard: hardware.wedge,
      signals: hardware.signals,
      dedupeMs: hardware.config.dedupeMs,
    },
    {
      appVersion: APP_VERSION,
      enrollCode: process.env.RENTAL_ENROLL_CODE,
      recoverOutbox: process.env.RENTAL_RECOVER_OUTBOX === '1',
      simulatorBadges: parseSimulatorBadges(process.env.RENTAL_SIMULATOR_BADGES),
    },
  );
  const host = createWebHost({
    api: kiosk.core.api,
    rendererDir: RENDERER_DIR,
    logger,
    photosDir: kiosk.photos.dir,
  });
  const { url } = await host.listen(config.host, config.port);
  logger.info(
    { url, kioskId: kiosk.enrollment.kioskId, simulator: config.simulator },
    'kiosk web host listening',
  );
  // Start after listening: the screen must come up even while the server is unreachable.
  void kiosk.start();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await host.close();
    await kiosk.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Demo badges for the simulator panel, handed over by `npm start` as JSON. */
function parseSimulatorBadges(raw: string | undefined) {
  if (!raw) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ConfigError('RENTAL_SIMULATOR_BADGES: not valid JSON');
  }
  if (!check(SimulatorBadges, value))
    throw new ConfigError('RENTAL_SIMULATOR_BADGES: expected [{ label, credential }]');
  return value;
}

const SimulatorBadges = Type.Array(
  Strict({ label: Type.String({ maxLength: 100 }), credential: Credential }),
  {
    maxItems: 20,
  },
);

main().catch((err: unknown) => {
  if (
    err instanceof ConfigError ||
    err instanceof AppError ||
    err instanceof IdentityDamagedError ||
    err instanceof KioskDatabaseError
  )
    console.error(`kiosk: ${err.message}`);
  else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
    console.error(`kiosk: ${(err as Error).message} (is another kiosk running? set RENTAL_KIOSK_PORT)`);
  else console.error('kiosk: failed to start', err);
  process.exit(1);
});
