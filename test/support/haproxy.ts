/**
 * HAProxy in front of server replicas, for tests (shared/recipes/postgres-in-tests.md). The
 * config is the shipped deploy/haproxy/haproxy.cfg with its marked blocks replaced: no
 * chroot/user/stats socket, a free loopback port for the frontend, fast health checks and the
 * test's backends. HAProxy runs in the foreground (`haproxy -f cfg -db`) as a child process of
 * the test and is ended by its pid.
 *
 * Callers MUST call stop() in afterAll; as a safety net a watchdog kills HAProxy and removes
 * its temp dir once the test process is gone (see cleanupWhenProcessDies in postgres.ts).
 *
 * Missing HAProxy: suites are skipped with a one-line reason, except under RENTAL_CI=1 where
 * they must fail instead (CI installs it, so absence there is a real fault).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { cleanupWhenProcessDies, freePort } from './postgres.ts';

/** The shipped config, which the tests run with their own ports and timings. */
export const HAPROXY_TEMPLATE = join(import.meta.dirname, '..', '..', 'deploy', 'haproxy', 'haproxy.cfg');

/** `haproxy` on PATH, else Debian's /usr/sbin/haproxy (not on a non-root user's PATH). */
export function haproxyBinary(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'haproxy'))) return join(dir, 'haproxy');
  }
  return existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : null;
}

/** Null when the suite may run; otherwise why it is skipped. Throws under RENTAL_CI=1. */
export function haproxySkipReason(): string | null {
  if (haproxyBinary()) return null;
  const reason = 'no haproxy on PATH or at /usr/sbin/haproxy (apt-get install haproxy)';
  if (process.env.RENTAL_CI === '1') throw new Error(`RENTAL_CI=1 and ${reason}`);
  console.warn(`skipped: ${reason}`);
  return reason;
}

export type HaproxyBackend = { name: string; port: number; host?: string };

export type Haproxy = {
  /** The frontend's loopback port. */
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** What HAProxy printed so far (warnings, servers going DOWN/UP), for failure messages. */
  output(): string;
  /** SIGTERM, SIGKILL after 2 s; removes the temp dir. Idempotent. Call it in afterAll. */
  stop(): Promise<void>;
};

/** Lines that replace each marked block of the template in tests. */
function testBlocks(port: number, backends: HaproxyBackend[]): Record<string, string[]> {
  return {
    // Foreground child of the test: no chroot, no user switch, no stats socket, no syslog.
    // Notices and up (servers going DOWN/UP, not each request) go to stderr, kept by output().
    process: ['log stderr format short local0 notice'],
    bind: [`bind 127.0.0.1:${port}`],
    'check-timing': [
      '# Fast for tests; production: inter 2s fall 3 rise 2.',
      'default-server check inter 500ms fall 2 rise 1',
    ],
    servers: backends.map((b) => `server ${b.name} ${b.host ?? '127.0.0.1'}:${b.port}`),
  };
}

/**
 * The template with the lines between `# >>> name` and `# <<< name` replaced by
 * blocks[name] (indented like the marker). Every marker must be present exactly once.
 */
export function renderHaproxyConfig(template: string, blocks: Record<string, string[]>): string {
  let out = template;
  for (const [name, lines] of Object.entries(blocks)) {
    const esc = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
    const block = new RegExp(`^([ \\t]*)# >>> ${esc}\\n[\\s\\S]*?^[ \\t]*# <<< ${esc}$`, 'gm');
    const found = out.match(block)?.length ?? 0;
    if (found !== 1) throw new Error(`haproxy template: marker block "${name}" found ${found} times`);
    out = out.replace(block, (_m, indent: string) =>
      [`${indent}# >>> ${name} (test)`, ...lines.map((l) => indent + l), `${indent}# <<< ${name}`].join('\n'),
    );
  }
  return out;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const SERVER_NAME = /^[A-Za-z0-9_.-]+$/;

export async function startHaproxy(opts: { backends: HaproxyBackend[] }): Promise<Haproxy> {
  const bin = haproxyBinary();
  if (!bin) throw new Error('startHaproxy: no haproxy (see haproxySkipReason)');
  if (opts.backends.length === 0) throw new Error('startHaproxy: no backends');
  for (const b of opts.backends) {
    if (!SERVER_NAME.test(b.name)) throw new Error(`startHaproxy: bad server name ${JSON.stringify(b.name)}`);
  }
  const template = await readFile(HAPROXY_TEMPLATE, 'utf8');

  // Another process may take the free port between freePort() and HAProxy's bind: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const dir = await mkdtemp(join(tmpdir(), 'rental-haproxy-'));
    const cfg = join(dir, 'haproxy.cfg');
    try {
      await writeFile(cfg, renderHaproxyConfig(template, testBlocks(port, opts.backends)));
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    try {
      return await launch(bin, cfg, dir, port); // on failure it has removed dir
    } catch (err) {
      if (attempt >= 3 || !/cannot bind|Address already in use/i.test(String(err))) throw err;
    }
  }
}

async function launch(bin: string, cfg: string, dir: string, port: number): Promise<Haproxy> {
  const child = spawn(bin, ['-f', cfg, '-db'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-16_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (err) => {
      output += `\n${err.message}`;
      exited = true;
      resolve();
    });
  });

  const endWatchdog =
    child.pid === undefined ? () => {} : cleanupWhenProcessDies(dir, ['kill', '-KILL', String(child.pid)]);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), 2_000)));
      if ((await Promise.race([exit, late])) === 'late') {
        child.kill('SIGKILL');
        await exit;
      }
      clearTimeout(timer);
    }
    endWatchdog();
    await rm(dir, { recursive: true, force: true });
  };

  const end = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (exited || Date.now() > end) {
      await stop();
      throw new Error(
        `haproxy ${exited ? `exited (code ${child.exitCode})` : 'did not accept connections'} ` +
          `on 127.0.0.1:${port}:\n${output}`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop,
  };
}
