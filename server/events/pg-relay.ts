/**
 * Live events across replicas: what one replica emits is sent with PostgreSQL NOTIFY and
 * every replica (this one too) hands it to its own dashboards' streams when LISTEN brings
 * it back. One dedicated connection listens; when it drops, it reconnects with backoff.
 * Events are hints to refresh (the dashboard re-reads), so one lost while the database
 * was away costs a stale view until the next, never a wrong one.
 */
import pg from 'pg';
import type { LiveEvent } from '../../protocol/index.ts';
import type { EventBus } from './bus.ts';

const CHANNEL = 'rental_events';

type Log = { warn(o: object, msg: string): void };

export type PgEventRelay = EventBus & {
  close(): Promise<void>;
  listening(): boolean;
  /** Settles once LISTEN is in place (or after `ms`), so a replica does not report healthy before it hears events. */
  ready(ms: number): Promise<boolean>;
};

export function pgEventRelay(opts: { url: string; local: EventBus; pool: pg.Pool; log?: Log }): PgEventRelay {
  let client: pg.Client | null = null;
  let closed = false;
  let ready = false;
  let retryMs = 250;
  let timer: NodeJS.Timeout | null = null;
  let onReady: () => void = () => {};
  const listeningNow = new Promise<void>((r) => (onReady = r));

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString: opts.url, application_name: 'rental-server events' });
    const retry = (err: unknown) => {
      ready = false;
      if (client === c) client = null;
      c.removeAllListeners();
      void c.end().catch(() => {});
      if (closed) return;
      opts.log?.warn({ err: (err as Error)?.message, retryMs }, 'event listener lost the database; retrying');
      timer = setTimeout(() => void connect(), retryMs);
      timer.unref();
      retryMs = Math.min(retryMs * 2, 5_000);
    };
    c.on('error', retry);
    c.on('notification', (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      try {
        opts.local.emit(JSON.parse(n.payload) as LiveEvent);
      } catch {
        // not ours to crash on
      }
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
      client = c;
      ready = true;
      retryMs = 250;
      onReady();
    } catch (err) {
      retry(err);
    }
  };
  void connect();

  return {
    emit(event) {
      opts.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(event)]).catch((err: unknown) => {
        opts.log?.warn({ err: (err as Error).message }, 'live event not sent');
      });
    },
    subscribe: (listener) => opts.local.subscribe(listener),
    listenerCount: () => opts.local.listenerCount(),
    listening: () => ready,
    ready: (ms) =>
      Promise.race([
        listeningNow.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref()),
      ]),
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      if (c) await c.end().catch(() => {});
    },
  };
}
