/**
 * `npm run bench`: every benchmark in one run, one table on stdout, the same figures in
 * test/bench/results.json. Shared 2-core machines are noisy, so each figure comes with a
 * baseline measured in the same run where one makes sense, and the ratio between them.
 * A missed goal is printed as missed; the fix belongs in the code, never in this file.
 * BENCH_SECONDS shortens the load runs (default 10), BENCH_PROFILE=<dir> writes CPU profiles
 * of the server and kiosk processes.
 *
 * The token and sync figures are measured on the embedded SQLite server, then again on
 * PostgreSQL with 1 replica (direct) and 3 replicas behind HAProxy (postgres-bench.ts), each
 * with its ratio to the SQLite figure of the same run. Without PostgreSQL or HAProxy those
 * rows are one skip line.
 *
 * kiosk_footprint (kiosk-footprint.ts): the kiosk core's start-up time and its RSS at rest and
 * after 1,000 transactions, on this machine's Node and on arm64 Node under qemu user-mode
 * emulation, the latter as ratios to the native run (emulation is not a Pi). Without qemu or
 * the arm64 copy those rows are one skip line. BENCH_ONLY=footprint runs that part alone and
 * updates only its entry in results.json.
 *
 * token_limits (token-limits.ts, issue 18): the tap pinned beside oidc-provider and the
 * crypto-only limit, a sustained run 6x BENCH_SECONDS long, and taps per machine with 1, 2
 * and N=cores processes on one PostgreSQL. BENCH_ONLY=token runs that part alone.
 *
 * dashboard_lists (dashboard-lists.ts, issue 17): pages of the items list at 100,000 items,
 * against the whole list of the same run; the audit log at 1,000,000 entries and 100,000
 * conflicts (dashboard-audit.ts). BENCH_ONLY=lists runs that part alone.
 * catalog_pages (catalog-pages.ts, issue 17): the kiosk's catalog pull at 10,000 items in
 * pages against the one answer of protocol 4. BENCH_ONLY=catalog runs that part alone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countOutboxInvariants } from '../fixtures/outbox-invariants.ts';
import { buildRenderer, jsGzipKb } from './bundle.ts';
import { startChild } from './child.ts';
import { benchCatalogPages, catalogPagesRows } from './catalog-pages.ts';
import { benchDashboardLists, dashboardListsRows, type DashboardListsBench } from './dashboard-lists.ts';
import { auditListsRows, benchAuditLists, type AuditListsBench } from './dashboard-audit.ts';
import { benchEnqueue } from './enqueue.ts';
import { benchKioskFootprint, footprintRows, type KioskFootprint } from './kiosk-footprint.ts';
import { benchPostgres, type PgBench, type PgSetup } from './postgres-bench.ts';
import { benchOutboxQueue, outboxQueueRows, type OutboxQueueBench } from './outbox-queue.ts';
import { peakRssMb, round, type Row } from './stats.ts';
import type { BenchUser } from './sync-kiosks.ts';
import {
  appliedExactlyOnce,
  benchSyncRuns,
  kioskRecords,
  removeKioskDirs,
  type SyncRuns,
} from './sync-runs.ts';
import { benchTapToName } from './tap-to-name.ts';
import { benchToken, CONNECTIONS } from './token.ts';
import { benchTokenLimits, tokenLimitRows, type TokenLimits } from './token-limits.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const FLEET = 20;
const SINGLE_TX = 10_000;
const FLEET_TX = 1_000;
const TAPS = 100;
/** The footprint's transactions, and how many enrolled starts its start-up and rest figures take. */
const FOOTPRINT_TX = 1_000;
const FOOTPRINT_RESTARTS = 3;
/**
 * PostgreSQL applies a sync some 5-15x slower than SQLite here (its queries are network round
 * trips, one after another), so its sync runs drain a fifth of the rows (1 x 2,000 and
 * 20 x 200): the same shape, about 20 s a setup instead of 2 minutes. Their ratios are rates
 * (tx/s) against the SQLite rates of the same run.
 */
const PG_SYNC_SHARE = 5;

type ServerInfo = { url: string; dataDir: string; codes: string[]; users: BenchUser[] };

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

