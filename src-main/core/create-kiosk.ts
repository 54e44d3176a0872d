/**
 * Builds a whole kiosk (database, identity, server client, outbox, sync loop, catalog,
 * readers, core) from its config and the ports it runs on. The Electron main file, the
 * web host and the integration tests all call this, each with their own ports, so they
 * run the very same kiosk.
 */
import { join } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import type { KioskConfig } from '../../protocol/config/kiosk-config.ts';
import type { Clock, Credential } from '../../protocol/index.ts';
import { AppError, HEARTBEAT_INTERVAL_S } from '../../protocol/index.ts';
import { systemClock } from '../../protocol/clock.ts';
import { BadgeHub } from '../../hardware/badge-hub.ts';
import type { BadgeReader, ReaderStatusReport, Signals } from '../../hardware/ports.ts';
import { noSignals } from '../../hardware/ports.ts';
import { SimulatedReader } from '../../hardware/simulator/simulated-reader.ts';
import { createCatalogCache } from './catalog/catalog-cache.ts';
import { createPhotoStore, PHOTO_DIR } from './catalog/photo-store.ts';
import { createServerClock } from './clock/server-clock.ts';
import { openDeviceIdentity, type DeviceIdentity } from './identity/device-identity.ts';
import { createOfflineRoster } from './identity/offline-roster.ts';
import { createRentalTokenVerifier } from './identity/rental-token.ts';
import { createKioskCore } from './kiosk-core.ts';
import { KIOSK_MIGRATIONS } from './outbox/migrations.ts';
import { createOutbox, toTransaction } from './outbox/outbox.ts';
import {
  realScheduler,
  silentLogger,
  type Fetch,
  type Logger,
  type Random,
  type Scheduler,
} from './ports.ts';
import { createServerClient } from './server-client.ts';
import {
  KioskDatabaseError,
  openKioskDatabase,
  RECOVERY_HINT,
  storageFault,
  watchDatabaseFile,
} from './sqlite.ts';
import { recoverOutbox, rescueOutbox } from './outbox/salvage.ts';
import { createSyncLoop } from './sync/sync-loop.ts';

export type KioskPorts = {
  clock?: Clock;
  /**
   * A clock that never steps, for server time between samples (server-clock.ts). Default:
   * performance.now with the real wall clock; a test's fake `clock` alone is its own.
   */
  monotonic?: () => number;
  scheduler?: Scheduler;
  random?: Random;
  fetch?: Fetch;
  logger?: Logger;
  signals?: Signals;
  /** Real readers (from hardware/); the simulator is added when config.simulator is on. */
  readers?: BadgeReader[];
  /** The keyboard-wedge reader (also among `readers`): key presses from the UI go to it. */
  keyboard?: { key(key: string, atMs: number): void } | null;
  /** Repeats of one card inside this window are one tap (hardware config). */
  dedupeMs?: number;
  /** Between two catalog pulls (default 30 s); a test that drives every pull sets it long. */
  catalogPollMs?: number;
};

export type Kiosk = Awaited<ReturnType<typeof createKiosk>>;

/** Enroll with a one-time code unless this data dir already holds an enrollment. */
export async function ensureEnrolled(
  identity: DeviceIdentity,
  config: Pick<KioskConfig, 'serverUrl'>,
  code: string | undefined,
  ports: Pick<KioskPorts, 'fetch' | 'clock'> = {},
): Promise<void> {
  if (identity.enrollment()) return;
  if (!code)
    throw new AppError('KIOSK_ASSERTION_INVALID', 'this kiosk is not enrolled: set RENTAL_ENROLL_CODE');
  const local = ports.clock ?? systemClock;
  const client = createServerClient({
    baseUrl: config.serverUrl,
    ...(ports.fetch ? { fetch: ports.fetch } : {}),
    local,
    serverClock: createServerClock(local),
    assertion: () => Promise.reject(new Error('not enrolled')),
  });
  const res = await client.enroll({
    code: code.trim().toUpperCase(),
    publicJwk: identity.publicJwk as never,
  });
  identity.saveEnrollment({ ...res, serverUrl: config.serverUrl });
}

export type KioskOptions = {
  /** One-time enrollment code, used only when this data dir is not enrolled yet. */
  enrollCode?: string | undefined;
  /** Reported in heartbeats. */
  appVersion?: string;
  /** RENTAL_RECOVER_OUTBOX=1: rebuild the outbox from what a lost or damaged database left (salvage.ts). */
  recoverOutbox?: boolean;
  /** Simulator only: badges to offer as one-touch buttons (demo data). */
  simulatorBadges?: { label: string; credential: Credential }[] | undefined;
};

