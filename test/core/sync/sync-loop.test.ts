/** The sync loop with a fake outbox, transport and time: order, batching, backoff, wake-ups, partial answers. */
import { describe, expect, it } from 'vitest';
import type { TxResult } from '../../../protocol/index.ts';
import type { OutboxRow } from '../../../src-main/core/outbox/outbox.ts';
import { silentLogger } from '../../../src-main/core/ports.ts';
import { createSyncLoop } from '../../../src-main/core/sync/sync-loop.ts';
import { fakeTime } from '../../fixtures/fake-time.ts';

function rows(n: number): OutboxRow[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `id-${i + 1}`,
    seq: i + 1,
    kind: 'borrow',
    itemId: `i${i}`,
    userId: 'u',
    occurredAt: 0,
    clockTrusted: true,
    auth: { kind: 'rental', token: 'a.b.c' },
  }));
}

function setup(opts: {
  pending: OutboxRow[];
  send: (batch: OutboxRow[]) => Promise<TxResult[]>;
  random?: number;
}) {
  const time = fakeTime();
  let pending = [...opts.pending];
  const sent: string[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const loop = createSyncLoop({
    outbox: {
      pending: (limit) => pending.slice(0, limit),
      complete: (results) => {
        const done = new Set(results.map((r) => r.id));
        pending = pending.filter((r) => !done.has(r.id));
      },
    },
    send: async (batch) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      sent.push(batch.map((r) => r.id));
      try {
        return await opts.send(batch);
      } finally {
        inFlight--;
      }
    },
    scheduler: time.scheduler,
    clock: time.clock,
    random: () => opts.random ?? 0.5,
    logger: silentLogger,
    batchSize: 2,
    baseDelayMs: 1_000,
    maxDelayMs: 8_000,
  });
  return {
    time,
    loop,
    sent,
    pending: () => pending,
    maxInFlight: () => maxInFlight,
    add: (r: OutboxRow[]) => void pending.push(...r),
  };
}

const applied = (batch: OutboxRow[]): TxResult[] => batch.map((r) => ({ id: r.id, status: 'applied' }));

describe('sync loop', () => {
  it('sends pending rows in sequence order, in batches, until empty', async () => {
    const s = setup({ pending: rows(5), send: async (b) => applied(b) });
    s.loop.start();
    await s.loop.flush();
    expect(s.sent).toEqual([['id-1', 'id-2'], ['id-3', 'id-4'], ['id-5']]);
    expect(s.pending()).toEqual([]);
    expect(s.loop.status()).toMatchObject({ online: true, failures: 0, syncing: false });
  });

  it('keeps unanswered rows of a partly answered batch and sends them again', async () => {
    let first = true;
    const s = setup({
      pending: rows(2),
      send: async (b) => {
        if (first) {
          first = false;
          return applied(b.slice(0, 1));
        }
        return applied(b);
      },
    });
    s.loop.start();
    await s.loop.flush();
    expect(s.sent).toEqual([['id-1', 'id-2'], ['id-2']]);
    expect(s.pending()).toEqual([]);
  });

  it('backs off exponentially with jitter, capped, and recovers', async () => {
    let down = true;
    const s = setup({
      pending: rows(1),
      random: 0,
      send: async (b) => {
        if (down) throw new Error('ECONNREFUSED');
        return applied(b);
      },
    });
    s.loop.start();
    await s.loop.flush();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      delays.push(s.time.pending()[0]!);
      s.time.advance(s.time.pending()[0]!);
      await s.loop.flush();
    }
    // random() = 0 gives the lower half of each window: 500, 1000, 2000, 4000, then the 8 s cap.
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 4_000, 4_000]);
    expect(s.loop.status()).toMatchObject({ online: false, failures: 7 });
    down = false;
    s.time.advance(s.time.pending()[0]!);
    await s.loop.flush();
    expect(s.pending()).toEqual([]);
    expect(s.loop.status()).toMatchObject({ online: true, failures: 0 });
  });

  it('wake() runs at once instead of waiting out the backoff', async () => {
    let down = true;
    const s = setup({
      pending: rows(1),
      send: async (b) => {
        if (down) throw new Error('offline');
        return applied(b);
      },
    });
    s.loop.start();
    await s.loop.flush();
    expect(s.time.pending()[0]).toBeGreaterThan(0);
    down = false;
    s.loop.wake();
    await s.loop.flush();
    expect(s.pending()).toEqual([]);
  });

  it('never runs two syncs at once; a wake during a run triggers one more run', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const s = setup({
      pending: rows(1),
      send: async (b) => {
        await gate;
        return applied(b);
      },
    });
    s.loop.start();
    s.add(rows(3).slice(1));
    s.loop.wake();
    s.loop.wake();
    release();
    await s.loop.flush();
    expect(s.maxInFlight()).toBe(1);
    expect(s.pending()).toEqual([]);
    expect(s.sent.flat()).toEqual(['id-1', 'id-2', 'id-3']);
  });

  it('treats an answer that covers none of the batch as a failure, not a loop', async () => {
    const s = setup({ pending: rows(1), send: async () => [] });
    s.loop.start();
    await s.loop.flush();
    expect(s.sent).toHaveLength(1);
    expect(s.loop.status()).toMatchObject({ online: false, failures: 1 });
    expect(s.pending()).toHaveLength(1);
  });
});

describe('reachability from other calls', () => {
  it('marks the kiosk online when another call reached the server, and sends waiting rows at once', async () => {
    let down = true;
    const s = setup({
      pending: rows(1),
      send: async (b) => {
        if (down) throw new Error('offline');
        return applied(b);
      },
    });
    s.loop.start();
    await s.loop.flush();
    expect(s.loop.status().online).toBe(false);
    down = false;
    s.loop.reachable(true);
    await s.loop.flush();
    expect(s.loop.status().online).toBe(true);
    expect(s.pending()).toEqual([]);
    s.loop.reachable(false);
    expect(s.loop.status().online).toBe(false);
  });
});
