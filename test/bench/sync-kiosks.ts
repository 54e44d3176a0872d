/**
 * sync: kiosks with queued transactions drain them into the server. Each kiosk is the real
 * one (createKiosk, its SQLite outbox, sync loop and HTTP client); its outbox is filled
 * directly with borrow/return pairs of one person's two items (rental tokens from real
 * taps), then the sync loop starts and the clock runs until every outbox is empty.
 * Run as a child process (`BENCH_SYNC=<json>`) it reports its own peak RSS too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KIOSK_DEFAULTS } from '../../protocol/config/kiosk-config.ts';
import { createKiosk, type Kiosk } from '../../src-main/core/create-kiosk.ts';
import type { NewRow } from '../../src-main/core/outbox/outbox.ts';
import { peakRssMb } from './stats.ts';

export type BenchUser = { id: string; badge: string; items: string[]; displayName: string };
export type SyncJob = { serverUrl: string; codes: string[]; users: BenchUser[]; perKiosk: number };
export type SyncResult = {
  kiosks: number;
  transactions: number;
  seconds: number;
  tx_per_s: number;
  kioskDirs: string[];
  ids: string[][];
  rss_mb: number;
};

async function fill(kiosk: Kiosk, serverUrl: string, user: BenchUser, count: number): Promise<string[]> {
  const res = await fetch(`${serverUrl}/v1/badge-tap`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Kiosk ${await kiosk.assertion()}` },
    body: JSON.stringify({ credential: user.badge }),
  });
  if (!res.ok) throw new Error(`tap failed: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  const now = Date.now();
  const rows: NewRow[] = Array.from({ length: count }, (_, i) => ({
    kind: i % 2 === 0 ? 'borrow' : 'return',
    itemId: user.items[Math.floor(i / 2) % user.items.length]!,
    userId: user.id,
    occurredAt: now,
    clockTrusted: true,
    auth: { kind: 'rental', token },
  }));
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 1_000)
    ids.push(...kiosk.outbox.append(rows.slice(i, i + 1_000)).map((r) => r.id));
  return ids;
}

export async function benchSync(job: SyncJob): Promise<SyncResult> {
  const kiosks: Kiosk[] = [];
  const kioskDirs: string[] = [];
  const ids: string[][] = [];
  let closed = false;
  const closeAll = async () => {
    if (closed) return;
    closed = true;
    for (const k of kiosks) await k.close();
  };
  try {
    for (const [i, code] of job.codes.entries()) {
      const dataDir = mkdtempSync(join(tmpdir(), 'rental-bench-sync-'));
      kioskDirs.push(dataDir);
      const kiosk = await createKiosk(
        { ...KIOSK_DEFAULTS, dataDir, serverUrl: job.serverUrl, simulator: false },
        {},
        { enrollCode: code },
      );
      kiosks.push(kiosk);
      ids.push(await fill(kiosk, job.serverUrl, job.users[i]!, job.perKiosk));
    }
    const t0 = process.hrtime.bigint();
    for (const k of kiosks) k.sync.start();
    await Promise.all(
      kiosks.map(async (k) => {
        for (let n = 0; n < 1_000 && k.outbox.stats().pending > 0; n++) await k.sync.flush();
      }),
    );
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const left = kiosks.reduce((n, k) => n + k.outbox.stats().pending, 0);
    await closeAll();
    if (left > 0) throw new Error(`${left} transactions still pending after the drain`);
    const transactions = kiosks.length * job.perKiosk;
    return {
      kiosks: kiosks.length,
      transactions,
      seconds: Math.round(seconds * 1000) / 1000,
      tx_per_s: Math.round(transactions / seconds),
      kioskDirs,
      ids,
      rss_mb: peakRssMb(),
    };
  } catch (err) {
    // A failed run leaves nothing behind: no sync loop running, no kiosk dir.
    await closeAll().catch(() => {});
    for (const dir of kioskDirs) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

if (process.env.BENCH_SYNC) {
  const result = await benchSync(JSON.parse(process.env.BENCH_SYNC) as SyncJob);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
