/**
 * Admin CLI (a composition root of its own): works on the server's data directory directly
 * (RENTAL_SERVER_DATA or the config file). The commands live in cli/commands.ts:
 *   npm run admin -- help
 */
import { ConfigError } from '../protocol/config/resolve.ts';
import { loadBackupConfig } from './backup/backup-config.ts';
import { isBackupCommand, runBackupCommand } from './cli/backup-commands.ts';
import { runCli, type CliIo } from './cli/commands.ts';
import { loadServerConfig } from './config.ts';
import { createServerDeps, DatabaseUnreachableError } from './create-server.ts';
import { loadMasterKey } from './keys/master-key.ts';

const io: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

async function main(argv: string[]): Promise<number> {
  const config = loadServerConfig();
  // Backup and restore work on the files: a restore must not hold the database it replaces.
  if (isBackupCommand(argv)) {
    return runBackupCommand(
      argv,
      {
        dataDir: config.dataDir,
        ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
        backup: loadBackupConfig(config.dataDir),
        now: () => Date.now(),
      },
      io,
    );
  }
  // The same store and secrets as the server's: with PostgreSQL, every replica sees what this does.
  const deps = await createServerDeps({
    dataDir: config.dataDir,
    issuer: config.issuer,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    masterKey: loadMasterKey(),
  });
  try {
    return await runCli(argv, deps, io);
  } finally {
    await deps.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError || err instanceof DatabaseUnreachableError ? err.message : err);
    process.exit(1);
  },
);
