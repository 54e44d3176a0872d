/**
 * Admin CLI (a composition root of its own): works on the server's data directory directly
 * (RENTAL_SERVER_DATA or the config file). The commands live in cli/commands.ts:
 *   npm run admin -- help
 */
import { ConfigError } from '../protocol/config/resolve.ts';
import { runCli, type CliIo } from './cli/commands.ts';
import { loadServerConfig } from './config.ts';
import { createServerDeps } from './create-server.ts';

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
  const deps = await createServerDeps({ dataDir: config.dataDir, issuer: config.issuer });
  try {
    return await runCli(argv, deps, io);
  } finally {
    deps.store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);
