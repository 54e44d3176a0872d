/**
 * The kiosk's copy of the server's catalog, kept in its SQLite file so the kiosk can show
 * items through an outage and after a restart. Availability is the server's state with
 * this kiosk's own pending rows laid over it: a borrow that has not synced yet still
 * makes the item unavailable here.
 */
import type Database from 'better-sqlite3';
import type {
  CatalogItem,
  CatalogReservations,
  CatalogResponse,
  ItemCondition,
  PolicySet,
  Role,
} from '../../../protocol/index.ts';
import {
  CatalogReservations as CatalogReservationsSchema,
  PolicySet as PolicySetSchema,
  validatePolicies,
} from '../../../protocol/index.ts';
import { check } from '../../../protocol/validate.ts';
import type { WaitingRow } from '../outbox/outbox.ts';

type Row = {
  id: string;
  tag: string;
  name: string;
  category: string;
  loan_days: number;
  restricted_to: Role | null;
  on_loan: number;
  retired: number;
  locker_slot: string | null;
  condition: ItemCondition;
  /** JSON array of a kit's part names ('[]': no kit). */
  parts: string;
};

const toItem = (r: Row): CatalogItem => ({
  id: r.id,
  tag: r.tag,
  name: r.name,
  category: r.category,
  loanDays: r.loan_days,
  restrictedTo: r.restricted_to,
  onLoan: r.on_loan === 1,
  retired: r.retired === 1,
  lockerSlot: r.locker_slot,
  condition: r.condition,
  parts: JSON.parse(r.parts) as string[],
});

export type CatalogCache = ReturnType<typeof createCatalogCache>;

