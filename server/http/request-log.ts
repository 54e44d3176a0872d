/**
 * The request log, with one exception for routes called at a high rate (the badge tap,
 * marked `config: { requestLog: 'summary' }`). Fastify's two info lines per request cost
 * ~21 µs of a tap's ~240 µs (issue 18: ~4.5% of req/s), mostly their synchronous writes.
 * On such a route the per-request lines go at debug (there when the server logs at debug),
 * errors and 5xx still go at once at their usual levels, and one info line a minute sums
 * the route up: requests by status, mean and slowest response time. A minute's line is
 * written with the first request after the minute ends, or when the server closes.
 */
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Clock } from '../../protocol/index.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'summary': this route's requests are logged at debug and summed up at info every minute. */
    requestLog?: 'summary';
  }
}

export const SUMMARY_EVERY_MS = 60_000;

type Window = {
  since: number;
  requests: number;
  byStatus: Record<string, number>;
  totalMs: number;
  slowestMs: number;
};

const summarized = (request: FastifyRequest) => request.routeOptions?.config?.requestLog === 'summary';

export class RequestLog extends LogController {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly clock: Clock,
    private readonly everyMs = SUMMARY_EVERY_MS,
  ) {
    super();
  }

  override incomingRequest(request: FastifyRequest, reply: FastifyReply) {
    if (!summarized(request)) return super.incomingRequest(request, reply);
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    if (!summarized(request)) return super.requestCompleted(error, request, reply);
    const ms = reply.elapsedTime;
    if (error) reply.log.error({ res: reply, err: error, responseTime: ms }, 'request errored');
    else reply.log.debug({ res: reply, responseTime: ms }, 'request completed');
    this.count(request.server.log, request.routeOptions.url ?? request.url, reply.statusCode, ms);
  }

  /** Writes every open window's line (at close, so the last minute is not lost). */
  flush(log: FastifyBaseLogger) {
    for (const [route, w] of this.windows) this.write(log, route, w, this.clock.now());
    this.windows.clear();
  }

  private count(log: FastifyBaseLogger, route: string, status: number, ms: number) {
    const now = this.clock.now();
    let w = this.windows.get(route);
    if (w && now - w.since >= this.everyMs) {
      this.write(log, route, w, now);
      w = undefined;
    }
    if (!w) {
      w = { since: now, requests: 0, byStatus: {}, totalMs: 0, slowestMs: 0 };
      this.windows.set(route, w);
    }
    w.requests++;
    w.byStatus[status] = (w.byStatus[status] ?? 0) + 1;
    w.totalMs += ms;
    if (ms > w.slowestMs) w.slowestMs = ms;
  }

  private write(log: FastifyBaseLogger, route: string, w: Window, now: number) {
    if (w.requests === 0) return;
    log.info(
      {
        route,
        seconds: Math.round((now - w.since) / 1000),
        requests: w.requests,
        byStatus: w.byStatus,
        meanMs: Math.round((w.totalMs / w.requests) * 100) / 100,
        slowestMs: Math.round(w.slowestMs * 100) / 100,
      },
      'requests summary',
    );
  }
}
