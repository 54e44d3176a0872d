/**
 * Issue 14.1: kiosks that were offline reconnect in any order, and the server ends with the
 * loans the physical history had. Kiosk A: h1 borrows item Z, then returns it; kiosk B (still
 * showing Z free): h2 borrows Z later. B syncing first used to leave Z "available" while h2
 * held it. The property: for random physical histories spread over several offline kiosks,
 * every reconnect order (and batch split) gives the same loans, and they are the history's.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../server/store/sqlite/open-sqlite-store.ts';
import type { PreparedTx, Store } from '../../../server/store/store.ts';
import { DAY, gear, kiosk, MIN, person, row, sync, T0 } from '../store/contract/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'rental-timeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let stores = 0;

async function freshWorld() {
  const store = openSqliteStore({ file: join(dir, `s${++stores}.db`) });
  const people = [];
  for (const name of ['Ann', 'Bo', 'Cy', 'Dee']) people.push(await person(store, name));
  const items = [];
  for (const tag of ['CAM-1', 'TRI-1', 'MIC-1']) items.push(await gear(store, tag, { loanDays: 7 }));
  const kiosks = [];
  for (const name of ['Front', 'Lab', 'Annex']) kiosks.push(await kiosk(store, name));
  return { store, people, items, kiosks };
}

/** One physical step: at a kiosk, a person takes an item (from the shelf or from its holder), or its holder returns it. */
type Step = { item: number; kiosk: number; person: number; give: boolean };
type Holding = { item: number; person: number; start: number; end: number | null };

/** The rows each kiosk recorded, and the holdings that physically happened. */
function history(steps: Step[]) {
  const holder = new Map<number, Holding>();
  const holdings: Holding[] = [];
  const rows: { kiosk: number; kind: 'borrow' | 'return'; item: number; person: number; at: number }[] = [];
  steps.forEach((s, i) => {
    const at = T0 + (i + 1) * MIN;
    const h = holder.get(s.item);
    if (h && !s.give) {
      // The holder brings it back.
      rows.push({ kiosk: s.kiosk, kind: 'return', item: s.item, person: h.person, at });
      h.end = at;
      holder.delete(s.item);
      return;
    }
    if (h && h.person === s.person) return; // already theirs: nothing happens
    // From the shelf, or handed over by its holder without a return at any kiosk.
    rows.push({ kiosk: s.kiosk, kind: 'borrow', item: s.item, person: s.person, at });
    if (h) h.end = at;
    const next = { item: s.item, person: s.person, start: at, end: null };
    holder.set(s.item, next);
    holdings.push(next);
  });
  return { rows, holdings };
}

async function replay(steps: Step[], order: number[]) {
  const w = await freshWorld();
  try {
    const { rows, holdings } = history(steps);
    // Each kiosk's rows in its own order, sent in the batches `order` says (kiosk index per batch).
    const queues = w.kiosks.map((_, k) =>
      rows
        .filter((r) => r.kiosk === k)
        .map((r, seq): PreparedTx =>
          row({
            id: `k${k}-${seq + 1}`,
            seq: seq + 1,
            kind: r.kind,
            itemId: w.items[r.item]!.id,
            userId: w.people[r.person]!.id,
            occurredAt: r.at,
          }),
        ),
    );
    const sent = queues.map(() => 0);
    for (const k of order) {
      const q = queues[k]!;
      const take = q.slice(sent[k], sent[k]! + Math.max(1, Math.ceil(q.length / 2)));
      sent[k]! += take.length;
      if (take.length) await sync(w.store, w.kiosks[k]!.id, take, T0 + DAY, 100);
    }
    for (const [k, q] of queues.entries()) {
      if (sent[k]! < q.length) await sync(w.store, w.kiosks[k]!.id, q.slice(sent[k]), T0 + DAY, 100);
    }
    const expected = holdings
      .map((h) => ({
        item: w.items[h.item]!.name,
        person: w.people[h.person]!.displayName,
        borrowedAt: h.start,
        returnedAt: h.end,
      }))
      .sort(byItemThenTime);
    return { actual: await loansOf(w.store), expected };
  } finally {
    await w.store.close();
  }
}

/** By names, so that two worlds (each with its own ids) compare. */
type Loan = { item: string; person: string; borrowedAt: number; returnedAt: number | null };
const byItemThenTime = (a: Loan, b: Loan) => a.item.localeCompare(b.item) || a.borrowedAt - b.borrowedAt;

async function loansOf(store: Store): Promise<Loan[]> {
  return (await store.loans({ status: 'all' }))
    .map((l) => ({
      item: l.itemName,
      person: l.userName,
      borrowedAt: l.borrowedAt,
      returnedAt: l.returnedAt,
    }))
    .sort(byItemThenTime);
}

const steps = fc.array(
  fc.record({
    item: fc.integer({ min: 0, max: 2 }),
    kiosk: fc.integer({ min: 0, max: 2 }),
    person: fc.integer({ min: 0, max: 3 }),
    give: fc.boolean(),
  }),
  { minLength: 1, maxLength: 24 },
);
/** Which kiosk sends its next batch, in turn: any interleaving of two batches per kiosk. */
const reconnects = fc.shuffledSubarray([0, 0, 1, 1, 2, 2], { minLength: 6, maxLength: 6 });

describe('item timelines', () => {
  it('two offline kiosks: B syncing before A still leaves the item with the person who has it', async () => {
    // A: Ann borrows CAM, returns it. B (offline, showing CAM free): Bo borrows it afterwards.
    const history: Step[] = [
      { item: 0, kiosk: 0, person: 0, give: true },
      { item: 0, kiosk: 0, person: 0, give: false },
      { item: 0, kiosk: 1, person: 1, give: true },
    ];
    for (const order of [
      [0, 0, 1, 1, 2, 2],
      [1, 1, 0, 0, 2, 2],
    ]) {
      const { actual, expected } = await replay(history, order);
      expect(actual).toEqual(expected);
      expect(actual.filter((l) => l.returnedAt === null)).toHaveLength(1);
    }
  });

  it('every reconnect order gives the loans of the physical history', async () => {
    await fc.assert(
      fc.asyncProperty(steps, reconnects, reconnects, async (s, first, second) => {
        const a = await replay(s, first);
        expect(a.actual).toEqual(a.expected);
        const b = await replay(s, second);
        expect(b.actual).toEqual(a.actual);
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
