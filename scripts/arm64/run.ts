/**
 * `npm run test:arm64`: the kiosk side's suites on arm64 Node.
 *
 * On an x86-64 machine: builds (or reuses) the arm64 copy (build.ts), puts this checkout's
 * sources next to it, and runs vitest itself under the arm64 Node in user-mode emulation
 * (qemu-aarch64-static), so every test file, the server those suites start, and the kiosk
 * processes the crash suite kills are arm64 Node with arm64 native modules. On an arm64
 * machine (a Raspberry Pi) it runs the same suites on the machine's own Node.
 *
 * A missing system package is a skip with a one-line reason, and a failure when RENTAL_CI=1.
 * ARM64_KEEP=1 keeps the run's work dir; ARM64_REBUILD=1 rebuilds the cached copy.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { stripVTControlCharacters } from 'node:util';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, buildCopy, cacheKey, cachedCopy, type Manifest } from './build.ts';
import { missingTools, which } from './tools.ts';

/** What runs on arm64 is picked in scripts/arm64/vitest.config.ts (ARM64_SUITES). */
const CONFIG = 'scripts/arm64/vitest.config.ts';

/**
 * Emulation runs JavaScript about ten times slower: vitest's own limits get ten times the
 * room (vitest.config.ts: 30 s per test, 60 s per hook). Limits written inside a test stay.
 */
const TIMEOUTS = ['--testTimeout=300000', '--hookTimeout=600000', '--teardownTimeout=60000'];

/**
 * vitest runs one file at a time on a 2-CPU machine (CPUs - 1 workers). The emulated suites
 * spend much of their time waiting (on child processes, the loopback server, timers), so
 * two files at a time at least: the crash suite beside the rest.
 */
const WORKERS = [`--maxWorkers=${Math.max(2, availableParallelism() - 1)}`];

/** What the arm64 run's workspace gets from this checkout: the code under test and its config. */
const SOURCES = [
  'protocol',
  'server',
  'src-main',
  'hardware',
  'src-renderer',
  'test',
  'scripts/arm64',
  'deploy/pi',
  'package.json',
  'tsconfig.json',
  'vitest.config.ts',
];

const CI = process.env.RENTAL_CI === '1';
const log = (line: string) => console.log(`[arm64] ${line}`);

function skipOrFail(reason: string): never {
  if (CI) {
    console.error(`test:arm64 cannot run in CI: ${reason}`);
    process.exit(1);
  }
  console.log(`test:arm64 skipped: ${reason}`);
  process.exit(0);
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

type FileResult = {
  name: string;
  status: string;
  startTime: number;
  endTime: number;
  assertionResults: { status: string; title: string; fullName?: string }[];
};
type JsonReport = {
  numTotalTestSuites: number;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
  testResults: FileResult[];
};

/** Runs `cmd args`, copying its output through and keeping the lines that match `keep`. */
function runThrough(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; keep: RegExp },
): Promise<{ code: number; kept: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'inherit'] });
    const kept: string[] = [];
    let partial = '';
    child.stdout.on('data', (d: Buffer) => {
      process.stdout.write(d);
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) {
        const plain = stripVTControlCharacters(l).trim();
        if (opts.keep.test(plain)) kept.push(plain);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), kept }));
  });
}

