/**
 * Stamps every answer with the server's clock (protocol/clock.ts: SERVER_CLOCK_HEADER): when
 * the request arrived and when the answer left, in milliseconds. Kiosks set their estimate
 * of server time from it (src-main/core/clock/server-clock.ts).
 */
import type { FastifyInstance } from 'fastify';
import { formatServerClock, SERVER_CLOCK_HEADER, type Clock } from '../../protocol/index.ts';

export function stampServerClock(app: FastifyInstance, clock: Clock): void {
  const receivedAt = new WeakMap<object, number>();
  app.addHook('onRequest', async (req) => {
    receivedAt.set(req, clock.now());
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const now = clock.now();
    void reply.header(SERVER_CLOCK_HEADER, formatServerClock(receivedAt.get(req) ?? now, now));
    return payload;
  });
}
