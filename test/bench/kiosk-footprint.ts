/**
 * kiosk_footprint: what the kiosk core costs to start and to keep running, on this machine's
 * Node and on the arm64 Node a Raspberry Pi runs, here under qemu user-mode emulation.
 *
 * The kiosk is the crash suites' kiosk process (test/fixtures/kiosk-process.ts, the runner's
 * footprint mode: the very createKiosk of the web host, simulated badge reader) against a
 * bench server of its own. Per platform, one data dir:
 *   - first start: spawn with an enrollment code to `ready` (key generated, enrolled, catalog
 *     pulled, sync loop running, idle screen), then its RSS once at rest (the resident set
 *     stopped moving);
 *   - 1,000 transactions: people tap and borrow or return at the kiosk's own API (the
 *     crash suites' visits) until 1,000 are confirmed, the outbox syncs until empty, and the
 *     RSS is read again once at rest, with the peak so far (at the end, every transaction
 *     the kiosks confirmed is counted on the server: exactly once, none pending);
 *   - three restarts of that data dir (enrolled, the 1,000 rows in its database): spawn to
 *     `ready` and RSS at rest, the start-up figures a kiosk that boots every morning has;
 *     their medians are the table's.
 * The transactions run once per platform: under emulation they take some four minutes.
 *
 * Emulation is not a Pi: qemu translates every arm64 instruction (the kiosk's JavaScript runs
 * about ten times slower) and the RSS of the qemu process holds the emulator's own
 * translated-code cache besides the guest's memory. So the arm64 figures are reported beside
 * the native ones as ratios, emulated / native, never as what a Pi would measure; the native
 * RSS is the nearer estimate of a Pi's. Without qemu or a built arm64 copy (`npm run
 * test:arm64` builds it; BENCH_ARM64_BUILD=1 builds it here, about 3 min) the arm64 rows
 * are one skip line.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCopy, cacheKey, cachedCopy } from '../../scripts/arm64/build.ts';
import { missingTools, which } from '../../scripts/arm64/tools.ts';
import type { Confirmed } from '../fixtures/kiosk-driver.ts';
import { countOutboxInvariants, type KioskRecord } from '../fixtures/outbox-invariants.ts';
import { bundleRunner, spawnKiosk, type KioskProcess, type RunnerEnv } from '../fixtures/kiosk-process.ts';
import { startChild } from './child.ts';
import { peakRssMb, round, rssMb, type Row } from './stats.ts';

const here = dirname(fileURLToPath(import.meta.url));

export const EMULATION_LABEL =
  'arm64 under qemu user-mode emulation (not a Pi: a ratio to native, not a Pi’s figure)';

/** One platform's figures; the start-up and at-rest ones are medians over the restarts. */
export type Figures = {
  /** Spawn to `ready` of an enrolled kiosk whose database holds the transactions. */
  startup_ms: number;
  /** RSS once settled after such a start. */
  rest_rss_mb: number;
  /** Spawn to `ready` of a fresh data dir: key generation and enrolment first (one start). */
  first_start_ms: number;
  /** First tap to the outbox synced empty. */
  tx_seconds: number;
  /** RSS once settled after the transactions. */
  after_tx_rss_mb: number;
  /**
   * Peak RSS over the first start and the transactions; in results.json only (V8 keeps the
   * heap it grew, so at rest after the transactions it was the same figure).
   */
  after_tx_peak_rss_mb: number;
};

export type PlatformFootprint = {
  node: string;
  launcher: string;
  figures: Figures;
  /** Each restart's figures, whose medians are `startup_ms` and `rest_rss_mb`. */
  restarts: { startup_ms: number; rest_rss_mb: number }[];
  /** RSS at rest after the first start (fresh data dir, just enrolled). */
  first_rest_rss_mb: number;
};

export type KioskFootprint = {
  transactions: number;
  restarts: number;
  /**
   * Every transaction a kiosk confirmed is on the server exactly once, none left pending
   * (both platforms' kiosks, counted from their outbox files and the server's rows).
   */
  applied_exactly_once: boolean;
  /** How the server judged them, by `status[:code]`. */
  outcomes: Record<string, number>;
  native: PlatformFootprint;
  arm64: (PlatformFootprint & { label: string; ratio: Figures }) | { skipped: string } | { error: string };
};

type NodeCmd = NonNullable<RunnerEnv['node']>;

