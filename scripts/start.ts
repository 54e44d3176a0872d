/**
 * `npm start`: the central server and one kiosk with the simulated reader and demo data,
 * on loopback. First run seeds ./data and enrolls the kiosk; later runs reuse it.
 * Ctrl-C stops everything cleanly.
 *
 * The kiosk outlives the server, as a real one does: when the server stops (or is taken
 * away with `server stop` typed at this console), the kiosk goes on offline and sends what it
 * recorded once `server start` brings the server back.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ConfigError } from '../protocol/config/resolve.ts';
import { loadKioskConfig } from '../src-main/core/index.ts';
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

/**
 * `onExit`: what to do when the process ends on its own. By default everything stops; the
 * server's end is survived (the kiosk goes on offline).
 */
function run(
  name: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onExit?: (how: string) => void,
): ChildProcess {
  const child = spawn(process.execPath, [...TSX, script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    const i = children.indexOf(child);
    if (i >= 0) children.splice(i, 1);
    if (stopping) return;
    const how = signal ?? `exit ${code}`;
    if (onExit) return onExit(how);
    console.error(`${name} stopped unexpectedly (${how}); stopping the rest.`);
    void stopAll(1);
  });
  children.push(child);
  return child;
}

/** The demo's server: taken away and brought back from the console (`server stop|start`). */
function demoServer(serverUrl: string) {
  let child: ChildProcess | null = null;
  let takenAway = false;
  const start = async () => {
    if (child) return console.log('the server is running already');
    takenAway = false;
    child = run('server', 'server/main.ts', ['--seed-demo'], {}, (how) => {
      child = null;
      console.log(
        takenAway
          ? 'server stopped. The kiosk keeps running offline: borrows and returns are recorded on it and sent when the server is back (type `server start`).'
          : `server stopped unexpectedly (${how}). The kiosk keeps running offline; type \`server start\` to bring the server back.`,
      );
    });
    await waitForHealth(`${serverUrl}/healthz`);
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!child) {
        console.log('the server is not running');
        return resolve();
      }
      takenAway = true;
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { start, stop };
}

/** Console commands: take the server away and bring it back to show the kiosk offline. */
function listenForCommands(server: ReturnType<typeof demoServer>) {
  const rl = createInterface({ input: process.stdin, terminal: false });
  rl.on('line', (line) => {
    const command = line.trim().toLowerCase().replace(/\s+/g, ' ');
    if (command === 'server stop') void server.stop();
    else if (command === 'server start')
      void server.start().then(
        () => console.log('server is back; the kiosk sends what it recorded meanwhile.'),
        (err: unknown) => console.error(`server did not start: ${(err as Error).message}`),
      );
    else if (command === 'quit' || command === 'exit') void stopAll(0);
    else if (command) console.log('commands: server stop | server start | quit');
  });
}

/** `npm run tap` in another shell reads the same config file but not this shell's variables. */
function withKioskEnv(command: string): string {
  const vars = ['RENTAL_KIOSK_HOST', 'RENTAL_KIOSK_PORT']
    .filter((v) => process.env[v])
    .map((v) => `${v}=${process.env[v]}`);
  return vars.length ? `${vars.join(' ')} ${command}` : command;
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
  buildIfStale('dashboard', 'src-dashboard', 'dashboard');
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const demo = demoServer(serverUrl);
  await demo.start();

  const enrolled = existsSync(join(kiosk.dataDir, 'enrollment.json'));
  const simulatorBadges = [
    ...DEMO_PEOPLE.map((p) => ({ label: p.displayName, credential: p.badge })),
    { label: '관리자 Admin', credential: DEMO_ADMIN_BADGE },
    { label: '모르는 카드 Unknown', credential: 'nfc:0badbadbad0001' },
  ];
  const kioskEnv = {
    ...env,
    RENTAL_SIMULATOR: kiosk.simulator ? 'true' : 'false',
    RENTAL_SIMULATOR_BADGES: JSON.stringify(simulatorBadges),
    ...(enrolled ? {} : { RENTAL_ENROLL_CODE: createEnrollmentCode({}) }),
  };
  // Electron's binary is fetched at install time where the network allows; then the kiosk
  // window runs the core itself. RENTAL_KIOSK_SHELL=web keeps the browser UI instead.
  const electron = process.env.RENTAL_KIOSK_SHELL === 'web' ? null : electronBinary();
  const kioskUrl = `http://${kiosk.host}:${kiosk.port}/`;
  let windowed = false;
  if (electron) windowed = await startElectron(electron, kioskEnv);
  if (!windowed) {
    run('kiosk', 'src-main/web-host/main.ts', [], kioskEnv);
    await waitForHealth(`${kioskUrl}healthz`);
  }

  const p = DEMO_PEOPLE[0];
  const kioskLine = windowed
    ? 'Kiosk window   opened (Electron); tap with the simulator buttons on its screen'
    : `Kiosk screen   ${kioskUrl}`;
  const tapLines = windowed
    ? '  (npm run tap needs the browser kiosk: RENTAL_KIOSK_SHELL=web npm start)'
    : `  Tap a simulated badge: use the badge buttons at the bottom of the kiosk screen, or
    ${withKioskEnv(`npm run tap -- ${p.badge}`)}        (${p.displayName}, a member)
    ${withKioskEnv(`npm run tap -- ${DEMO_ADMIN_BADGE}`)}        (the admin: service mode)
  ${electron ? 'The Electron window could not start (see above)' : 'Electron binary not installed here'}: the kiosk UI is served at the URL above instead (same UI).`;
  console.log(`
  Badge rental kiosk is running.

    ${kioskLine}
    Server         ${serverUrl}   (health: ${serverUrl}/healthz)
    Dashboard      ${serverUrl}/dashboard   login ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}

${tapLines}
  Show the kiosk offline: type \`server stop\` here (the kiosk keeps working and records),
  then \`server start\` (it sends what it recorded).
  Data lives in ${server.dataDir} and ${kiosk.dataDir}; Ctrl-C stops everything.
`);
  listenForCommands(demo);
}

/**
 * Open the kiosk window. Native modules in node_modules are built for Node's ABI; if
 * Electron cannot load them (no Electron-ABI rebuild on this machine) the window dies at
 * once, and npm start falls back to the browser kiosk rather than leave nothing running.
 */
async function startElectron(binary: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  buildElectronApp();
  const child = spawn(binary, [join(ROOT, 'dist', 'app')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const early = await Promise.race([
    new Promise<boolean>((resolve) => child.once('exit', () => resolve(true))),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 8000)),
  ]);
  if (early) return false;
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`kiosk window closed (${signal ?? `exit ${code}`}); stopping the rest.`);
      void stopAll(code ?? 0);
    }
  });
  children.push(child);
  return true;
}

/** The packaged layout Electron runs from (dist/app), rebuilt when its sources changed. */
function buildElectronApp() {
  const built = join(ROOT, 'dist', 'app', 'main', 'main.cjs');
  const sources = Math.max(
    ...['src-main', 'protocol', 'hardware', 'dist/renderer'].map((d) => newestMtime(join(ROOT, d))),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  console.log('building the Electron app (first run, or its sources changed)...');
  const res = spawnSync(process.execPath, [...TSX, 'scripts/build-electron.ts'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (res.status !== 0) throw new Error('building the Electron app failed (see above)');
}

main().catch(async (err: unknown) => {
  console.error(
    err instanceof ConfigError ? `config: ${err.message}` : `npm start: ${(err as Error).message}`,
  );
  await stopAll(1);
});
