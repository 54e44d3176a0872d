/**
 * Keeps the catalog fresh: a pull at start, then every `pollMs` (and after a sync delivered
 * rows), page by page from the server into the catalog cache, then the item photos it
 * names. One pull at a time: a pull's pages wait in one staging table, so a second pull (the
 * poller and a sync's onDelivered at once) waits for the first and then pulls what is left.
 * Each pull also refreshes the offline roster.
 */
import type { OfflineRoster } from '../identity/offline-roster.ts';
import type { Logger, Scheduler, TimerHandle } from '../ports.ts';
import type { ServerClient } from '../server-client.ts';
import { codeOf } from '../effects/code-of.ts';
import type { CatalogCache } from './catalog-cache.ts';
import type { PhotoStore } from './photo-store.ts';

/** At most this many rounds of changes, and answers, in one pull. */
const MAX_ROUNDS = 20;
const MAX_ANSWERS = 10_000;

export type CatalogPollerDeps = {
  client: Pick<ServerClient, 'catalog'>;
  catalog: Pick<CatalogCache, 'cursor' | 'pendingPage' | 'dropPull' | 'applyPage' | 'photoHashes'>;
  roster: Pick<OfflineRoster, 'refresh'>;
  /** Item photo thumbnails (protocol 5), fetched after each catalog pull; none: no photos. */
  photos?: Pick<PhotoStore, 'has' | 'keep'> & { fetch(hash: string): Promise<Buffer> };
  scheduler: Scheduler;
  logger: Logger;
  pollMs: number;
  /** A pull ended: the server was reached (true) or not (false, null: no matter). Redraw. */
  pulled(reached: boolean | null): void;
  /** True when `err` was the database failing (the kiosk is now out of service). */
  noteFailure(err: unknown): boolean;
};

export function createCatalogPoller(deps: CatalogPollerDeps) {
  const { catalog, logger } = deps;
  let timer: TimerHandle | null = null;
  let stopped = true;
  let pulling: Promise<void> = Promise.resolve();

  function pull(): Promise<void> {
    pulling = pulling.then(pullOnce, pullOnce);
    return pulling;
  }

  async function pullOnce() {
    void deps.roster.refresh().catch((err: unknown) => {
      logger.debug({ code: codeOf(err, 'SERVER_UNREACHABLE') }, 'roster refresh failed');
    });
    try {
      await pullPages();
      deps.pulled(true);
    } catch (err) {
      if (deps.noteFailure(err)) return;
      const code = codeOf(err, 'SERVER_UNREACHABLE');
      deps.pulled(code === 'SERVER_UNREACHABLE' ? false : null);
      logger.debug({ code }, 'catalog pull failed');
      return;
    }
    await pullPhotos();
  }

  async function pullPages() {
    let cursor = catalog.cursor();
    // A pull left unfinished (server gone, kiosk restarted) goes on from its next page.
    let page = catalog.pendingPage();
    let restarted = false;
    for (let round = 0, answers = 0; round < MAX_ROUNDS && answers < MAX_ANSWERS; answers++) {
      let res;
      try {
        res = await deps.client.catalog(cursor, page ?? undefined);
      } catch (err) {
        // A page token the server no longer takes (it restarted, or was restored from a
        // backup): the pull starts again from the catalog the kiosk has, once.
        if (page === null || restarted || codeOf(err, 'SERVER_UNREACHABLE') !== 'BAD_REQUEST') throw err;
        catalog.dropPull();
        page = null;
        restarted = true;
        continue;
      }
      if (!catalog.applyPage(res, page === null)) {
        page = res.next ?? null;
        continue;
      }
      page = null;
      round++;
      if (res.items.length === 0 || res.cursor === cursor) break;
      cursor = res.cursor;
    }
  }

  /** Thumbnails of the catalog's photos: the list shows each once it is here. */
  async function pullPhotos() {
    const photos = deps.photos;
    if (!photos) return;
    try {
      if (await photos.keep(catalog.photoHashes(), (hash) => photos.fetch(hash))) deps.pulled(null);
    } catch (err) {
      if (deps.noteFailure(err)) return;
      logger.warn({ err: (err as Error).message }, 'photo thumbnails not kept');
    }
  }

  function schedule() {
    timer?.cancel();
    if (stopped) return;
    timer = deps.scheduler.after(deps.pollMs, () => {
      void pull().finally(schedule);
    });
  }

  return {
    /** Pull now (a sync delivered rows, a test); resolves when this pull is done. */
    pull,
    /** The first pull, then one every pollMs. */
    async start() {
      stopped = false;
      await pull();
      schedule();
    },
    stop() {
      stopped = true;
      timer?.cancel();
    },
  };
}
