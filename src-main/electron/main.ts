/**
 * The Electron main process's composition root: config, logger, the kiosk core, the shell.
 * Runs bundled (scripts/build-electron.ts -> dist/app/main/main.cjs), next to preload.cjs,
 * with the built renderer in ../renderer; the same layout inside the packaged app.asar.
 *   RENTAL_ENROLL_CODE=XXXX-XXXX-XXXX   enroll this data dir on first start
 *   RENTAL_RECOVER_OUTBOX=1             rebuild a lost or damaged outbox from what it left, keeping the old files
 *   RENTAL_DISABLE_GPU=1                software rendering (or "disableGpu": true in the config file)
 */
import { join } from 'node:path';
import { app } from 'electron';
import pino from 'pino';
import { createReaders } from '../../hardware/index.ts';
import { ConfigError } from '../../protocol/config/resolve.ts';
import { createKiosk, loadKioskConfig, PHOTO_DIR } from '../core/index.ts';
import { runShell } from './shell.ts';

// The bundle is CommonJS; the build defines import.meta.dirname as __dirname.
const HERE = import.meta.dirname;

function main() {
  let config;
  try {
    config = loadKioskConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`kiosk: ${err.message}`);
    process.exit(1);
  }
  // stdout goes to the journal under systemd (journalctl --user -u rental-kiosk).
  const logger = pino({ level: config.logLevel, base: { proc: 'kiosk-electron' } });
  runShell({
    dev: !app.isPackaged,
    disableGpu: config.disableGpu ?? false,
    rendererDir: join(HERE, '..', 'renderer'),
    photosDir: join(config.dataDir, PHOTO_DIR),
    preload: join(HERE, 'preload.cjs'),
    logger,
    openKiosk: async () => {
      // Real readers and outputs per the config's hardware section; a missing one (no pcscd,
      // no GPIO) is a status line, not a failure.
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
          appVersion: app.getVersion(),
          enrollCode: process.env.RENTAL_ENROLL_CODE,
          recoverOutbox: process.env.RENTAL_RECOVER_OUTBOX === '1',
        },
      );
      logger.info({ kioskId: kiosk.enrollment.kioskId, simulator: config.simulator }, 'kiosk core ready');
      return { api: kiosk.core.api, start: () => kiosk.start(), close: () => kiosk.close() };
    },
  });
}

main();