export function createCatalogCache(db: Database.Database) {
  const upsert = db.prepare(
    `INSERT INTO catalog_items (id, tag, name, category, loan_days, restricted_to, on_loan, retired, locker_slot, condition,
                                parts)
     VALUES (@id, @tag, @name, @category, @loanDays, @restrictedTo, @onLoan, @retired, @lockerSlot, @condition,
             COALESCE(@parts, '[]'))
     ON CONFLICT(id) DO UPDATE SET tag = excluded.tag, name = excluded.name, category = excluded.category,
       loan_days = excluded.loan_days, restricted_to = excluded.restricted_to,
       on_loan = excluded.on_loan, retired = excluded.retired, locker_slot = excluded.locker_slot,
       condition = excluded.condition,
       -- A server before protocol 7 says nothing of parts: what the kiosk knew stays.
       parts = COALESCE(@parts, catalog_items.parts)`,
  );
  const getKv = db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?');
  const setKv = db.prepare(
    'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );

  const putPolicies = db.prepare(
    `INSERT INTO catalog_policies (id, body, received_at) VALUES (1, ?, ?)
     ON CONFLICT(id) DO UPDATE SET body = excluded.body, received_at = excluded.received_at`,
  );
  const getPolicies = db.prepare<[], { body: string }>('SELECT body FROM catalog_policies WHERE id = 1');

  const readHolders = (): Record<string, string> => {
    const raw = getKv.get('catalog_holders')?.value;
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  };
  const withHolder = (item: CatalogItem, holders: Record<string, string>): CatalogItem => {
    const heldBy = item.onLoan && Object.hasOwn(holders, item.id) ? holders[item.id] : undefined;
    return typeof heldBy === 'string' ? { ...item, heldBy } : item;
  };
  // Each item's photo hash (protocol 5), kept in kv as the holders are.
  const readPhotos = (): Record<string, string> => {
    const raw = getKv.get('catalog_photos')?.value;
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  };
  const withPhoto = (item: CatalogItem, photos: Record<string, string>): CatalogItem =>
    Object.hasOwn(photos, item.id) ? { ...item, photo: photos[item.id]! } : item;

  const apply = db.transaction((res: CatalogResponse) => {
    if (res.full) db.prepare('DELETE FROM catalog_items').run();
    for (const item of res.items)
      upsert.run({
        ...item,
        lockerSlot: item.lockerSlot ?? null,
        condition: item.condition ?? 'ok',
        parts: item.parts === undefined ? null : JSON.stringify(item.parts),
        onLoan: item.onLoan ? 1 : 0,
        retired: item.retired ? 1 : 0,
      });
    // Whose each item on loan is (first names, protocol 4), kept beside the items in kv rather
    // than in a column of catalog_items: a few bytes per item out, rewritten with each pull.
    const holders: Record<string, string> = res.full ? {} : readHolders();
    for (const item of res.items) {
      if (item.heldBy && item.onLoan) holders[item.id] = item.heldBy;
      else delete holders[item.id];
    }
    setKv.run('catalog_holders', JSON.stringify(holders));
    // A server before protocol 5 says nothing of photos: what the kiosk knew stays.
    const photos: Record<string, string> = res.full ? {} : readPhotos();
    for (const item of res.items) {
      if (item.photo === undefined && !res.full) continue;
      if (item.photo) photos[item.id] = item.photo;
      else delete photos[item.id];
    }
    setKv.run('catalog_photos', JSON.stringify(photos));
    setKv.run('catalog_cursor', res.cursor);
    // The reservations to keep to (protocol 6), whole with every pull, in kv as the holders
    // are. A server that sends none leaves the last set: each one lapses with its pickup time.
    if (res.reservations) setKv.run('catalog_reservations', JSON.stringify(res.reservations));
    // Kept only when whole and valid (the server checked them too): a kiosk keeps judging by
    // the last good set rather than by none.
    if (res.policies && !validatePolicies(res.policies))
      putPolicies.run(JSON.stringify(res.policies), Date.parse(res.serverTime) || 0);
  });

  // A paged pull (protocol 5): each page waits in catalog_pull_pages, with the token of the
  // next one in kv, until the last is here; then the whole set is applied in one transaction.
  // Until then the catalog shown (and used offline) is the one before the pull.
  const delKv = db.prepare('DELETE FROM kv WHERE key = ?');
  const addPage = db.prepare('INSERT INTO catalog_pull_pages (body) VALUES (?)');
  const dropPages = db.prepare('DELETE FROM catalog_pull_pages');
  const readPages = db.prepare<[], { body: string }>('SELECT body FROM catalog_pull_pages ORDER BY seq');
  const dropPull = db.transaction(() => {
    dropPages.run();
    delKv.run('catalog_pull_next');
  });
  const applyPage = db.transaction((res: CatalogResponse, first: boolean): boolean => {
    if (first) dropPull();
    if (res.next === undefined && first) {
      // A server before protocol 5: one answer is the whole pull.
      apply(res);
      return true;
    }
    if (res.next) {
      addPage.run(JSON.stringify(res));
      setKv.run('catalog_pull_next', res.next);
      return false;
    }
    // Written by this function from answers the client checked against the protocol.
    const pages = readPages.all().map((r) => JSON.parse(r.body) as CatalogResponse);
    const head = pages[0] ?? res;
    // Every page of one pull carries its snapshot cursor: pages of two pulls are never merged.
    if (pages.some((p) => p.cursor !== res.cursor || p.full !== res.full)) {
      dropPull();
      throw new Error('catalog pages of different pulls');
    }
    apply({ ...res, full: head.full, items: [...pages.flatMap((p) => p.items), ...res.items] });
    dropPull();
    return true;
  });

  return {
    cursor: (): string | null => getKv.get('catalog_cursor')?.value ?? null,
    apply: (res: CatalogResponse) => apply(res),
    /**
     * One answer of a pull; `first` when it starts the pull (any earlier unfinished one is
     * dropped). True when the pull is complete and applied; false: fetch `res.next`.
     */
    applyPage: (res: CatalogResponse, first: boolean): boolean => applyPage(res, first),
    /** The token of the next page of a pull left unfinished (server gone, kiosk restarted). */
    pendingPage: (): string | null => getKv.get('catalog_pull_next')?.value ?? null,
    /** Forget an unfinished pull (its token was refused): the next pull starts again. */
    dropPull: () => dropPull(),
    /** The lending policies the catalog last brought; null from a server that sends none. */
    policies: (): PolicySet | null => {
      const row = getPolicies.get();
      if (!row) return null;
      const parsed: unknown = JSON.parse(row.body);
      return check(PolicySetSchema, parsed) ? parsed : null;
    },
    /** The reservations the catalog last brought (protocol 6); null from a server that sends none. */
    reservations: (): CatalogReservations | null => {
      const raw = getKv.get('catalog_reservations')?.value;
      const parsed: unknown = raw ? JSON.parse(raw) : null;
      return check(CatalogReservationsSchema, parsed) ? parsed : null;
    },
    /** Every lendable item, with the first name of whoever holds it when the server said. */
    items: (): CatalogItem[] => {
      const holders = readHolders();
      const photos = readPhotos();
      return db
        .prepare<[], Row>('SELECT * FROM catalog_items WHERE retired = 0 ORDER BY category, name')
        .all()
        .map((r) => withPhoto(withHolder(toItem(r), holders), photos));
    },
    /** The photo hashes of every item not retired: what the kiosk keeps thumbnails of. */
    photoHashes: (): Set<string> => {
      const live = new Set(
        db
          .prepare<[], { id: string }>('SELECT id FROM catalog_items WHERE retired = 0')
          .all()
          .map((r) => r.id),
      );
      return new Set(Object.entries(readPhotos()).flatMap(([id, hash]) => (live.has(id) ? [hash] : [])));
    },
    byTag: (tag: string): CatalogItem | null => {
      const row = db
        .prepare<[string], Row>('SELECT * FROM catalog_items WHERE tag = ? COLLATE NOCASE AND retired = 0')
        .get(tag.trim());
      return row ? toItem(row) : null;
    },
    byId: (id: string): CatalogItem | null => {
      const row = db.prepare<[string], Row>('SELECT * FROM catalog_items WHERE id = ?').get(id);
      return row ? toItem(row) : null;
    },
    /** What the server last said is open for this kiosk (heartbeat), and when it said it. */
    openConflicts: (): { open: number; at: number } | null => {
      const raw = getKv.get('open_conflicts')?.value;
      return raw ? (JSON.parse(raw) as { open: number; at: number }) : null;
    },
    setOpenConflicts: (open: number, at: number) =>
      void setKv.run('open_conflicts', JSON.stringify({ open, at })),
    kv: {
      get: (key: string) => getKv.get(key)?.value ?? null,
      set: (key: string, value: string) => void setKv.run(key, value),
    },
  };
}

export type ItemNow = { onLoan: boolean; condition: ItemCondition };

/**
 * Whether each item is out, and its condition, after the newest of this kiosk's
 * not-yet-synced rows for it: a return reported damaged or incomplete here waits for a
 * check at once, before the server has heard of it.
 */
export function effectiveState(items: CatalogItem[], pending: WaitingRow[]): Map<string, ItemNow> {
  const out = new Map<string, ItemNow>(
    items.map((i) => [i.id, { onLoan: i.onLoan, condition: i.condition ?? 'ok' }]),
  );
  for (const row of pending) {
    const now = out.get(row.itemId);
    if (!now) continue;
    // A renewal leaves the item out, with the same person.
    now.onLoan = row.kind !== 'return';
    if (row.kind === 'return' && row.condition) now.condition = 'needs_check';
  }
  return out;
}