const machineInfo = () => ({
  cores: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  node: process.version,
  platform: `${os.type()} ${os.release()} ${os.arch()}`,
  memory_gb: round(os.totalmem() / 2 ** 30, 1),
});

/** The kiosk footprint part; its own server, so it can also run alone (BENCH_ONLY=footprint). */
async function footprint(): Promise<KioskFootprint | { error: string }> {
  log(`kiosk_footprint: start-up and RSS, ${FOOTPRINT_TX} transactions, natively and on arm64 under qemu`);
  try {
    return await benchKioskFootprint({ transactions: FOOTPRINT_TX, restarts: FOOTPRINT_RESTARTS, log });
  } catch (err) {
    return { error: (err as Error).message.split('\n')[0]! };
  }
}

/** BENCH_ONLY=footprint: that part alone; results.json keeps the other parts' last figures. */
async function footprintOnly() {
  const machine = machineInfo();
  const kiosk_footprint = await footprint();
  const file = join(here, 'results.json');
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // none yet, or unreadable: this part's figures alone
  }
  writeFileSync(file, `${JSON.stringify({ ...previous, kiosk_footprint }, null, 2)}\n`);
  printRows(machine, footprintRows(kiosk_footprint));
}

/** The outbox-queue part: the kiosk's screen update under a long queue, and its file size. */
function queue(dir: string): OutboxQueueBench | { error: string } {
  log('outbox_queue: screen update at 10 / 1,000 / 10,000 waiting rows; file size after 20,000 tx');
  try {
    return benchOutboxQueue(dir);
  } catch (err) {
    return { error: (err as Error).message.split('\n')[0]! };
  }
}

/** BENCH_ONLY=queue: that part alone; results.json keeps the other parts' last figures. */
function queueOnly() {
  const outbox_queue = queue(os.tmpdir());
  const file = join(here, 'results.json');
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // none yet, or unreadable: this part's figures alone
  }
  writeFileSync(file, `${JSON.stringify({ ...previous, outbox_queue }, null, 2)}\n`);
  printRows(machineInfo(), outboxQueueRows(outbox_queue));
}

/** The token_limits part (its own servers). */
async function tokenLimits(): Promise<TokenLimits | { error: string }> {
  try {
    return await benchTokenLimits({ seconds: SECONDS, sustainedSeconds: 6 * SECONDS, log });
  } catch (err) {
    return { error: (err as Error).message.split('\n')[0]! };
  }
}

/** BENCH_ONLY=token: that part alone; results.json keeps the other parts' last figures. */
async function tokenOnly() {
  const token_limits = await tokenLimits();
  const file = join(here, 'results.json');
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // none yet, or unreadable: this part's figures alone
  }
  writeFileSync(file, `${JSON.stringify({ ...previous, token_limits }, null, 2)}\n`);
  printRows(machineInfo(), tokenLimitRows(token_limits));
}

type ListsResult = (DashboardListsBench | { error: string }) & {
  /** The audit log and conflicts (dashboard-audit.ts), on their own store. */
  audit?: AuditListsBench | { error: string };
};

/** The dashboard_lists part (its own stores in temp directories). */
async function dashboardLists(): Promise<ListsResult> {
  const error = (err: unknown) => ({ error: (err as Error).message.split('\n')[0]! });
  const lists = await benchDashboardLists(log).catch(error);
  const audit = await benchAuditLists(log).catch(error);
  return { ...lists, audit };
}

/** Every row of the dashboard_lists part. */
const listsRows = (r: ListsResult) => [...dashboardListsRows(r), ...auditListsRows(r.audit)];

/** BENCH_ONLY=catalog: the kiosk's paged catalog pull against the one answer (catalog-pages.ts). */
const catalogPages = () =>
  benchCatalogPages(log).catch((err: unknown) => ({ error: (err as Error).message.split('\n')[0]! }));

async function catalogOnly() {
  const catalog_pages = await catalogPages();
  const file = join(here, 'results.json');
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // none yet, or unreadable: this part's figures alone
  }
  writeFileSync(file, `${JSON.stringify({ ...previous, catalog_pages }, null, 2)}\n`);
  printRows(machineInfo(), catalogPagesRows(catalog_pages));
}

