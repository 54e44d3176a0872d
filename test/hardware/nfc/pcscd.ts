/**
 * The real pcsc-lite daemon for the NFC suite: reuse one that is already running, or start
 * `pcscd --foreground` as our own child and end it by its pid. Only an own daemon can be
 * stopped and started again by a test.
 *
 * There is one pcscd per machine, and several checkouts may run their suites at once (each
 * vitest run is its own process tree), so the suite holds a machine-wide lock file while it
 * uses the daemon.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { pcscServiceUp } from '../../../hardware/nfc/nfc-reader.ts';

export const PCSCD = ['/usr/sbin/pcscd', '/usr/bin/pcscd'].find((p) => existsSync(p));
export const VPCD_CONF = '/etc/reader.conf.d/vpcd';

/** Why the suite cannot run here, or null. */
export function missingReason(): string | null {
  if (!PCSCD) return 'pcscd is not installed (Debian package pcscd)';
  if (!existsSync(VPCD_CONF)) return 'vpcd is not installed (Debian package vsmartcard-vpcd)';
  return null;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function until(what: string, cond: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const LOCK = join(tmpdir(), 'rental-kiosk-nfc-suite.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Take the machine-wide NFC suite lock (waiting for another run to finish); returns release. */
export async function lockSuite(ms = 120_000): Promise<() => void> {
  await until(
    'the NFC suite lock',
    async () => {
      try {
        const fd = openSync(LOCK, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return true;
      } catch {
        // Held: by a live run, wait; by a run that died, take it over.
        const holder = Number(readFileSync(LOCK, 'utf8') || '0');
        if (holder && !alive(holder)) unlinkSync(LOCK);
        return false;
      }
    },
    ms,
  );
  return () => {
    if (existsSync(LOCK) && readFileSync(LOCK, 'utf8') === String(process.pid)) unlinkSync(LOCK);
  };
}

export class Pcscd {
  private child: ChildProcess | null = null;
  log = '';
  private constructor(readonly owned: boolean) {}

  static async acquire(): Promise<Pcscd> {
    if (await pcscServiceUp()) {
      if (!(await portOpen(35963))) {
        throw new Error('a pcscd is running without the vpcd virtual reader (port 35963 closed)');
      }
      return new Pcscd(false);
    }
    const d = new Pcscd(true);
    await d.start();
    return d;
  }

  async start(): Promise<void> {
    if (!this.owned) throw new Error('not our pcscd');
    const child = spawn(PCSCD!, ['--foreground'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.on('data', (d) => (this.log += String(d)));
    child.stderr!.on('data', (d) => (this.log += String(d)));
    try {
      await until('pcscd to listen', async () => {
        if (child.exitCode !== null) throw new Error(`pcscd exited: ${this.log.slice(-300)}`);
        return (await pcscServiceUp()) && (await portOpen(35963));
      });
    } catch (err) {
      await this.stop(); // never leave a half-started daemon behind
      throw err;
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}
