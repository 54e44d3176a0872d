/**
 * A mount namespace of the NFC suite's own, so its pcscd is nobody else's.
 *
 * pcscd serves every PC/SC client through one socket, `/run/pcscd/pcscd.comm`, and 1.9.9 has
 * no option to move it. A kiosk left running on the machine would read the suite's virtual
 * card through it and break the "one GET DATA" assertions. So the suite's daemon runs in a
 * private mount namespace with a tmpfs over `/run/pcscd` (its socket is invisible at the
 * usual path) and one over `/etc/reader.conf.d` holding a vpcd reader on a free port (two
 * checkouts can run the suite at once). The test's own client reaches the socket through
 * `/proc/<holder>/root/...`, which the pcsc-lite client library is told by
 * `PCSCLITE_CSOCK_NAME`.
 *
 * The namespace is held by a sleeping process, so the daemon can be stopped and started
 * again inside it (nsenter) and the socket path stays the same. Needs root (CAP_SYS_ADMIN)
 * and util-linux's unshare/nsenter; where that is not there, `open` returns null and the
 * caller falls back to the machine's daemon.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';

export type PrivateRoom = {
  /** The holder's pid; `/proc/<pid>/root` is the namespace's view of the file system. */
  pid: number;
  /** Where the suite's client reaches the private daemon. */
  socketPath: string;
  /** The vpcd port the virtual card connects to. */
  port: number;
  /** Runs a command inside the namespace. */
  spawnInside(command: string, args: string[]): ChildProcess;
  close(): Promise<void>;
};

/** Why a private namespace cannot be made here, or null. */
export function privateRoomMissing(): string | null {
  if (process.getuid?.() !== 0) return 'not root (a mount namespace needs CAP_SYS_ADMIN)';
  for (const tool of ['unshare', 'nsenter']) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0)
      return `${tool} (util-linux) not found`;
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The vpcd driver's path, from the reader configuration the Debian package installs. */
function vpcdLibrary(conf: string): string {
  const line = readFileSync(conf, 'utf8')
    .split('\n')
    .find((l) => /^\s*LIBPATH\s/.test(l));
  if (!line) throw new Error(`${conf} names no LIBPATH`);
  return line.trim().split(/\s+/)[1]!;
}

export async function openPrivateRoom(vpcdConf: string): Promise<PrivateRoom> {
  const port = await freePort();
  const hex = `0x${port.toString(16).toUpperCase()}`;
  const conf = [
    'FRIENDLYNAME "Virtual PCD"',
    `DEVICENAME /dev/null:${hex}`,
    `LIBPATH ${vpcdLibrary(vpcdConf)}`,
    `CHANNELID ${hex}`,
    '',
  ].join('\n');
  // unshare's default propagation is private: these mounts never reach the machine.
  const script = [
    'set -e',
    'mkdir -p /run/pcscd /etc/reader.conf.d',
    'mount -t tmpfs rental-nfc-suite /run/pcscd',
    'mount -t tmpfs rental-nfc-suite /etc/reader.conf.d',
    'printf "%s" "$VPCD_CONF" > /etc/reader.conf.d/vpcd',
    'echo ready',
    'exec sleep 86400',
  ].join('\n');
  const holder = spawn('unshare', ['--mount', 'sh', '-c', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VPCD_CONF: conf },
  });
  let said = '';
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.on('data', (d) => {
      said += String(d);
      if (said.includes('ready')) resolve();
    });
    holder.stderr!.on('data', (d) => (said += String(d)));
    holder.once('exit', (code) =>
      reject(new Error(`private namespace not made (exit ${code}): ${said.trim()}`)),
    );
  });
  const pid = holder.pid!;
  return {
    pid,
    port,
    socketPath: `/proc/${pid}/root/run/pcscd/pcscd.comm`,
    spawnInside: (command, args) =>
      spawn('nsenter', [`--mount=/proc/${pid}/ns/mnt`, '--', command, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    close: async () => {
      if (holder.exitCode !== null || holder.signalCode !== null) return;
      const exited = new Promise((r) => holder.once('exit', r));
      holder.kill('SIGTERM');
      await exited;
    },
  };
}
