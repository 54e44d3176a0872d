/**
 * The NFC suite's check for other PC/SC clients on a shared daemon, against a real Unix
 * socket: /proc/net/unix lists the listener and each accepted connection by path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectedClients } from './pcscd.ts';

describe.skipIf(process.platform !== 'linux')('connectedClients', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcscd-clients-'));
  const path = join(dir, 'pcscd.comm');
  const open: net.Socket[] = [];
  let server: net.Server | undefined;

  afterEach(async () => {
    for (const s of open.splice(0)) s.destroy();
    await new Promise((r) => (server ? server.close(r) : r(null)));
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the clients connected to a socket, not its listener', async () => {
    server = net.createServer((s) => open.push(s));
    await new Promise<void>((r) => server!.listen(path, r));
    expect(connectedClients(path)).toBe(0);
    for (let i = 0; i < 2; i++) {
      const c = net.connect(path);
      open.push(c);
      await new Promise((r) => c.once('connect', r));
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(connectedClients(path)).toBe(2);
    expect(connectedClients(join(dir, 'other.comm'))).toBe(0);
  });
});
