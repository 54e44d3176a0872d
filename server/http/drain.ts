/**
 * Closing without waiting out keep-alive connections.
 *
 * Fastify's close() ends the connections that are idle at that moment, but a request still
 * being answered leaves its connection open after the answer, and Fastify keeps such a
 * connection for its keep-alive timeout (72 s). A replica being drained (or a test stopping
 * its server) then hangs for a minute. Once closing has begun, every answer tells the
 * client `Connection: close`, and a connection whose answer was already on its way when
 * closing began is ended once that answer is sent, so the client opens its next connection
 * to a replica that is not going away. (Fastify runs preClose a few ticks after close() is
 * called, so an answer can be sent before the flag is set and finish after it.)
 */
import type { FastifyInstance } from 'fastify';

export function closeConnectionsWhenDraining(app: FastifyInstance): void {
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (draining && !reply.raw.headersSent) void reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (req) => {
    if (draining) req.raw.socket?.end();
  });
}