/** The arm64 Node runs directly when binfmt_misc knows arm64; otherwise through a qemu shim. */
function nodeLauncher(copyDir: string, work: string): { node: string; mode: string; env: NodeJS.ProcessEnv } {
  const realNode = join(copyDir, 'node', 'bin', 'node');
  const sysroot = join(copyDir, 'sysroot');
  const bin = join(work, 'bin');
  const env: NodeJS.ProcessEnv = { QEMU_LD_PREFIX: sysroot };
  const direct = spawnSync(realNode, ['-p', 'process.arch'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (direct.status === 0 && direct.stdout.trim() === 'arm64') {
    symlinkSync(realNode, join(bin, 'node'));
    return { node: join(bin, 'node'), mode: 'binfmt_misc runs arm64 executables directly', env };
  }
  const qemu = which('qemu-aarch64-static')!;
  const shim = (target: string) =>
    `#!/bin/sh\n# arm64 under user-mode emulation (no binfmt_misc here)\nexec ${qemu} -L ${sysroot} ${target} "$@"\n`;
  writeFileSync(join(bin, 'node'), shim(realNode));
  chmodSync(join(bin, 'node'), 0o755);
  // esbuild's JS API (vite's TypeScript transform, the crash suite's bundle) spawns its binary.
  const esbuild = join(copyDir, 'node_modules', '@esbuild', 'linux-arm64', 'bin', 'esbuild');
  writeFileSync(join(bin, 'esbuild'), shim(esbuild));
  chmodSync(join(bin, 'esbuild'), 0o755);
  return {
    node: join(bin, 'node'),
    mode: 'no binfmt_misc: qemu-aarch64-static through a shim',
    env: { ...env, ARM64_NODE: join(bin, 'node'), ESBUILD_BINARY_PATH: join(bin, 'esbuild') },
  };
}

function printTotals(report: JsonReport) {
  console.log('');
  console.log('arm64 suites (file, tests passed/total, skipped, time):');
  for (const f of [...report.testResults].sort((a, b) => a.name.localeCompare(b.name))) {
    const t = f.assertionResults;
    const passed = t.filter((a) => a.status === 'passed').length;
    const skipped = t.filter(
      (a) => a.status === 'skipped' || a.status === 'pending' || a.status === 'todo',
    ).length;
    const name = f.name.replace(/^.*?\/test\//, 'test/');
    const time = seconds(Math.max(0, f.endTime - f.startTime));
    console.log(
      `  ${f.status === 'passed' ? 'ok  ' : 'FAIL'} ${name.padEnd(52)} ${`${passed}/${t.length}`.padStart(7)}` +
        `${skipped ? `  ${skipped} skipped` : ''}  ${time}`,
    );
    for (const a of t) if (a.status === 'failed') console.log(`         failed: ${a.fullName ?? a.title}`);
  }
}

async function main() {
  const started = Date.now();
  if (process.platform !== 'linux') skipOrFail(`the arm64 run needs Linux (this is ${process.platform})`);

  // Extra arguments go to vitest: `npm run test:arm64 -- test/core` runs only those files.
  const vitestArgs = ['run', `--config=${CONFIG}`, ...TIMEOUTS, ...WORKERS, ...process.argv.slice(2)];
  if (process.arch === 'arm64') {
    log(`this machine is arm64 (Node ${process.version}): running the suites natively`);
    const res = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), ...vitestArgs],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    console.log(`arm64 Node: process.arch = ${process.arch} (native)`);
    process.exit(res.status ?? 1);
  }
  if (process.arch !== 'x64') skipOrFail(`the arm64 run is built for x86-64 hosts (this is ${process.arch})`);

  // 1. The arm64 copy: cached, or built now (which needs the cross compilers too).
  const key = cacheKey();
  let copy = process.env.ARM64_REBUILD === '1' ? null : cachedCopy(key);
  const missing = missingTools({ build: copy === null });
  if (missing) skipOrFail(missing);
  let built = false;
  if (!copy) {
    log(`building the arm64 copy (cache key ${key}; node_modules/.cache/arm64)`);
    copy = await buildCopy(key);
    built = true;
  }
  const m: Manifest = copy.manifest;
  const buildTime = Date.now() - started;
  log(
    built
      ? `built in ${seconds(buildTime)}: Node ${m.node}, ${m.native.map((n) => n.name).join(', ')} cross-compiled`
      : `cached copy ${key} (built ${m.builtAt} in ${m.buildSeconds} s)`,
  );

  // 2. A work dir outside node_modules (vitest would take files under it for dependencies):
  //    this checkout's sources, copied now, and the arm64 node_modules linked in.
  const work = mkdtempSync(join(tmpdir(), 'rental-arm64-'));
  let code = 1;
  try {
    for (const s of SOURCES) {
      cpSync(join(ROOT, s), join(work, s), {
        recursive: true,
        filter: (src) => !src.includes('/test/artifacts') && !src.includes('/node_modules/'),
      });
    }
    symlinkSync(join(copy.dir, 'node_modules'), join(work, 'node_modules'));
    mkdirSync(join(work, 'bin'));
    cpSync(join(ROOT, 'scripts', 'arm64', 'preload.mjs'), join(work, 'bin', 'preload.mjs'));
    const launcher = nodeLauncher(copy.dir, work);
    const processLog = join(work, 'processes.log');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...launcher.env,
      PATH: `${join(work, 'bin')}:${process.env.PATH ?? ''}`,
      NODE_OPTIONS:
        `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(join(work, 'bin', 'preload.mjs')).href}`.trim(),
      ARM64_PROCESS_LOG: processLog,
    };

    // 3. What the arm64 Node says it is.
    const probe = spawnSync(
      launcher.node,
      ['-p', 'JSON.stringify([process.arch, process.version, process.platform])'],
      {
        env: { ...env, ARM64_PROCESS_LOG: '' },
        encoding: 'utf8',
      },
    );
    if (probe.status !== 0) throw new Error(`the arm64 Node does not start: ${probe.stderr}`);
    const [arch, version] = JSON.parse(probe.stdout) as string[];
    const qemu = spawnSync('qemu-aarch64-static', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
    console.log(`arm64 Node: process.arch = ${arch} (Node ${version}; ${qemu}; ${launcher.mode})`);
    if (arch !== 'arm64') throw new Error(`expected process.arch arm64, got ${arch}`);

    // 4. vitest, under that Node.
    const report = join(work, 'vitest-report.json');
    const testsStarted = Date.now();
    const res = await runThrough(
      launcher.node,
      [
        join(work, 'node_modules', 'vitest', 'vitest.mjs'),
        ...vitestArgs,
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${report}`,
      ],
      { cwd: work, env, keep: /^crash[-: ]/ },
    );
    code = res.code;
    const testTime = Date.now() - testsStarted;

    // 5. The totals.
    if (!existsSync(report)) throw new Error(`vitest wrote no report (exit ${res.code})`);
    const r = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
    printTotals(r);
    const procs = readFileSync(processLog, 'utf8').trim().split('\n').filter(Boolean);
    const archs = [...new Set(procs.map((l) => l.split(' ')[1]))];
    const kiosks = procs.filter((l) => l.includes('kiosk-runner')).length;
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log('');
    console.log(
      `arm64 Node: process.arch = ${arch} in all ${procs.length} Node processes that ran JavaScript ` +
        `(arch seen: ${archs.join(', ')}): vitest, its workers, and ${kiosks} kiosk processes of the crash suites`,
    );
    for (const line of res.kept) console.log(`  ${line}`);
    console.log(
      `arm64 totals: ${r.testResults.length} files, ${r.numTotalTests} tests: ${r.numPassedTests} passed, ` +
        `${r.numFailedTests} failed, ${skipped} skipped`,
    );
    console.log(
      `arm64 time: ${built ? 'build' : 'cache check'} ${seconds(buildTime)}, tests ${seconds(testTime)}, ` +
        `total ${seconds(Date.now() - started)}`,
    );
    if (archs.some((a) => a !== 'arm64')) code = code || 1;
    if (r.numTotalTests === 0) code = code || 1;
  } finally {
    if (process.env.ARM64_KEEP === '1') log(`work dir kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  process.exit(code);
}

main().catch((err: unknown) => {
  console.error(`test:arm64 failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
