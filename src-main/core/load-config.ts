/** Kiosk configuration: defaults < config file (`kiosk` section) < RENTAL_* environment. */
import { existsSync, readFileSync } from 'node:fs';
import {
  ConfigError,
  configFileName,
  parseConfigFile,
  resolveConfig,
} from '../../protocol/config/resolve.ts';
import { KIOSK_DEFAULTS, KIOSK_ENV, KioskConfig } from '../../protocol/config/kiosk-config.ts';

export function loadKioskConfig(env: Record<string, string | undefined> = process.env): KioskConfig {
  const path = configFileName(env);
  let file: ReturnType<typeof parseConfigFile> | undefined;
  if (existsSync(path)) file = parseConfigFile(path, readFileSync(path, 'utf8'));
  else if (env.RENTAL_CONFIG) throw new ConfigError(`${path}: config file not found`);
  return resolveConfig({
    schema: KioskConfig,
    defaults: KIOSK_DEFAULTS,
    file: file && { path: `${file.path} (kiosk)`, section: file.data.kiosk },
    env,
    bindings: KIOSK_ENV,
  });
}
