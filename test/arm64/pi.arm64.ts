/**
 * The Raspberry Pi way without Electron (deploy/pi/), run the way its units run it, on arm64
 * Node: the renderer built with `npm run build:renderer`, the web host started with the
 * host unit's ExecStart, Environment and EnvironmentFile (first enrolment included), and the
 * screen started with the browser unit's ExecStart: kiosk-browser.mjs driving Chromium.
 * Then what the units promise: a crashed page comes back, an error page (web host restarting)
 * is retried until the kiosk is back, a stopped web host stops cleanly on SIGTERM and starts
 * again enrolled, and a browser that dies takes the launcher down for systemd to restart.
 * Also: the units pass `systemd-analyze verify` without a warning, the polkit rule grants
 * exactly what it says, and the Chromium policy allows exactly the web host's origin.
 *
 * Substituted, because this machine is not a Pi: paths under /opt/rental-kiosk and
 * /etc/rental-kiosk, /var/lib/rental-kiosk (temp dirs), the port (a free one, not 8421),
 * /usr/bin/node (this arm64 Node), and Chromium runs headless (no display here) as root
 * (--no-sandbox). The host's Chromium is x86-64: the browser itself is not emulated.
 *
 * Only `npm run test:arm64` runs this file (scripts/arm64/vitest.config.ts).
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../fixtures/server.ts';
import { CHROMIUM_PATH, chromiumSkipReason } from '../support/chromium.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PI = join(ROOT, 'deploy', 'pi');
const CI = process.env.RENTAL_CI === '1';

/** The [Service] settings of a unit file, each key with all its values in order. */
function serviceSection(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let inService = false;
  for (const raw of readFileSync(join(PI, file), 'utf8').split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) inService = line === '[Service]';
    if (!inService || !line || line.startsWith('#') || !line.includes('=')) continue;
    const at = line.indexOf('=');
    const key = line.slice(0, at);
    out.set(key, [...(out.get(key) ?? []), line.slice(at + 1)]);
  }
  return out;
}

function unitEnv(service: Map<string, string[]>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of service.get('Environment') ?? []) {
    const at = v.indexOf('=');
    env[v.slice(0, at)] = v.slice(at + 1);
  }
  return env;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

