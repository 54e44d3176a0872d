/**
 * The server's composition root: config, parts, HTTP listener, clean shutdown.
 *   --seed-demo   seed demo data into an empty data directory
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ConfigError } from '../protocol/config/resolve.ts';
import { build, REDACT } from './app.ts';
import { loadBackupConfig } from './backup/backup-config.ts';
import { startBackups } from './backup/schedule.ts';
import { loadServerConfig, readConfigFile } from './config.ts';
import { loadSsoSettings } from './auth/oidc/sso-config.ts';
import { createServerDeps, DatabaseUnreachableError, redactUrl } from './create-server.ts';
import { loadMasterKey } from './keys/master-key.ts';
import { startPurge } from './maintenance/purge.ts';
import { startReservationExpiry } from './maintenance/reservation-expiry.ts';
import { RESERVATION_DEFAULTS } from './reservations/reserve.ts';
import { createServerMetrics } from './metrics/server-metrics.ts';
import { replicaFigures } from './replicas/replica-figures.ts';
import { startReplicaHeartbeat } from './replicas/replica-heartbeat.ts';
import { startReminders } from './notify/from-config.ts';
import { seedDemo } from './seed/demo.ts';

async function main() {
  const config = loadServerConfig();
  const logger = pino({ level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } });
  const file = readConfigFile(process.env);
  const sso = loadSsoSettings(
    process.env,
    config.issuer,
    file && { path: `${file.path} (sso)`, section: file.data.sso },
  );
  const deps = await createServerDeps({
    dataDir: config.dataDir,
    issuer: config.issuer,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    ...(config.databasePoolSize ? { databasePoolSize: config.databasePoolSize } : {}),
    masterKey: loadMasterKey(),
    rentalTokenTtlS: config.rentalTokenTtlS,
    maxLoansPerPerson: config.maxLoansPerPerson,
    log: logger,
    sso,
  });
  logger.info(
    {
      store: config.databaseUrl ? redactUrl(config.databaseUrl) : `${config.dataDir}/server.db`,
      sharedState: deps.shared.where,
    },
    'store open',
  );
  if (sso)
    // What the administrator registers at the provider, and how sign-in behaves; no secret.
    logger.info(
      {
        issuer: sso.issuer,
        clientId: sso.clientId,
        redirectUri: sso.redirectUri,
        provisioning: sso.provisioning,
        passwordLogin: sso.passwordLogin,
        groupRoles: sso.groupRoles.size,
      },
      'single sign-on on',
    );
  if (
    process.argv.includes('--seed-demo') &&
    (await seedDemo(deps, { showcase: true, now: deps.clock.now() }))
  ) {
    logger.info({ dataDir: config.dataDir }, 'seeded demo data');
  }
  const reminders = startReminders(config, deps, logger);
  deps.reservations = {
    graceMinutes: config.reservationGraceMinutes ?? RESERVATION_DEFAULTS.graceMinutes,
    maxDays: config.reservationMaxDays ?? RESERVATION_DEFAULTS.maxDays ?? null,
    maxLeadDays: config.reservationMaxLeadDays ?? RESERVATION_DEFAULTS.maxLeadDays ?? null,
  };
  const expiry = startReservationExpiry({
    ...deps,
    settings: deps.reservations,
    onRound: (round) => round?.expired && logger.info(round, 'reservations expired'),
    onError: (err) => logger.warn({ err: (err as Error).message }, 'reservation expiry round failed'),
  });
  const purge = startPurge({
    ...deps,
    onRound: (round) => round && logger.debug(round, 'expired rows purged'),
    onError: (err) => logger.warn({ err: (err as Error).message }, 'purge round failed'),
  });
  // The embedded store backs itself up; PostgreSQL is backed up by its own tools (README).
  const backupConfig = deps.store.kind === 'sqlite' ? loadBackupConfig(config.dataDir) : null;
  const backups =
    backupConfig &&
    startBackups({
      dataDir: config.dataDir,
      toDir: backupConfig.dir,
      everyMs: backupConfig.everyMinutes * 60_000,
      keep: backupConfig.keep,
      clock: deps.clock,
      onBackup: (r) =>
        logger.info({ file: r.file, bytes: r.bytes, ms: r.ms, removed: r.removed.length }, 'backup taken'),
      onError: (err) => logger.error({ err: (err as Error).message }, 'backup failed'),
    });
  const metrics = createServerMetrics(deps, {
    processMetrics: true,
    ...(deps.store.kind === 'sqlite' ? { sqliteFile: join(config.dataDir, 'server.db') } : {}),
    ...(deps.store.poolStats ? { pool: deps.store.poolStats } : {}),
    ...(backups ? { backups: backups.status } : {}),
  });
  const app = build(deps, {
    logger,
    ...(config.trustProxy ? { trustProxy: config.trustProxy } : {}),
    metrics,
  });
  await app.listen({ host: config.host, port: config.port });
  // This process's row among the servers, with its figures, for every replica to read.
  const startedAt = deps.clock.now();
  const figures = replicaFigures(metrics, {
    rssBytes: () => process.memoryUsage.rss(),
    ...(backups ? { backup: backups.status } : {}),
    reminders: reminders.status,
  });
  const replica = startReplicaHeartbeat({
    store: deps.store,
    clock: deps.clock,
    identity: {
      id: `rep_${randomBytes(6).toString('hex')}`,
      host: `${hostname()}:${config.port}`,
      pid: process.pid,
      version: deps.version,
      startedAt,
    },
    figures: (now) => figures(now, startedAt),
    onError: (err) => logger.warn({ err: (err as Error).message }, 'replica heartbeat not written'),
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    reminders.stop();
    purge.stop();
    expiry.stop();
    backups?.stop();
    await replica.draining();
    await app.close();
    await replica.stop();
    await deps.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DatabaseUnreachableError) {
    console.error(`server: ${err.message}`);
  } else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`server: ${(err as Error).message} (is another server running? set RENTAL_SERVER_PORT)`);
  } else {
    console.error('server: failed to start', err);
  }
  process.exit(1);
});
