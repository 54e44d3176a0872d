/**
 * GET /v1/admin/events: the dashboard's live stream (server-sent events). Each event on the
 * bus goes out as `event: <type>` with its JSON. A stream lives no longer than the sign-in
 * that opened it: it ends when the access token expires, and before each write it checks
 * that the session was not logged out and the person not deactivated or demoted meanwhile. The dashboard then reconnects with a fresh
 * token. Comment pings keep proxies from closing an idle stream.
 *
 * A person holds at most MAX_STREAMS_PER_PERSON streams at once on a replica (one per open
 * tab, and a few to spare): each stream costs a socket and, at every event, a look at the
 * sign-in, so a script opening thousands with one valid sign-in would make every event cost
 * thousands of reads. One more is refused with RATE_LIMITED until one of theirs closes.
 */
import type { ServerResponse } from 'node:http';
import { AppError, type LiveEvent } from '../../protocol/index.ts';
import type { App, FeatureOptions } from '../http/app-type.ts';
import { IsStaff, type Guard, type Permission } from '../http/auth-guards.ts';

export type SseOptions = {
  pingMs?: number;
  /** Timers are injected so tests can end a stream without waiting. */
  setTimer?: (fn: () => void, ms: number) => () => void;
};

export const MAX_STREAMS_PER_PERSON = 8;

const realTimer = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
};

/**
 * Which stream: staff get every event as it is (the default, /v1/admin/events); a member's own
 * page gets a bare "something changed" tick on /v1/people/me/events (no kiosk, no counts), on
 * which it reloads what is theirs.
 */
export type SseStream = {
  path: string;
  allows: Permission['allows'];
  present: (e: LiveEvent) => LiveEvent;
};
/** The stream's plugin options: the guard in front of it, its timers, and which stream. */
export type SseRouteOptions = FeatureOptions & { guard: Guard; sse?: SseOptions; stream?: SseStream };

const STAFF_STREAM: SseStream = {
  path: '/v1/admin/events',
  allows: (u) => IsStaff.allows(u),
  present: (e) => e,
};

/** Registered as its own plugin: the streams it opens are ended by its own onClose hook. */
export async function sseRoutes(app: App, { deps, guard, sse = {}, stream = STAFF_STREAM }: SseRouteOptions) {
  const pingMs = sse.pingMs ?? 25_000;
  const setTimer = sse.setTimer ?? realTimer;
  const open = new Set<ServerResponse>();
  const perPerson = new Map<string, number>();
  app.addHook('onClose', async () => {
    for (const res of open) res.end();
  });

  app.get(stream.path, { onRequest: guard }, (request, reply) => {
    const session = request.session!;
    const userId = request.user!.id;
    const held = perPerson.get(userId) ?? 0;
    if (held >= MAX_STREAMS_PER_PERSON)
      throw new AppError('RATE_LIMITED', `at most ${MAX_STREAMS_PER_PERSON} live streams at once`);
    perPerson.set(userId, held + 1);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n: connected\n\n');
    open.add(res);

    // Still signed in, still active, still allowed to watch: a person deactivated or demoted
    // meanwhile loses the stream at the next write (their own change is one).
    const live = async () => {
      if (deps.clock.now() >= session.expiresAtMs) return false;
      const [denied, live, user] = await Promise.all([
        deps.sessions.isDenied(session.jti),
        deps.sessions.liveSession(session.record.id),
        deps.store.findUserById(userId),
      ]);
      return !denied && live !== null && user !== null && user.active && stream.allows(user);
    };
    // Each write first asks whether the sign-in still stands (logout or revocation on any
    // replica ends the stream); chained, so events keep their order.
    let pending = Promise.resolve();
    const write = (chunk: string) => {
      pending = pending
        .then(async () => {
          if (res.writableEnded) return;
          if (await live()) res.write(chunk);
          else res.end();
        })
        .catch(() => void res.end());
    };
    const unsubscribe = deps.events.subscribe((event: LiveEvent) => {
      const e = stream.present(event);
      write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    });
    let cancelPing = () => {};
    const ping = () => {
      write(': ping\n\n');
      cancelPing = setTimer(ping, pingMs);
    };
    cancelPing = setTimer(ping, pingMs);
    const cancelExpiry = setTimer(() => res.end(), Math.max(0, session.expiresAtMs - deps.clock.now()));

    let ended = false;
    const cleanUp = () => {
      if (ended) return;
      ended = true;
      open.delete(res);
      const left = (perPerson.get(userId) ?? 1) - 1;
      if (left > 0) perPerson.set(userId, left);
      else perPerson.delete(userId);
      unsubscribe();
      cancelPing();
      cancelExpiry();
    };
    res.on('close', cleanUp);
    // A client gone while the guard was still checking its sign-in: its 'close' came before
    // anyone listened, and the slot would never be given back.
    if (request.raw.destroyed || res.destroyed || request.raw.socket?.destroyed === true) {
      res.end();
      cleanUp();
    }
  });
}
