/**
 * Closing the server does not wait out the keep-alive of a connection whose request was
 * still being answered when the close began (it hung a test's teardown for over a minute).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { expect, it } from 'vitest';
import { build } from '../../../server/app.ts';
import { createServerDeps } from '../../../server/create-server.ts';

it('ends a kept-alive connection once its answer is sent, so close() does not wait a minute', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rental-drain-'));
  const deps = await createServerDeps({ dataDir: dir, issuer: 'http://127.0.0.1' });
  const app = build(deps);
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let arrived!: () => void;
  const inFlight = new Promise<void>((r) => (arrived = r));
  app.get('/test/slow', async () => {
    arrived();
    await released;
    return { ok: true };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  // A client that keeps connections for longer than the test runs, as a kiosk's fetch does.
  const agent = new Agent({ keepAliveTimeout: 600_000, keepAliveMaxTimeout: 600_000 });
  try {
    const answer = request(`http://127.0.0.1:${port}/test/slow`, { dispatcher: agent });
    await inFlight;
    const closing = app.close();
    // Answer only once the listening socket is closed (Fastify closes it a few ticks later).
    while (app.server.listening) await new Promise((r) => setImmediate(r));
    release();
    const res = await answer;
    expect(res.statusCode).toBe(200);
    expect(res.headers.connection).toBe('close');
    expect(await res.body.json()).toEqual({ ok: true });
    const closedIn = await Promise.race([
      closing.then(() => 'closed'),
      new Promise((r) => setTimeout(() => r('still open after 10 s'), 10_000)),
    ]);
    expect(closedIn).toBe('closed');
  } finally {
    await agent.close();
    await app.close();
    await deps.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