export async function createKiosk(config: KioskConfig, ports: KioskPorts = {}, options: KioskOptions = {}) {
  const { enrollCode } = options;
  const local = ports.clock ?? systemClock;
  const scheduler = ports.scheduler ?? realScheduler;
  const logger = ports.logger ?? silentLogger;
  const identity = await openDeviceIdentity(config.dataDir, { recover: Boolean(enrollCode) });
  await ensureEnrolled(identity, config, enrollCode, ports);
  const enrollment = identity.enrollment()!;

  const dbFile = join(config.dataDir, 'kiosk.db');
  if (options.recoverOutbox) {
    const recovery = recoverOutbox(dbFile, KIOSK_MIGRATIONS);
    if (recovery) logger.warn(recovery, 'kiosk database recovered: unsent transactions will be sent again');
    else logger.info({}, 'RENTAL_RECOVER_OUTBOX is set but the kiosk database needs no recovery');
  }
  const db = openKioskDatabase(dbFile, KIOSK_MIGRATIONS);
  // The file deleted, replaced or truncated under the running kiosk: rescue what the open
  // connection still holds (once), and refuse every commit from then on.
  const fileLost = watchDatabaseFile(dbFile);
  let rescue: Promise<void> | null = null;
  const guardFile = () => {
    const lost = fileLost();
    if (!lost) return;
    rescue ??= rescueOutbox(db, dbFile).then(
      (dir) => logger.error({ dir }, 'kiosk database lost: what it held was copied for recovery'),
      (err: unknown) =>
        logger.error({ err: (err as Error).message }, 'kiosk database lost: rescue copy failed'),
    );
    throw new KioskDatabaseError(`${lost}. ${RECOVERY_HINT}`);
  };
  const monotonic = ports.monotonic ?? (ports.clock ? () => local.now() : () => performance.now());
  const serverClock = createServerClock(local, monotonic);
  const client = createServerClient({
    baseUrl: config.serverUrl,
    ...(ports.fetch ? { fetch: ports.fetch } : {}),
    local,
    serverClock,
    assertion: () => identity.assertion(serverClock),
  });
  const outbox = createOutbox(db, { now: () => local.now(), guard: guardFile });
  const catalog = createCatalogCache(db);
  const photos = createPhotoStore(join(config.dataDir, PHOTO_DIR));
  const verifier = createRentalTokenVerifier({
    issuer: enrollment.issuer,
    kioskId: enrollment.kioskId,
    clock: serverClock,
    loadJwks: async () => (await client.jwks()) as JSONWebKeySet,
    cached: () => {
      const raw = catalog.kv.get('jwks');
      return raw ? (JSON.parse(raw) as JSONWebKeySet) : null;
    },
    save: (jwks) => catalog.kv.set('jwks', JSON.stringify(jwks)),
  });

  const roster = createOfflineRoster({ kv: catalog.kv, client, verifier, clock: serverClock, logger });

  let core: ReturnType<typeof createKioskCore> | null = null;
  const sync = createSyncLoop({
    outbox,
    send: async (rows) => (await client.sync(rows.map(toTransaction))).results,
    scheduler,
    clock: local,
    random: ports.random ?? Math.random,
    logger,
    batchSize: config.syncBatchSize,
    onStatus: () => core?.refresh(),
    onDelivered: () => void core?.pullCatalog(),
  });

  const simulator = config.simulator ? new SimulatedReader() : null;
  const readers = [...(ports.readers ?? []), ...(simulator ? [simulator] : [])];
  const statuses = new Map<string, ReaderStatusReport>();
  const hub = new BadgeHub(
    readers,
    local,
    {
      badge: (credential) => core?.badge(credential),
      itemScan: (tag) => void core?.scan(tag),
      status: (report) => {
        statuses.set(report.readerId, report);
        core?.refresh();
      },
      rejected: (readerId, reason) => logger.warn({ readerId, reason }, 'reader input rejected'),
    },
    ports.dedupeMs,
  );

  core = createKioskCore({
    client,
    verifier,
    roster,
    outbox,
    catalog,
    photos: { has: photos.has, keep: photos.keep, fetch: (hash) => client.photoThumb(hash) },
    sync,
    clock: serverClock,
    scheduler,
    ...(ports.catalogPollMs !== undefined ? { catalogPollMs: ports.catalogPollMs } : {}),
    signals: ports.signals ?? noSignals,
    logger,
    machine: {
      inactivityMs: config.inactivityTimeoutS * 1000,
      receiptMs: config.receiptS * 1000,
      deniedMs: 4000,
      identifyTimeoutMs: 8000,
    },
    simulator: config.simulator,
    ...(options.simulatorBadges ? { simulatorBadges: options.simulatorBadges } : {}),
    ...(config.helpContact ? { helpContact: config.helpContact } : {}),
    simulateTap: simulator ? (c) => simulator.tap(c) : null,
    simulateScan: simulator ? (tag) => simulator.scan(tag) : null,
    keyboard: ports.keyboard ? (key, atMs) => ports.keyboard!.key(key, atMs) : null,
    readers: () =>
      [...statuses.values()].map((s) => ({
        id: s.readerId,
        kind: s.kind,
        state: s.state,
        ...(s.detail ? { detail: s.detail } : {}),
      })),
  });

  // Heartbeats: the dashboard's live view of this kiosk (queue, readers, clock).
  let heartbeatTimer: { cancel(): void } | null = null;
  let closed = false;
  // Never throws: a damaged database (stats() failing) is reported as out of service and
  // told to the dashboard as a failed part, rather than ending the process with nobody there.
  const heartbeat = async () => {
    let queue: { pending: number; oldestPendingAt: number | null } = { pending: 0, oldestPendingAt: null };
    let fault: string | null = null;
    try {
      guardFile();
      queue = outbox.stats();
      // Settled rows past their retention go a batch per beat (the server keeps them for good).
      outbox.prune(local.now());
    } catch (err) {
      fault = storageFault(err) ?? (err as Error).message;
      core?.noteFailure(err);
    }
    const { pending, oldestPendingAt } = queue;
    try {
      // Rows answered after this moment may or may not be in the server's count: counted
      // again here rather than hidden (the next beat settles it).
      const askedAt = local.now();
      const answer = await client.heartbeat({
        appVersion: options.appVersion ?? 'dev',
        queueDepth: pending,
        oldestUnsyncedAgeS:
          oldestPendingAt === null ? null : Math.max(0, (local.now() - oldestPendingAt) / 1000),
        readers: [
          ...[...statuses.values()].map((r) => ({
            id: r.readerId.slice(0, 64),
            kind: r.kind.slice(0, 32),
            status:
              r.state === 'present'
                ? ('ok' as const)
                : r.state === 'gone'
                  ? ('absent' as const)
                  : ('error' as const),
            ...(r.detail ? { detail: r.detail.slice(0, 200) } : {}),
          })),
          ...(fault
            ? [
                {
                  id: 'kiosk-database',
                  kind: 'storage',
                  status: 'error' as const,
                  detail: fault.slice(0, 200),
                },
              ]
            : []),
        ],
        // Kiosk minus server; null until the offset has been measured.
        clockOffsetMs: serverClock.trusted() ? -serverClock.offsetMs() : null,
      });
      if (answer.openConflicts !== undefined && !fault) {
        catalog.setOpenConflicts(answer.openConflicts, askedAt);
        core?.refresh();
      }
      if (answer.lastSeq !== undefined && !fault) {
        const again = outbox.reopenAfter(answer.lastSeq);
        if (again > 0) {
          logger.warn(
            { rows: again, serverLastSeq: answer.lastSeq },
            'the server lost answered rows: sending them again',
          );
          sync.wake();
        }
      }
    } catch (err) {
      logger.debug({ err: (err as Error).message }, 'heartbeat failed');
    }
  };
  const scheduleHeartbeat = () => {
    if (closed) return;
    heartbeatTimer = scheduler.after(
      HEARTBEAT_INTERVAL_S * 1000,
      () => void heartbeat().finally(scheduleHeartbeat),
    );
  };

  return {
    core,
    /** Item photo thumbnails, for the shell to serve to the renderer at item-photos/<hash>.jpg. */
    photos,
    enrollment,
    outbox,
    sync,
    serverClock,
    roster,
    /** A fresh device assertion (tests replay batches with it). */
    assertion: () => identity.assertion(serverClock),
    /** One heartbeat now (tests; the timer sends one every HEARTBEAT_INTERVAL_S). Never throws. */
    heartbeat: () => heartbeat(),
    async start() {
      hub.start();
      await core!.start();
      void heartbeat();
      scheduleHeartbeat();
    },
    async close() {
      closed = true;
      heartbeatTimer?.cancel();
      await hub.stop();
      await core!.stop();
      await (ports.signals ?? noSignals).close();
      // A rescue in progress reads through this connection; closing also deletes the WAL.
      await rescue;
      db.close();
    },
  };
}
