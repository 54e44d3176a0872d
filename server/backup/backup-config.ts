/**
 * Where and how often the embedded server backs itself up: the config file's `backup`
 * section < RENTAL_BACKUP_* environment. Parsed like every other config (a bad value stops
 * the process with a line naming it). The schema sits here rather than in protocol/config
 * because only the server and its CLI read it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { resolveConfig, type EnvBinding } from '../../protocol/config/resolve.ts';
import { Strict } from '../../protocol/wire/common.ts';
import { readConfigFile } from '../config.ts';
import { join } from 'node:path';

export const BackupConfig = Strict({
  /** Where backups go; best on another disk than the data directory. Default `<dataDir>/backups`. */
  dir: Type.Optional(Type.String({ minLength: 1 })),
  /** Minutes between scheduled backups; 0 turns the schedule off (the CLI still works). */
  everyMinutes: Type.Integer({ minimum: 0, maximum: 7 * 24 * 60 }),
  /** How many backups stay; older ones are removed after each new one. */
  keep: Type.Integer({ minimum: 1, maximum: 10_000 }),
});
export type BackupConfig = Static<typeof BackupConfig>;

export const BACKUP_DEFAULTS: BackupConfig = { everyMinutes: 60, keep: 48 };

const BACKUP_ENV: EnvBinding[] = [
  { key: 'dir', env: 'RENTAL_BACKUP_DIR', kind: 'string' },
  { key: 'everyMinutes', env: 'RENTAL_BACKUP_EVERY_MIN', kind: 'integer' },
  { key: 'keep', env: 'RENTAL_BACKUP_KEEP', kind: 'integer' },
];

export type ResolvedBackupConfig = BackupConfig & { dir: string };

export function loadBackupConfig(
  dataDir: string,
  env: Record<string, string | undefined> = process.env,
): ResolvedBackupConfig {
  const file = readConfigFile(env);
  const config = resolveConfig({
    schema: BackupConfig,
    defaults: BACKUP_DEFAULTS,
    file: file && { path: `${file.path} (backup)`, section: file.data.backup },
    env,
    bindings: BACKUP_ENV,
  });
  // A restore moves only the database and keys aside, so backups inside the data directory stay.
  return { ...config, dir: config.dir ?? join(dataDir, 'backups') };
}
