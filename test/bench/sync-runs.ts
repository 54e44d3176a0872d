/**
 * The two sync runs against one server: one kiosk with `singleTx` queued transactions (in its
 * own process, so its peak RSS is the kiosk core's), then `fleet` kiosks with `fleetTx` each,
 * at once. Then the verdict (exactly once) from the kiosks' outbox files and the server's
 * rows, however those were read (SQLite file or PostgreSQL), and the kiosks' dirs removed.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Invariants, KioskRecord } from '../fixtures/outbox-invariants.ts';
import { startChild } from './child.ts';
import { benchSync, type BenchUser, type SyncJob, type SyncResult } from './sync-kiosks.ts';

const here = dirname(fileURLToPath(import.meta.url));

export type SyncRuns = { single: SyncResult; fleet: SyncResult };

export async function benchSyncRuns(opts: {
  serverUrl: string;
  /** 1 + fleet enrollment codes. */
  codes: string[];
  /** 1 + fleet people. */
  users: BenchUser[];
  fleet: number;
  singleTx: number;
  fleetTx: number;
  log: (msg: string) => void;
}): Promise<SyncRuns> {
  opts.log(`sync: one kiosk with ${opts.singleTx} queued transactions`);
  const singleJob: SyncJob = {
    serverUrl: opts.serverUrl,
    codes: [opts.codes[0]!],
    users: [opts.users[0]!],
    perKiosk: opts.singleTx,
  };
  const singleChild = startChild(join(here, 'sync-kiosks.ts'), { BENCH_SYNC: JSON.stringify(singleJob) });
  let single: SyncResult;
  try {
    single = await singleChild.next<SyncResult>(600_000);
  } finally {
    await singleChild.stop();
  }

  opts.log(`sync: ${opts.fleet} kiosks with ${opts.fleetTx} each, at once`);
  let fleet: SyncResult;
  try {
    fleet = await benchSync({
      serverUrl: opts.serverUrl,
      codes: opts.codes.slice(1, 1 + opts.fleet),
      users: opts.users.slice(1, 1 + opts.fleet),
      perKiosk: opts.fleetTx,
    });
  } catch (err) {
    removeKioskDirs({ single });
    throw err;
  }
  return { single, fleet };
}

/** What the verdict reads from the kiosks: their outbox files and what each confirmed. */
export function kioskRecords(runs: SyncRuns): KioskRecord[] {
  return [runs.single, runs.fleet].flatMap((r) =>
    r.kioskDirs.map((dataDir, i) => ({
      dataDir,
      confirmed: r.ids[i]!.map((id) => ({ id, kind: 'borrow' as const, itemId: '', userId: '' })),
    })),
  );
}

/** Every confirmed transaction applied once, nothing lost, doubled or left pending. */
export function appliedExactlyOnce(inv: Invariants, runs: SyncRuns): boolean {
  return (
    inv.lost === 0 &&
    inv.duplicated === 0 &&
    inv.pending === 0 &&
    inv.applied === inv.confirmed &&
    inv.confirmed === runs.single.transactions + runs.fleet.transactions
  );
}

export function removeKioskDirs(runs: Partial<SyncRuns>): void {
  for (const r of [runs.single, runs.fleet])
    for (const dir of r?.kioskDirs ?? []) rmSync(dir, { recursive: true, force: true });
}
