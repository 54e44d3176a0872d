/**
 * enqueue: one outbox commit (WAL, synchronous=FULL: the commit that has to return before
 * the screen says "done"), timed one by one, against a raw loop on the same disk in the
 * same run that appends one 4 KiB page to a file and fsyncs it (what a durable commit
 * cannot beat). Ratio = outbox commits/s over raw write+fsync/s.
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { KIOSK_MIGRATIONS } from '../../src-main/core/outbox/migrations.ts';
import { createOutbox } from '../../src-main/core/outbox/outbox.ts';
import { openKioskDatabase } from '../../src-main/core/sqlite.ts';
import { msSince, percentile, round } from './stats.ts';

/** A rental token shaped like a real one (the row's size matters, its validity does not here). */
const TOKEN = `eyJhbGciOiJFZERTQSJ9.${'x'.repeat(300)}.${'y'.repeat(86)}`;

export function benchEnqueue(dir: string, commits: number) {
  const work = mkdtempSync(join(dir, 'rental-bench-enqueue-'));
  try {
    const db = openKioskDatabase(join(work, 'kiosk.db'), KIOSK_MIGRATIONS);
    const outbox = createOutbox(db, { now: () => Date.now() });
    const commit: number[] = [];
    for (let i = 0; i < commits; i++) {
      const t0 = process.hrtime.bigint();
      outbox.append([
        {
          kind: i % 2 ? 'return' : 'borrow',
          itemId: `itm_${i % 50}`,
          userId: 'usr_bench',
          occurredAt: Date.now(),
          clockTrusted: true,
          auth: { kind: 'rental', token: TOKEN },
        },
      ]);
      commit.push(msSince(t0));
    }
    db.close();

    const fd = openSync(join(work, 'raw.bin'), 'w');
    const page = Buffer.alloc(4096, 7);
    const raw: number[] = [];
    for (let i = 0; i < commits; i++) {
      const t0 = process.hrtime.bigint();
      writeSync(fd, page);
      fsyncSync(fd);
      raw.push(msSince(t0));
    }
    closeSync(fd);

    const p50 = percentile(commit, 50);
    const fsyncP50 = percentile(raw, 50);
    return {
      p50_ms: round(p50, 3),
      p99_ms: round(percentile(commit, 99), 3),
      fsync_p50_ms: round(fsyncP50, 3),
      fsync_p99_ms: round(percentile(raw, 99), 3),
      commits,
      ratio: round(fsyncP50 / p50, 2),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
