/**
 * The server under benchmark, as its own process (so its CPU and peak RSS are its own):
 * the real app from build(deps) on a temp data dir with the demo data, plus `BENCH_PEOPLE`
 * extra people (badge `kbd:<7000000+i>`) with two items each, and one extra route,
 * POST /bench/token-baseline, that does nothing but sign one Ed25519 JWT with jose: the
 * baseline the badge-tap route is compared with. Prints one JSON line when listening.
 * The per-kiosk tap limit is lifted: the benchmark measures the route, not the limiter.
 * It logs as server/main.ts does (pino, redacted, level BENCH_LOG_LEVEL, default info), to
 * server.log in its data dir, so the cost of the request log is part of every figure.
 *
 * On PostgreSQL it reads the server's own variables: RENTAL_DATABASE_URL, RENTAL_MASTER_KEY,
 * RENTAL_SERVER_ISSUER (the load balancer's URL behind one), RENTAL_SERVER_PORT and
 * RENTAL_TRUST_PROXY; empty or unset, it is the embedded SQLite server on a free port.
 * BENCH_SEED=0 makes a further replica of a database another one seeded: it seeds nothing
 * and prints only its URL. GET /bench/replica answers the process id (which replica a load
 * balancer chose). SIGTERM closes it and removes its data dir.
 */
import { generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { build, REDACT } from '../../server/app.ts';
import { createKioskWithCode } from '../../server/auth/enrollment.ts';
import { createRateLimiter } from '../../server/auth/login-throttle.ts';
import { createServerDeps } from '../../server/create-server.ts';
import { loadMasterKey } from '../../server/keys/master-key.ts';
import { seedDemo } from '../../server/seed/demo.ts';

export const benchBadge = (i: number) => `kbd:${7_000_000 + i}`;

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'rental-bench-server-'));
  const people = Number(process.env.BENCH_PEOPLE ?? 0);
  const kiosks = Number(process.env.BENCH_KIOSKS ?? 1);
  const seed = process.env.BENCH_SEED !== '0';
  const databaseUrl = process.env.RENTAL_DATABASE_URL || undefined;
  const trustProxy = process.env.RENTAL_TRUST_PROXY || undefined;
  const port = Number(process.env.RENTAL_SERVER_PORT || 0) || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const deps = await createServerDeps({
    dataDir,
    issuer: process.env.RENTAL_SERVER_ISSUER || url,
    ...(databaseUrl ? { databaseUrl } : {}),
    masterKey: loadMasterKey(),
  });
  deps.tapLimiter = createRateLimiter(deps.clock, deps.shared, { burst: 1e9, perMinute: 1e9 });
  const logger = pino(
    { level: process.env.BENCH_LOG_LEVEL || 'info', redact: { paths: REDACT, censor: '[redacted]' } },
    pino.destination(join(dataDir, 'server.log')),
  );
  const app = build(deps, { logger, ...(trustProxy ? { trustProxy } : {}) });
  app.get('/bench/replica', async () => ({ pid: process.pid }));
  const stop = async () => {
    await app.close();
    await deps.close();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  if (!seed) {
    await app.listen({ host: '127.0.0.1', port });
    process.stdout.write(`${JSON.stringify({ url, dataDir, pid: process.pid })}\n`);
    return;
  }

  await seedDemo(deps);
  const users: { id: string; badge: string; items: string[]; displayName: string }[] = [];
  for (let i = 0; i < people; i++) {
    const badge = benchBadge(i);
    const user = await deps.store.createUser({
      email: `bench${i}@example.com`,
      displayName: `Bench-${i}-x`,
      role: 'member',
      active: true,
      passwordHash: null,
    });
    await deps.store.addBadge(user.id, deps.hashBadge(badge), 'bench');
    const items: string[] = [];
    for (const s of ['a', 'b']) {
      const item = await deps.store.createItem({
        tag: `BN-${i}-${s}`,
        name: `Bench item ${i}${s}`,
        category: 'Bench',
        loanDays: 7,
        restrictedTo: null,
        lockerSlot: null,
      });
      items.push(item.id);
    }
    users.push({ id: user.id, badge, items, displayName: user.displayName });
  }
  const codes: string[] = [];
  for (let i = 0; i < kiosks; i++)
    codes.push((await createKioskWithCode(deps.store, `bench ${i}`, Date.now())).code);

  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  app.post('/bench/token-baseline', async () => {
    const token = await new SignJWT({ role: 'member' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'rental+jwt', kid: 'bench' })
      .setIssuer(url)
      .setAudience('kiosk:bench')
      .setSubject('user:bench')
      .setIssuedAt()
      .setExpirationTime('120s')
      .setJti(randomUUID())
      .sign(privateKey);
    return { token };
  });
  await app.listen({ host: '127.0.0.1', port });
  process.stdout.write(`${JSON.stringify({ url, dataDir, pid: process.pid, codes, users })}\n`);
}

main().catch((err: unknown) => {
  console.error('bench-server:', err);
  process.exit(1);
});