/** BENCH_ONLY=lists: that part alone; results.json keeps the other parts' last figures. */
async function listsOnly() {
  const dashboard_lists = await dashboardLists();
  const file = join(here, 'results.json');
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // none yet, or unreadable: this part's figures alone
  }
  writeFileSync(file, `${JSON.stringify({ ...previous, dashboard_lists }, null, 2)}\n`);
  printRows(machineInfo(), listsRows(dashboard_lists));
}

async function main() {
  if (process.env.BENCH_ONLY === 'lists') return listsOnly();
  if (process.env.BENCH_ONLY === 'catalog') return catalogOnly();
  if (process.env.BENCH_ONLY === 'footprint') return footprintOnly();
  if (process.env.BENCH_ONLY === 'queue') return queueOnly();
  if (process.env.BENCH_ONLY === 'token') return tokenOnly();
  if (process.env.BENCH_ONLY)
    throw new Error(
      `BENCH_ONLY=${process.env.BENCH_ONLY}: only 'footprint', 'queue', 'token', 'lists' and 'catalog' are known`,
    );
  const machine = machineInfo();
  // People: 1 for the single sync, FLEET for the fleet, 4 for the taps. Kiosks: token,
  // single, fleet, tap.
  const server = startChild(join(here, 'bench-server.ts'), {
    // The embedded server: none of the PostgreSQL replica's variables, whatever the shell has.
    RENTAL_DATABASE_URL: '',
    RENTAL_MASTER_KEY: '',
    RENTAL_MASTER_KEY_FILE: '',
    RENTAL_SERVER_ISSUER: '',
    RENTAL_SERVER_PORT: '',
    RENTAL_TRUST_PROXY: '',
    BENCH_PEOPLE: String(1 + FLEET + 4),
    BENCH_KIOSKS: String(4 + FLEET),
  });
  let runs: Partial<SyncRuns> = {};
  let serverDir: string | undefined;
  const work = mkdtempSync(join(os.tmpdir(), 'rental-bench-'));
  try {
    const info = await server.next<ServerInfo>();
    serverDir = info.dataDir;
    const code = (() => {
      let i = 0;
      return () => info.codes[i++]!;
    })();
    log(`token: ${CONNECTIONS} connections, ${SECONDS} s per route`);
    const tok = await benchToken(info.url, code(), SECONDS);
    const serverRss = peakRssMb(server.pid);

    runs = await benchSyncRuns({
      serverUrl: info.url,
      codes: Array.from({ length: 1 + FLEET }, code),
      users: info.users.slice(0, 1 + FLEET),
      fleet: FLEET,
      singleTx: SINGLE_TX,
      fleetTx: FLEET_TX,
      log,
    });
    const { single, fleet } = runs as SyncRuns;
    const inv = countOutboxInvariants(info.dataDir, kioskRecords(runs as SyncRuns));
    const exactlyOnce = appliedExactlyOnce(inv, runs as SyncRuns);
    removeKioskDirs(runs);
    runs = {};

    log('postgres: the token and sync runs on PostgreSQL, 1 replica and 3 behind HAProxy');
    const pgStart = Date.now();
    const pg = await benchPostgres({
      seconds: SECONDS,
      fleet: FLEET,
      singleTx: SINGLE_TX / PG_SYNC_SHARE,
      fleetTx: FLEET_TX / PG_SYNC_SHARE,
      // Room for 1.5x the SQLite tap rate (3 replicas may use both cores where one cannot).
      tapMaxRps: Math.min(8_000, Math.max(1_000, Math.ceil(tok.full.rps * 1.5))),
      log,
    });
    if ('skipped' in pg) log(`postgres: skipped: ${pg.skipped}`);
    else log(`postgres: done in ${Math.round((Date.now() - pgStart) / 1000)} s`);

    log('enqueue: outbox commits vs raw write+fsync');
    const enqueue = benchEnqueue(work, 2_000);
    const outbox_queue = queue(work);

    log('bundle: vite build of the renderer');
    const rendererDir = join(work, 'renderer');
    buildRenderer(root, rendererDir);
    const bundle = jsGzipKb(rendererDir);

    log(`tap_to_name: ${TAPS} taps in Chromium`);
    let online: { p50_ms: number; p95_ms: number; taps: number } | { error: string };
    try {
      online = await benchTapToName({
        serverUrl: info.url,
        enrollCode: code(),
        rendererDir,
        people: info.users.slice(1 + FLEET),
        taps: TAPS,
      });
    } catch (err) {
      online = { error: (err as Error).message.split('\n')[0]! };
    }
    // Offline after the online run: those taps gave every badge its roster hash.
    log(`tap_to_name offline: ${TAPS} taps in Chromium through the signed roster`);
    let offline: { p50_ms: number; p95_ms: number; taps: number } | { error: string };
    try {
      offline = await benchTapToName({
        serverUrl: info.url,
        enrollCode: code(),
        rendererDir,
        people: info.users.slice(1 + FLEET),
        taps: TAPS,
        offline: true,
      });
    } catch (err) {
      offline = { error: (err as Error).message.split('\n')[0]! };
    }

    const kiosk_footprint = await footprint();
    const token_limits = await tokenLimits();
    const dashboard_lists = await dashboardLists();
    const catalog_pages = await catalogPages();

    const results = {
      machine,
      token: {
        rps: tok.full.rps,
        p50_ms: tok.full.p50_ms,
        p99_ms: tok.full.p99_ms,
        errors: tok.full.errors,
        ...(tok.full.error_kinds ? { error_kinds: tok.full.error_kinds } : {}),
        baseline_rps: tok.base.rps,
        ratio: round(tok.full.rps / tok.base.rps, 2),
        token_baseline: tok.base,
        assertions: { signed: tok.assertionsSigned, used: tok.assertionsUsed },
        connections: CONNECTIONS,
        seconds: SECONDS,
      },
      sync: {
        single: { transactions: single.transactions, seconds: single.seconds, tx_per_s: single.tx_per_s },
        fleet: {
          kiosks: fleet.kiosks,
          transactions: fleet.transactions,
          seconds: fleet.seconds,
          tx_per_s: fleet.tx_per_s,
        },
        applied_exactly_once: exactlyOnce,
        invariants: { ...inv, inconsistentItems: inv.inconsistentItems.length },
      },
      enqueue,
      outbox_queue,
      postgres: withRatios(pg, {
        token_rps: tok.full.rps,
        single_tx_per_s: single.tx_per_s,
        fleet_tx_per_s: fleet.tx_per_s,
      }),
      tap_to_name: { online, offline },
      bundle,
      memory: { server_rss_mb: serverRss, kiosk_rss_mb: single.rss_mb },
      kiosk_footprint,
      token_limits,
      dashboard_lists,
      catalog_pages,
    };
    writeFileSync(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    printTable(results, postgresRows(pg, { token: tok.full, single, fleet }), [
      ...outboxQueueRows(outbox_queue),
      ...footprintRows(kiosk_footprint),
      ...tokenLimitRows(token_limits),
      ...listsRows(dashboard_lists),
      ...catalogPagesRows(catalog_pages),
    ]);
  } finally {
    removeKioskDirs(runs);
    await server.stop();
    // The server removes its data dir when it stops; this is for one that died instead.
    if (serverDir) rmSync(serverDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

type SqliteRefs = { token_rps: number; single_tx_per_s: number; fleet_tx_per_s: number };

/** The PostgreSQL figures with their ratios to the SQLite ones (and, for 3 replicas, to 1). */
function withRatios(pg: PgBench, sqlite: SqliteRefs) {
  if (!('one' in pg)) return pg;
  const one = 'replicas' in pg.one ? pg.one : null;
  const add = (s: PgSetup) => {
    if (!('replicas' in s)) return s;
    const vsOne = (mine: number, theirs: number | undefined) =>
      s.replicas > 1 && theirs ? { ratio_vs_one_replica: round(mine / theirs, 2) } : {};
    return {
      ...s,
      token: {
        ...s.token,
        ratio_vs_sqlite: round(s.token.rps / sqlite.token_rps, 2),
        ...vsOne(s.token.rps, one?.token.rps),
      },
      sync: {
        ...s.sync,
        single: {
          ...s.sync.single,
          ratio_vs_sqlite: round(s.sync.single.tx_per_s / sqlite.single_tx_per_s, 2),
          ...vsOne(s.sync.single.tx_per_s, one?.sync.single.tx_per_s),
        },
        fleet: {
          ...s.sync.fleet,
          ratio_vs_sqlite: round(s.sync.fleet.tx_per_s / sqlite.fleet_tx_per_s, 2),
          ...vsOne(s.sync.fleet.tx_per_s, one?.sync.fleet.tx_per_s),
        },
      },
    };
  };
  return { sqlite, one: add(pg.one), three: add(pg.three) };
}

/** The table's PostgreSQL rows: one skip or failure line, or five rows per setup. */
function postgresRows(
  pg: PgBench,
  sqlite: {
    token: { rps: number; p50_ms: number; p99_ms: number };
    single: { tx_per_s: number };
    fleet: { kiosks: number; tx_per_s: number };
  },
): Row[] {
  if ('skipped' in pg) return [['PostgreSQL token + sync rows', `skipped: ${pg.skipped}`, '', '', '', null]];
  if ('error' in pg) return [['PostgreSQL token + sync rows', `failed: ${pg.error}`, '', '', '', false]];
  const ratio = (a: number, b: number) => `${round(a / b, 2)}`;
  const count = (n: number) => n.toLocaleString('en-US');
  const setup = (name: string, s: PgSetup): Row[] => {
    if ('skipped' in s) return [[`${name} rows`, `skipped: ${s.skipped}`, '', '', '', null]];
    if ('error' in s) return [[`${name} rows`, `failed: ${s.error}`, '', '', '', false]];
    const t = s.token;
    return [
      [
        `token ${name} (req/s)`,
        `${t.rps}`,
        `${sqlite.token.rps} SQLite`,
        ratio(t.rps, sqlite.token.rps),
        '',
        null,
      ],
      [
        `token ${name} p50 / p99 (ms), errors`,
        `${t.p50_ms} / ${t.p99_ms}, ${t.errors} errors`,
        `${sqlite.token.p50_ms} / ${sqlite.token.p99_ms} SQLite`,
        '',
        '0 errors',
        t.errors === 0,
      ],
      [
        `sync ${name} 1 kiosk x ${count(s.sync.single.transactions)} (tx/s)`,
        `${s.sync.single.tx_per_s} (${s.sync.single.seconds} s)`,
        `${sqlite.single.tx_per_s} SQLite`,
        ratio(s.sync.single.tx_per_s, sqlite.single.tx_per_s),
        '',
        null,
      ],
      [
        `sync ${name} ${s.sync.fleet.kiosks} kiosks x ${count(s.sync.fleet.transactions / s.sync.fleet.kiosks)} (tx/s)`,
        `${s.sync.fleet.tx_per_s} (${s.sync.fleet.seconds} s)`,
        `${sqlite.fleet.tx_per_s} SQLite`,
        ratio(s.sync.fleet.tx_per_s, sqlite.fleet.tx_per_s),
        '',
        null,
      ],
      [
        `sync ${name} applied exactly once`,
        `${s.sync.applied_exactly_once}`,
        '',
        '',
        'true',
        s.sync.applied_exactly_once,
      ],
    ];
  };
  return [...setup('PG 1 replica', pg.one), ...setup('PG 3 replicas + HAProxy', pg.three)];
}

function printTable(
  r: {
    machine: { cores: number; cpu: string; node: string };
    token: {
      rps: number;
      p50_ms: number;
      p99_ms: number;
      errors: number;
      baseline_rps: number;
      ratio: number;
    };
    sync: {
      single: { transactions: number; seconds: number; tx_per_s: number };
      fleet: { kiosks: number; transactions: number; seconds: number; tx_per_s: number };
      applied_exactly_once: boolean;
    };
    enqueue: { p50_ms: number; p99_ms: number; fsync_p50_ms: number; ratio: number };
    tap_to_name: {
      online: { p50_ms: number; p95_ms: number } | { error: string };
      offline: { p50_ms: number; p95_ms: number } | { error: string };
    };
    bundle: { js_gzip_kb: number };
    memory: { server_rss_mb: number; kiosk_rss_mb: number };
  },
  pgRows: Row[],
  footprint: Row[],
) {
  const t = r.token;
  const on = r.tap_to_name.online;
  const off = r.tap_to_name.offline;
  const rows: Row[] = [
    [
      'token tap -> rental token (req/s)',
      `${t.rps}`,
      `${t.baseline_rps} sign-only`,
      `${t.ratio}`,
      '>= 0.4 of baseline',
      t.ratio >= 0.4,
    ],
    ['token latency p50 / p99 (ms)', `${t.p50_ms} / ${t.p99_ms}`, '', '', 'p99 < 10', t.p99_ms < 10],
    ['token errors', `${t.errors}`, '', '', '0', t.errors === 0],
    [
      'sync 1 kiosk x 10,000 (tx/s)',
      `${r.sync.single.tx_per_s} (${r.sync.single.seconds} s)`,
      '',
      '',
      '>= 10,000',
      r.sync.single.tx_per_s >= 10_000,
    ],
    [
      `sync ${r.sync.fleet.kiosks} kiosks x 1,000 (tx/s)`,
      `${r.sync.fleet.tx_per_s} (${r.sync.fleet.seconds} s)`,
      '',
      '',
      '>= 10,000',
      r.sync.fleet.tx_per_s >= 10_000,
    ],
    [
      'sync applied exactly once',
      `${r.sync.applied_exactly_once}`,
      '',
      '',
      'true',
      r.sync.applied_exactly_once,
    ],
    ...pgRows,
    [
      'enqueue commit p50 / p99 (ms)',
      `${r.enqueue.p50_ms} / ${r.enqueue.p99_ms}`,
      `${r.enqueue.fsync_p50_ms} raw fsync`,
      `${r.enqueue.ratio}`,
      '>= 0.6 of raw',
      r.enqueue.ratio >= 0.6,
    ],
    'error' in on
      ? ['tap_to_name online', `failed: ${on.error}`, '', '', 'p95 < 100', false]
      : [
          'tap_to_name online p50 / p95 (ms)',
          `${on.p50_ms} / ${on.p95_ms}`,
          '',
          '',
          'p95 < 100',
          on.p95_ms < 100,
        ],
    'error' in off
      ? ['tap_to_name offline', `failed: ${off.error}`, '', '', 'p95 < 50', false]
      : [
          'tap_to_name offline p50 / p95 (ms)',
          `${off.p50_ms} / ${off.p95_ms}`,
          '',
          '',
          'p95 < 50',
          off.p95_ms < 50,
        ],
    ['bundle renderer JS gzip (KB)', `${r.bundle.js_gzip_kb}`, '', '', '<= 150', r.bundle.js_gzip_kb <= 150],
    ['memory server peak RSS after token run (MB)', `${r.memory.server_rss_mb}`, '', '', '', null],
    ['memory kiosk core peak RSS after sync (MB)', `${r.memory.kiosk_rss_mb}`, '', '', '', null],
    ...footprint,
  ];
  printRows(r.machine, rows);
}

function printRows(machine: { cores: number; cpu: string; node: string }, rows: Row[]) {
  const head: Row = ['figure', 'value', 'baseline', 'ratio', 'goal', null];
  const cells = [head, ...rows].map(
    (row) =>
      [
        ...row.slice(0, 5),
        row === head ? 'met?' : row[5] === null ? '-' : row[5] ? 'yes' : 'MISSED',
      ] as string[],
  );
  const widths = cells[0]!.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  console.log(`machine: ${machine.cores} cores, ${machine.cpu}, Node ${machine.node}`);
  console.log(line(cells[0]!));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of cells.slice(1)) console.log(line(row));
  console.log(`written: ${join(here, 'results.json')}`);
}

// Exit once done: the table is printed and everything started was stopped; a handle some
// library left open must not keep the bench from returning.
main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
