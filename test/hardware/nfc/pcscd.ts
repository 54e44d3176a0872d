/**
 * The real pcsc-lite daemon for the NFC suite. Where it can (root), the suite runs a pcscd of
 * its own in a private mount namespace that no other PC/SC client on the machine can reach
 * (private-room.ts). Elsewhere it reuses a running daemon or starts `pcscd --foreground` as
 * its child, refuses to run while another client is connected, and holds a machine-wide lock
 * file so that two checkouts' suites do not share the daemon at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { PCSC_SOCKET, pcscServiceUp } from '../../../hardware/nfc/nfc-reader.ts';
import { openPrivateRoom, privateRoomMissing, type PrivateRoom } from './private-room.ts';

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

/**
 * How many clients are connected to the pcscd listening at `socketPath` right now, read from
 * /proc/net/unix: the daemon's end of each accepted connection carries the socket's path
 * (state 03, connected); the listening socket itself is state 01.
 */
export function connectedClients(socketPath = PCSC_SOCKET): number {
  if (!existsSync('/proc/net/unix')) return 0;
  return readFileSync('/proc/net/unix', 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[7] === socketPath && f[5] === '03').length;
}

export class Pcscd {
  private child: ChildProcess | null = null;
  log = '';
  private constructor(
    /** Started by the suite (and so may be stopped and started again by a test). */
    readonly owned: boolean,
    /** The suite's own mount namespace, when it could make one (see private-room.ts). */
    private readonly room: PrivateRoom | null,
  ) {}

  /** Where the suite's client reaches this daemon. */
  get socketPath(): string {
    return this.room?.socketPath ?? PCSC_SOCKET;
  }

  /** The vpcd port the virtual card connects to. */
  get port(): number {
    return this.room?.port ?? 35963;
  }

  /** Whether nobody else on the machine can reach this daemon. */
  get private(): boolean {
    return this.room !== null;
  }

  /**
   * A daemon of the suite's own in a private namespace where the machine allows it; else the
   * machine's (a running one is reused, or one is started), checked to have no other client.
   */
  static async acquire(): Promise<Pcscd> {
    if (privateRoomMissing() === null) {
      const d = new Pcscd(true, await openPrivateRoom(VPCD_CONF));
      await d.start();
      return d;
    }
    let d: Pcscd;
    if (await pcscServiceUp()) {
      if (!(await portOpen(35963))) {
        throw new Error('a pcscd is running without the vpcd virtual reader (port 35963 closed)');
      }
      d = new Pcscd(false, null);
    } else {
      d = new Pcscd(true, null);
      await d.start();
    }
    // On a shared daemon another client (a kiosk left running, a desktop tool) would read the
    // suite's card too and every "one GET DATA" count would be wrong: refuse with the reason.
    await new Promise((r) => setTimeout(r, 200)); // our own probe's connection closing
    const others = connectedClients();
    if (others > 0) {
      await d.stop();
      throw new Error(
        `${others} other PC/SC client(s) are connected to the machine's pcscd (${PCSC_SOCKET}); ` +
          'they would read the test card too. Stop them (a kiosk left running?) or run the suite as root, ' +
          'where it uses a pcscd of its own.',
      );
    }
    return d;
  }

  async start(): Promise<void> {
    if (!this.owned) throw new Error('not our pcscd');
    const child = this.room
      ? this.room.spawnInside(PCSCD!, ['--foreground'])
      : spawn(PCSCD!, ['--foreground'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.on('data', (d) => (this.log += String(d)));
    child.stderr!.on('data', (d) => (this.log += String(d)));
    try {
      await until('pcscd to listen', async () => {
        if (child.exitCode !== null) throw new Error(`pcscd exited: ${this.log.slice(-300)}`);
        return (await pcscServiceUp(this.socketPath)) && (await portOpen(this.port));
      });
    } catch (err) {
      await this.stop(); // never leave a half-started daemon behind
      throw err;
    }
  }

  /** Stops the daemon (it can be started again); `close` also ends the private namespace. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }

  async close(): Promise<void> {
    await this.stop();
    await this.room?.close();
  }
}
