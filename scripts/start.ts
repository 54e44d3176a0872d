/**
 * `npm start`: the central server and one kiosk with the simulated reader and demo data,
 * on loopback. First run seeds ./data and enrolls the kiosk; later runs reuse it.
 * Ctrl-C stops everything cleanly.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { ConfigError } from '../protocol/config/resolve.ts';
import { loadKioskConfig } from '../src-main/core/load-config.ts';
import { loadServerConfig } from '../server/config.ts';
import { DEMO_ADMIN, DEMO_ADMIN_BADGE, DEMO_PEOPLE } from '../server/seed/demo.ts';

const ROOT = resolve(import.meta.dirname, '..');
const TSX = ['--import', 'tsx'];
const children: ChildProcess[] = [];

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Build a Vite app (the kiosk UI, the dashboard) when it is missing or older than its sources. */
function buildIfStale(what: string, sourceDir: string, outDir: string) {
  const config = join(ROOT, sourceDir, 'vite.config.ts');
  if (!existsSync(config)) return;
  const built = join(ROOT, 'dist', outDir, 'index.html');
  const sources = Math.max(newestMtime(join(ROOT, sourceDir)), newestMtime(join(ROOT, 'protocol')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  console.log(`building the ${what} (first run, or its sources changed)...`);
  const res = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', config, '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (res.status !== 0) throw new Error(`building the ${what} failed (see above)`);
}

function run(name: string, script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [...TSX, script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} stopped unexpectedly (${signal ?? `exit ${code}`}); stopping the rest.`);
      void stopAll(1);
    }
  });
  children.push(child);
  return child;
}

async function waitForHealth(url: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A one-time enrollment code for the demo kiosk, from the admin CLI. */
function createEnrollmentCode(env: NodeJS.ProcessEnv): string {
  const res = spawnSync(
    process.execPath,
    [...TSX, 'server/cli.ts', 'kiosk', 'create', 'Demo kiosk (npm start)', '--json'],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    },
  );
  if (res.status !== 0) throw new Error(`could not create the demo kiosk: ${res.stderr.trim()}`);
  return (JSON.parse(res.stdout) as { code: string }).code;
}

/** Electron's binary is fetched at install time; on machines that cannot fetch it, it is absent. */
function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

let stopping = false;
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children
      .filter((c) => c.exitCode === null && c.signalCode === null)
      .map(
        (c) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
            c.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            c.kill('SIGTERM');
          }),
      ),
  );
  process.exit(code);
}

async function main() {
  const server = loadServerConfig();
  const kiosk = loadKioskConfig({ ...process.env, RENTAL_SIMULATOR: process.env.RENTAL_SIMULATOR ?? 'true' });
  const serverUrl = `http://${server.host}:${server.port}`;
  const env: NodeJS.ProcessEnv = { RENTAL_SERVER_URL: process.env.RENTAL_SERVER_URL ?? serverUrl };
  // Keep the terminal for the banner and real trouble; RENTAL_LOG_LEVEL=info shows every request.
  process.env.RENTAL_LOG_LEVEL ??= 'warn';

  buildIfStale('kiosk UI', 'src-renderer', 'renderer');
  buildIfStale('dashboard', 'server/dashboard/ui', 'dashboard');
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  run('server', 'server/main.ts', ['--seed-demo'], {});
  await waitForHealth(`${serverUrl}/healthz`);

  const enrolled = existsSync(join(kiosk.dataDir, 'enrollment.json'));
  const simulatorBadges = [
    ...DEMO_PEOPLE.map((p) => ({ label: p.displayName, credential: p.badge })),
    { label: '관리자 Admin', credential: DEMO_ADMIN_BADGE },
    { label: '모르는 카드 Unknown', credential: 'nfc:0badbadbad0001' },
  ];
  run('kiosk', 'src-main/web-host/main.ts', [], {
    ...env,
    RENTAL_SIMULATOR: kiosk.simulator ? 'true' : 'false',
    RENTAL_SIMULATOR_BADGES: JSON.stringify(simulatorBadges),
    ...(enrolled ? {} : { RENTAL_ENROLL_CODE: createEnrollmentCode({}) }),
  });
  const kioskUrl = `http://${kiosk.host}:${kiosk.port}/`;
  await waitForHealth(`${kioskUrl}healthz`);

  const electron = electronBinary();
  const p = DEMO_PEOPLE[0];
  console.log(`
  Badge rental kiosk is running.

    Kiosk screen   ${kioskUrl}
    Server         ${serverUrl}   (health: ${serverUrl}/healthz)
    Dashboard      ${serverUrl}/dashboard   login ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}

  Tap a simulated badge: use the badge buttons at the bottom of the kiosk screen, or
    npm run tap -- ${p.badge}        (${p.displayName}, a member)
    npm run tap -- ${DEMO_ADMIN_BADGE}        (the admin: service mode)
  ${electron ? 'Electron is installed: run `npm run electron` for the kiosk window.' : 'Electron binary not installed here: open the kiosk screen above in a browser (same UI).'}
  Data lives in ${server.dataDir} and ${kiosk.dataDir}; Ctrl-C stops everything.
`);
}

main().catch(async (err: unknown) => {
  console.error(
    err instanceof ConfigError ? `config: ${err.message}` : `npm start: ${(err as Error).message}`,
  );
  await stopAll(1);
});
