/**
 * `npm start` as a person runs it (the browser kiosk): the demo's server can be taken away
 * and brought back from the console, and the kiosk keeps running meanwhile, so the demo can
 * show offline mode (it used to stop the kiosk with the server). The banner's tap commands
 * carry the kiosk port this shell set. Ctrl-C stops everything.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../support/postgres.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'rental-npm-start-'));
let demo: ChildProcessWithoutNullStreams | null = null;

afterAll(() => {
  // Its own process group: a failed run takes the server and kiosk it started down with it
  // (left running, the kiosk would hold ports and could read another suite's NFC card).
  if (demo?.pid) {
    try {
      process.kill(-demo.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

const answers = async (url: string) => {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
};

it('keeps the kiosk running while the server is taken away and brought back', async () => {
  const serverPort = await freePort();
  const kioskPort = await freePort();
  // No NFC: a kiosk on this machine's pcscd would read the NFC suite's virtual card.
  const config = join(dir, 'rental.config.json');
  writeFileSync(config, JSON.stringify({ kiosk: { hardware: { nfc: { enabled: false } } } }));
  demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      RENTAL_KIOSK_SHELL: 'web',
      RENTAL_CONFIG: config,
      RENTAL_SERVER_PORT: String(serverPort),
      RENTAL_KIOSK_PORT: String(kioskPort),
      RENTAL_SERVER_DATA: join(dir, 'server'),
      RENTAL_KIOSK_DATA: join(dir, 'kiosk'),
      RENTAL_DATABASE_URL: '',
      RENTAL_SERVER_URL: `http://127.0.0.1:${serverPort}`,
    },
  });
  let out = '';
  demo.stdout.on('data', (d: Buffer) => (out += d.toString()));
  demo.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const saw = async (text: string, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!out.includes(text)) {
      if (Date.now() > deadline) throw new Error(`npm start never said "${text}"; it said:\n${out}`);
      if (demo!.exitCode !== null) throw new Error(`npm start exited (${demo!.exitCode}):\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const server = `http://127.0.0.1:${serverPort}/healthz`;
  const kiosk = `http://127.0.0.1:${kioskPort}/healthz`;

  // First run builds the UIs when they are missing: room for that.
  await saw('Badge rental kiosk is running', 240_000);
  expect(out).toContain(`RENTAL_KIOSK_PORT=${kioskPort} npm run tap -- `);
  expect(await answers(server)).toBe(true);
  expect(await answers(kiosk)).toBe(true);

  demo.stdin.write('server stop\n');
  await saw('server stopped. The kiosk keeps running offline');
  expect(await answers(server)).toBe(false);
  expect(await answers(kiosk)).toBe(true);
  await new Promise((r) => setTimeout(r, 1_000));
  expect(demo.exitCode).toBeNull();
  expect(await answers(kiosk)).toBe(true);

  demo.stdin.write('server start\n');
  await saw('server is back; the kiosk sends');
  expect(await answers(server)).toBe(true);
  expect(await answers(kiosk)).toBe(true);

  const exited = new Promise<number | null>((r) => demo!.once('exit', (code) => r(code)));
  demo.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(await answers(server)).toBe(false);
  expect(await answers(kiosk)).toBe(false);
}, 300_000);