type Proc = {
  child: ChildProcessByStdio<null, Readable, Readable>;
  lines: string[];
  until(pred: (line: string) => boolean, what: string, ms?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

function start(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Proc {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const take = (l: string) => {
    lines.push(l);
    for (const w of waiters) w();
  };
  createInterface({ input: child.stdout }).on('line', take);
  createInterface({ input: child.stderr }).on('line', take);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('close', (code, signal) => r({ code, signal })),
  );
  return {
    child,
    lines,
    exited,
    until(pred, what, ms = 120_000) {
      return new Promise((res, rej) => {
        let from = 0;
        const check = () => {
          for (; from < lines.length; from++) {
            if (pred(lines[from]!)) {
              waiters.delete(check);
              clearTimeout(timer);
              return res(lines[from]!);
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          rej(new Error(`timed out waiting for ${what}; last lines:\n${lines.slice(-15).join('\n')}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
  };
}

const has = (msg: string) => (line: string) => line.includes(`"msg":"${msg}`);

describe('the units pass systemd-analyze verify without a warning', () => {
  const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));
  if (!analyze && CI) throw new Error('RENTAL_CI=1 and no systemd-analyze (Debian package systemd)');
  it.skipIf(!analyze)('rental-kiosk-host.service (system) and rental-kiosk-browser.service (user)', () => {
    const runtime = mkdtempSync(join(tmpdir(), 'rental-verify-'));
    try {
      for (const [unit, scope] of [
        ['rental-kiosk-host.service', []],
        ['rental-kiosk-browser.service', ['--user']],
      ] as const) {
        const res = spawnSync(analyze!, [...scope, 'verify', '--man=no', join(PI, unit)], {
          env: { ...process.env, XDG_RUNTIME_DIR: runtime },
          encoding: 'utf8',
        });
        expect({ unit, code: res.status, output: `${res.stdout}${res.stderr}`.trim() }).toEqual({
          unit,
          code: 0,
          output: '',
        });
      }
    } finally {
      rmSync(runtime, { recursive: true, force: true });
    }
  });
});

describe('the pcscd polkit rule', () => {
  it('allows the kiosk user both pcscd actions, and nobody else anything', () => {
    const rules: ((action: { id: string }, subject: { user: string }) => string)[] = [];
    const polkit = {
      addRule: (f: (typeof rules)[number]) => rules.push(f),
      Result: { YES: 'yes', NO: 'no', NOT_HANDLED: 'not-handled' },
    };
    runInNewContext(readFileSync(join(PI, '50-rental-kiosk-pcscd.rules'), 'utf8'), { polkit });
    const decide = (id: string, user: string) => rules.map((r) => r({ id }, { user }))[0];
    expect(rules).toHaveLength(1);
    expect(decide('org.debian.pcsc-lite.access_pcsc', 'rental-kiosk')).toBe('yes');
    expect(decide('org.debian.pcsc-lite.access_card', 'rental-kiosk')).toBe('yes');
    expect(decide('org.debian.pcsc-lite.access_pcsc', 'pi')).toBe('not-handled');
    expect(decide('org.freedesktop.login1.reboot', 'rental-kiosk')).toBe('not-handled');
  });
});

describe('the Chromium policy', () => {
  it('allows exactly the origin the browser unit opens and the host unit serves', () => {
    const policy = JSON.parse(readFileSync(join(PI, 'chromium-policy.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const host = unitEnv(serviceSection('rental-kiosk-host.service'));
    const url = new URL(unitEnv(serviceSection('rental-kiosk-browser.service')).KIOSK_URL!);
    expect(url.origin).toBe(`http://${host.RENTAL_KIOSK_HOST}:${host.RENTAL_KIOSK_PORT}`);
    expect(policy.URLBlocklist).toEqual(['*']);
    expect(policy.URLAllowlist).toEqual([url.origin]);
    expect(policy.DeveloperToolsAvailability).toBe(2);
  });
});

const noChromium = chromiumSkipReason();

describe.skipIf(noChromium !== null)('web host + Chromium kiosk, as the units start them', () => {
  let server: TestServer;
  let etc: string;
  let data: string;
  let host: Proc | null = null;
  let port: number;
  let hostEnv: NodeJS.ProcessEnv;
  let hostCmd: { cmd: string; args: string[]; cwd: string };

  /** The host unit's ExecStart, with this Node for /usr/bin/node and this checkout for /opt/rental-kiosk. */
  function startHost(): Proc {
    const p = start(hostCmd.cmd, hostCmd.args, { cwd: hostCmd.cwd, env: hostEnv });
    return p;
  }

  beforeAll(async () => {
    // `npm run build:renderer`, as the recipe has it (on arm64 Node, like on the Pi).
    const build = spawnSync('npm', ['run', 'build:renderer', '--', '--logLevel', 'warn'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`npm run build:renderer failed:\n${build.stdout}${build.stderr}`);

    server = await startTestServer();
    etc = mkdtempSync(join(tmpdir(), 'rental-pi-etc-'));
    data = mkdtempSync(join(tmpdir(), 'rental-pi-data-'));
    port = await freePort();

    const service = serviceSection('rental-kiosk-host.service');
    const [exec, ...args] = service.get('ExecStart')![0]!.split(/\s+/);
    expect(exec).toBe('/usr/bin/node');
    hostCmd = {
      cmd: process.execPath,
      args,
      cwd: service.get('WorkingDirectory')![0]!.replace('/opt/rental-kiosk', ROOT),
    };
    const env = unitEnv(service);
    const local = (p: string) => p.replace('/etc/rental-kiosk', etc).replace('/var/lib/rental-kiosk', data);
    // NFC off: the NFC suite may be running its virtual card on this machine's one pcscd at
    // the same time, and a second kiosk on it would read that suite's taps.
    writeFileSync(
      local(env.RENTAL_CONFIG!),
      JSON.stringify({ kiosk: { serverUrl: server.url, hardware: { nfc: { enabled: false } } } }),
    );
    // The recipe's first start: the enrolment code in the EnvironmentFile.
    const envFile = local(service.get('EnvironmentFile')![0]!.replace(/^-/, ''));
    writeFileSync(envFile, `RENTAL_ENROLL_CODE=${await server.enrollmentCode('pi unit kiosk')}\n`);
    const fromFile = Object.fromEntries(
      readFileSync(envFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    hostEnv = {
      ...process.env,
      ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, local(v)])),
      ...fromFile,
      RENTAL_KIOSK_PORT: String(port),
    };
    host = startHost();
    await host.until((l) => l.includes('kiosk web host listening'), 'the web host to listen');
    // Enrolled: the recipe then deletes the file; later starts run without the code.
    rmSync(envFile);
    delete hostEnv.RENTAL_ENROLL_CODE;
  }, 600_000);

  afterAll(async () => {
    if (host && host.child.exitCode === null) {
      host.child.kill('SIGTERM');
      await host.exited;
    }
    await server?.dispose();
    for (const d of [etc, data]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('shows the kiosk, recovers a crashed page and a restarted web host, and ends with Chromium', async () => {
    const browserUnit = serviceSection('rental-kiosk-browser.service');
    const [exec, script] = browserUnit.get('ExecStart')![0]!.split(/\s+/);
    expect(exec).toBe('/usr/bin/node');
    const url = unitEnv(browserUnit).KIOSK_URL!.replace(':8421', `:${port}`);
    const screen = start(process.execPath, [script!.replace('/opt/rental-kiosk', ROOT)], {
      cwd: ROOT,
      env: {
        ...process.env,
        KIOSK_URL: url,
        KIOSK_BROWSER: CHROMIUM_PATH,
        KIOSK_BROWSER_FLAGS: '--headless=new --no-sandbox --disable-gpu',
        KIOSK_CHECK_MS: '1000',
      },
    });
    try {
      await screen.until(has('kiosk page up'), 'the kiosk page');

      const browserPid = Number(/"pid":(\d+)/.exec(screen.lines.find(has('browser started'))!)![1]);
      const profile = /--user-data-dir=(\S+)/.exec(
        readFileSync(`/proc/${browserPid}/cmdline`, 'utf8').replace(/\0/g, ' '),
      )![1]!;
      const crashPage = () => {
        const ps = spawnSync('pgrep', ['-f', `type=renderer.*${profile}`], { encoding: 'utf8' });
        for (const pid of ps.stdout.split('\n').filter(Boolean)) {
          const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          if (!cmdline.includes('top-chrome-webui')) process.kill(Number(pid), 'SIGKILL');
        }
      };

      // A crashed page ("Aw, Snap!") is reloaded.
      const before = screen.lines.length;
      crashPage();
      await screen.until(
        (l) => screen.lines.indexOf(l) >= before && has('kiosk page crashed')(l),
        'the crash',
      );
      await screen.until(
        (l) => screen.lines.indexOf(l) >= before && has('kiosk page up')(l),
        'the page back',
      );

      // The web host stops cleanly on SIGTERM (systemctl restart); a page loaded meanwhile is
      // an error page, retried until the web host, started again enrolled, serves the kiosk.
      host!.child.kill('SIGTERM');
      expect(await host!.exited).toEqual({ code: 0, signal: null });
      const down = screen.lines.length;
      crashPage();
      await screen.until(
        (l) => screen.lines.indexOf(l) >= down && has('not the kiosk page')(l),
        'the error page',
      );
      host = startHost();
      await host.until((l) => l.includes('kiosk web host listening'), 'the web host again');
      await screen.until(
        (l) => screen.lines.indexOf(l) >= down && has('kiosk page up')(l),
        'the page after the restart',
      );

      // Chromium gone (a crash, Alt+F4): the launcher exits non-zero for systemd to restart both.
      process.kill(browserPid, 'SIGKILL');
      expect((await screen.exited).code).toBe(1);
      expect(existsSync(profile)).toBe(false);
    } finally {
      if (screen.child.exitCode === null) {
        screen.child.kill('SIGTERM');
        await screen.exited;
      }
    }
  });
});
