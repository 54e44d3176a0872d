/**
 * Admin CLI (a composition root of its own): works on the server's data directory directly.
 *   npm run admin -- kiosk create <name> [--json]
 *   npm run admin -- kiosk revoke <kioskId>
 *   npm run admin -- keys rotate
 */
import { ConfigError } from '../protocol/config/resolve.ts';
import { createKioskWithCode, ENROLLMENT_TTL_MS } from './auth/enrollment.ts';
import { loadServerConfig } from './config.ts';
import { createServerDeps } from './create-server.ts';

const USAGE = `usage:
  admin kiosk create <name> [--json]   create a kiosk and print its one-time enrollment code
  admin kiosk revoke <kioskId>          revoke a kiosk (refused on its next call)
  admin keys rotate                     new signing key; old keys keep verifying`;

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const args = argv.filter((a) => a !== '--json');
  const config = loadServerConfig();
  const deps = await createServerDeps({ dataDir: config.dataDir, issuer: config.issuer });
  const now = deps.clock.now();
  try {
    const [noun, verb, ...rest] = args;
    if (noun === 'kiosk' && verb === 'create' && rest[0]) {
      const { kiosk, code } = createKioskWithCode(deps.store, rest.join(' '), now);
      const expiresAt = new Date(now + ENROLLMENT_TTL_MS).toISOString();
      if (json) console.log(JSON.stringify({ kioskId: kiosk.id, name: kiosk.name, code, expiresAt }));
      else
        console.log(
          `kiosk ${kiosk.id} "${kiosk.name}"\nenrollment code: ${code} (one use, expires ${expiresAt})`,
        );
      return 0;
    }
    if (noun === 'kiosk' && verb === 'revoke' && rest[0]) {
      if (!deps.store.revokeKiosk(rest[0], now)) {
        console.error(`no active kiosk ${rest[0]}`);
        return 1;
      }
      console.log(`kiosk ${rest[0]} revoked`);
      return 0;
    }
    if (noun === 'keys' && verb === 'rotate') {
      const key = await deps.keys.rotate(now);
      console.log(`new signing key ${key.kid}; restart the server to sign with it`);
      return 0;
    }
    console.error(USAGE);
    return 2;
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