const FIGURES: (keyof Figures)[] = [
  'startup_ms',
  'rest_rss_mb',
  'first_start_ms',
  'tx_seconds',
  'after_tx_rss_mb',
  'after_tx_peak_rss_mb',
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The resident set once it has stopped moving: sampled every 500 ms, settled when the last
 * four samples (1.5 s) lie within 1 MB, read anyway after `maxMs`.
 */
async function settledRssMb(p: KioskProcess, maxMs: number): Promise<number> {
  const samples: number[] = [];
  const until = Date.now() + maxMs;
  const read = () => {
    try {
      return rssMb(p.pid);
    } catch {
      throw new Error(`the kiosk process ended at rest; stderr: ${p.stderr().slice(-500)}`);
    }
  };
  for (;;) {
    samples.push(read());
    const last = samples.slice(-4);
    if (last.length === 4 && Math.max(...last) - Math.min(...last) <= 1) return last[3]!;
    if (Date.now() > until) return samples.at(-1)!;
    await sleep(500);
  }
}

async function stop(p: KioskProcess): Promise<void> {
  p.kill('SIGTERM');
  const late = setTimeout(() => p.kill('SIGKILL'), 5_000);
  await p.exited;
  clearTimeout(late);
}

/**
 * One platform: a first start on a fresh data dir (enrols), its RSS at rest, the
 * transactions, the RSS after them; then `restarts` starts of the same data dir.
 */
async function platform(opts: {
  name: string;
  serverUrl: string;
  enrollCode: string;
  transactions: number;
  restarts: number;
  node: NodeCmd | undefined;
  /** Room for emulation: every time limit is this many times the native one. */
  slow: number;
  log: (msg: string) => void;
  /** Where the data dir goes (removed by the caller, after the exactly-once count). */
  dataDir: string;
}): Promise<Omit<PlatformFootprint, 'node' | 'launcher'> & { confirmed: Confirmed[] }> {
  const { dataDir } = opts;
  const spawn = (enrollCode?: string) =>
    spawnKiosk({
      dataDir,
      serverUrl: opts.serverUrl,
      seed: 1_000,
      mode: 'footprint',
      env: { RUNNER_TRANSACTIONS: String(opts.transactions) },
      ...(enrollCode ? { enrollCode } : {}),
      ...(opts.node ? { node: opts.node } : {}),
    });
  const ready = async (enrollCode?: string) => {
    const t0 = performance.now();
    const p = await spawn(enrollCode);
    try {
      await p.until((e) => e.ev === 'ready', 30_000 * opts.slow);
    } catch (err) {
      await stop(p);
      throw err;
    }
    return { p, ms: Math.round(performance.now() - t0) };
  };
  let p: KioskProcess | undefined;
  try {
    const first = await ready(opts.enrollCode);
    p = first.p;
    const firstRest = await settledRssMb(p, 10_000 * opts.slow);
    opts.log(
      `footprint ${opts.name}: first start ${first.ms} ms (enrols), at rest ${firstRest} MB; ` +
        `${opts.transactions} borrow/return taps`,
    );
    const t0 = performance.now();
    p.kill('SIGUSR2');
    const drained = await p.until((e) => e.ev === 'drained' || e.ev === 'fatal', 300_000 * opts.slow);
    if (drained.ev !== 'drained' || drained.pending !== 0)
      throw new Error(`the kiosk did not sync its transactions: ${JSON.stringify(drained)}`);
    const txSeconds = round((performance.now() - t0) / 1000, 1);
    const confirmed = p.events.flatMap((e) =>
      e.ev === 'confirmed' ? [{ id: e.id, kind: e.kind, itemId: e.itemId, userId: e.userId }] : [],
    );
    const after = await settledRssMb(p, 10_000 * opts.slow);
    const peak = peakRssMb(p.pid);
    await stop(p);
    p = undefined;
    opts.log(`footprint ${opts.name}: ${opts.transactions} tx synced in ${txSeconds} s, then ${after} MB`);

    const restarts: PlatformFootprint['restarts'] = [];
    for (let i = 0; i < opts.restarts; i++) {
      const r = await ready();
      p = r.p;
      restarts.push({ startup_ms: r.ms, rest_rss_mb: await settledRssMb(p, 10_000 * opts.slow) });
      await stop(p);
      p = undefined;
    }
    opts.log(
      `footprint ${opts.name}: restarts ${restarts.map((r) => `${r.startup_ms} ms ${r.rest_rss_mb} MB`).join(', ')}`,
    );
    return {
      figures: {
        startup_ms: Math.round(median(restarts.map((r) => r.startup_ms))),
        rest_rss_mb: median(restarts.map((r) => r.rest_rss_mb)),
        first_start_ms: first.ms,
        tx_seconds: txSeconds,
        after_tx_rss_mb: after,
        after_tx_peak_rss_mb: peak,
      },
      restarts,
      first_rest_rss_mb: firstRest,
      confirmed,
    };
  } finally {
    if (p) await stop(p);
  }
}

/**
 * The arm64 Node, its bundle and its launcher: the cached arm64 copy (built only when
 * BENCH_ARM64_BUILD=1), the runner bundle in a work dir whose node_modules is the copy's
 * (so better-sqlite3 is the arm64 build), and qemu-aarch64-static -L <sysroot> unless
 * binfmt_misc runs arm64 executables directly (the same choice as scripts/arm64/run.ts).
 */
async function arm64Node(
  work: string,
  log: (msg: string) => void,
): Promise<{ node: NodeCmd; version: string; launcher: string } | { skipped: string }> {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return {
      skipped: `emulation is set up for x86-64 Linux hosts (this is ${process.platform} ${process.arch})`,
    };
  const key = cacheKey();
  let copy = cachedCopy(key);
  const build = !copy && process.env.BENCH_ARM64_BUILD === '1';
  const missing = missingTools({ build });
  if (missing) return { skipped: missing };
  if (!copy && !build)
    return {
      skipped:
        `no arm64 copy built for this lockfile (node_modules/.cache/arm64/${key}): ` +
        '`npm run test:arm64` builds it, or BENCH_ARM64_BUILD=1 here (about 3 min)',
    };
  if (!copy) {
    log(`footprint: building the arm64 copy (cache key ${key}, about 3 min; reused after)`);
    copy = await buildCopy(key);
  }
  const runner = join(work, 'kiosk-runner.mjs');
  copyFileSync(await bundleRunner(), runner);
  symlinkSync(join(copy.dir, 'node_modules'), join(work, 'node_modules'));
  const realNode = join(copy.dir, 'node', 'bin', 'node');
  const sysroot = join(copy.dir, 'sysroot');
  const env = { QEMU_LD_PREFIX: sysroot };
  const direct = spawnSync(realNode, ['-p', 'process.arch'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  const node: NodeCmd =
    direct.status === 0 && direct.stdout.trim() === 'arm64'
      ? { command: realNode, args: [], runner, env }
      : { command: which('qemu-aarch64-static')!, args: ['-L', sysroot, realNode], runner, env };
  const probe = spawnSync(
    node.command,
    [...node.args, '-p', 'JSON.stringify([process.arch, process.version])'],
    {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    },
  );
  if (probe.status !== 0) throw new Error(`the arm64 Node does not start: ${probe.stderr}`);
  const [arch, version] = JSON.parse(probe.stdout) as string[];
  if (arch !== 'arm64') throw new Error(`expected process.arch arm64, got ${arch}`);
  const qemu = spawnSync('qemu-aarch64-static', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  return {
    node,
    version: version!,
    launcher: node.args.length ? `${qemu}, qemu-aarch64-static -L <sysroot>` : `${qemu} via binfmt_misc`,
  };
}

export async function benchKioskFootprint(opts: {
  transactions: number;
  restarts: number;
  log: (msg: string) => void;
}): Promise<KioskFootprint> {
  const server = startChild(join(here, 'bench-server.ts'), {
    // The embedded server, as in run.ts: none of the PostgreSQL replica's variables.
    RENTAL_DATABASE_URL: '',
    RENTAL_MASTER_KEY: '',
    RENTAL_MASTER_KEY_FILE: '',
    RENTAL_SERVER_ISSUER: '',
    RENTAL_SERVER_PORT: '',
    RENTAL_TRUST_PROXY: '',
    BENCH_PEOPLE: '0',
    BENCH_KIOSKS: '2',
  });
  const work = mkdtempSync(join(tmpdir(), 'rental-bench-footprint-'));
  const kiosks: KioskRecord[] = [];
  const kioskDir = (name: string) => {
    const dataDir = join(work, name);
    mkdirSync(dataDir);
    kiosks.push({ dataDir, confirmed: [] });
    return dataDir;
  };
  let serverDir: string | undefined;
  try {
    const info = await server.next<{ url: string; dataDir: string; codes: string[] }>();
    serverDir = info.dataDir;
    await bundleRunner(); // built once, before any start is timed
    const common = {
      serverUrl: info.url,
      transactions: opts.transactions,
      restarts: opts.restarts,
      log: opts.log,
    };

    opts.log(`footprint: native ${process.arch} Node ${process.version}`);
    const { confirmed, ...nativeFigures } = await platform({
      ...common,
      name: process.arch,
      enrollCode: info.codes[0]!,
      node: undefined,
      slow: 1,
      dataDir: kioskDir('kiosk-native'),
    });
    kiosks[0]!.confirmed = confirmed;
    const native: PlatformFootprint = {
      node: process.version,
      launcher: 'this machine’s Node',
      ...nativeFigures,
    };

    let arm64: KioskFootprint['arm64'];
    try {
      const a = await arm64Node(work, opts.log);
      if ('skipped' in a) {
        opts.log(`footprint: arm64 skipped: ${a.skipped}`);
        arm64 = a;
      } else {
        opts.log(`footprint: ${EMULATION_LABEL}; Node ${a.version}, ${a.launcher}; minutes, not seconds`);
        const { confirmed, ...emulated } = await platform({
          ...common,
          name: 'arm64 (qemu)',
          enrollCode: info.codes[1]!,
          node: a.node,
          slow: 10,
          dataDir: kioskDir('kiosk-arm64'),
        });
        kiosks[1]!.confirmed = confirmed;
        arm64 = {
          label: EMULATION_LABEL,
          node: a.version,
          launcher: a.launcher,
          ...emulated,
          ratio: Object.fromEntries(
            FIGURES.map((f) => [f, round(emulated.figures[f] / native.figures[f], 2)]),
          ) as Figures,
        };
      }
    } catch (err) {
      arm64 = { error: (err as Error).message.split('\n')[0]! };
    }
    // A kiosk dir whose platform failed or was skipped holds no confirmed row to count.
    const inv = countOutboxInvariants(
      info.dataDir,
      kiosks.filter((k) => existsSync(join(k.dataDir, 'kiosk.db'))),
    );
    const expected = kiosks.reduce((n, k) => n + k.confirmed.length, 0);
    return {
      transactions: opts.transactions,
      restarts: opts.restarts,
      applied_exactly_once:
        inv.confirmed === expected &&
        inv.applied === inv.confirmed &&
        inv.lost === 0 &&
        inv.duplicated === 0 &&
        inv.pending === 0 &&
        inv.mismatched === 0,
      outcomes: inv.outcomes,
      native,
      arm64,
    };
  } finally {
    await server.stop();
    if (serverDir) rmSync(serverDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The table's rows: each figure natively; then, under a line that says what emulation is,
 * each figure on arm64 under qemu with the native one as its baseline and the ratio.
 */
export function footprintRows(f: KioskFootprint | { error: string }): Row[] {
  if ('error' in f) return [['kiosk footprint', `failed: ${f.error}`, '', '', '', false]];
  const tx = f.transactions.toLocaleString('en-US');
  const median = `median of ${f.restarts}`;
  const what: [keyof Figures, string, string][] = [
    ['startup_ms', 'kiosk start-up to idle, enrolled (ms)', median],
    ['rest_rss_mb', 'kiosk RSS at rest after start-up (MB)', median],
    ['first_start_ms', 'kiosk first start to idle, enrols (ms)', '1 start'],
    ['tx_seconds', `kiosk ${tx} taps committed + synced (s)`, '1 run'],
    ['after_tx_rss_mb', `kiosk RSS at rest after ${tx} tx (MB)`, '1 run'],
  ];
  const rows: Row[] = what.map(([k, label, n]) => [
    `${label}, ${process.arch} native`,
    `${f.native.figures[k]} (${n})`,
    '',
    '',
    '',
    null,
  ]);
  const once: Row = [
    'kiosk footprint tx on the server exactly once',
    `${f.applied_exactly_once}`,
    '',
    '',
    'true',
    f.applied_exactly_once,
  ];
  const arm = f.arm64;
  const [emulation, notAPi] = EMULATION_LABEL.split(' (');
  if ('skipped' in arm)
    return [...rows, [`kiosk ${emulation}`, `skipped: ${arm.skipped}`, '', '', '', null], once];
  if ('error' in arm)
    return [...rows, [`kiosk ${emulation}`, `failed: ${arm.error}`, '', '', '', false], once];
  return [
    ...rows,
    // The label across the row: what the rows below are, and what they are not.
    [`rows below: ${emulation}`, `(${notAPi}`, 'native', 'arm64/native', '', null],
    ...what.map(([k, label]): Row => [
      `${label}, arm64 qemu`,
      `${arm.figures[k]}`,
      `${f.native.figures[k]}`,
      `${arm.ratio[k]}`,
      '',
      null,
    ]),
    once,
  ];
}

// `tsx test/bench/kiosk-footprint.ts`: this section alone (FOOTPRINT_TX, FOOTPRINT_RESTARTS).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const f = await benchKioskFootprint({
    transactions: Number(process.env.FOOTPRINT_TX ?? 1_000),
    restarts: Number(process.env.FOOTPRINT_RESTARTS ?? 3),
    log: (msg) => process.stderr.write(`bench: ${msg}\n`),
  });
  console.log(JSON.stringify(f, null, 2));
  for (const r of footprintRows(f)) console.log(r.slice(0, 4).join(' | '));
  process.exit(0);
}
