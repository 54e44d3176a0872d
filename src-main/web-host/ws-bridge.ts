/**
 * The KioskApi over WebSocket at /api: the browser twin of the Electron IPC bridge.
 * Only pages served by this host may connect (Origin and Host checked, which also stops
 * DNS rebinding), frames are size-capped and schema-checked, and every call goes through
 * the same dispatcher as IPC.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { WsClientFrame, type KioskApi, type WsServerFrame } from '../../protocol/index.ts';
import { check } from '../../protocol/validate.ts';
import { bindKioskApi, type Logger } from '../core/index.ts';

export const API_PATH = '/api';
const MAX_FRAME_BYTES = 64 * 1024;

export function createWsBridge(deps: { api: KioskApi; allowedHosts: Set<string>; logger: Logger }) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  wss.on('connection', (socket: WebSocket) => {
    const send = (frame: WsServerFrame) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
    };
    const bound = bindKioskApi(
      deps.api,
      { send: (name, payload) => send({ type: 'event', name, payload }) },
      deps.logger,
    );
    socket.on('close', () => bound.close());
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      let frame: unknown;
      try {
        frame = isBinary ? undefined : JSON.parse(String(data));
      } catch {
        frame = undefined;
      }
      if (!check(WsClientFrame, frame)) {
        send({ type: 'error', id: -1, code: 'BAD_REQUEST' });
        return;
      }
      void bound
        .call(frame.method, frame.params)
        .then((r) =>
          send(
            r.ok
              ? { type: 'result', id: frame.id, value: r.value }
              : { type: 'error', id: frame.id, code: r.code },
          ),
        );
    });
    void deps.api.getView({}).then((payload) => send({ type: 'event', name: 'view', payload }));
  });

  return {
    /** node:http 'upgrade' handler. */
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const host = req.headers.host ?? '';
      const origin = req.headers.origin;
      const originHost = origin ? safeHost(origin) : null;
      if (
        path !== API_PATH ||
        !deps.allowedHosts.has(host) ||
        !originHost ||
        !deps.allowedHosts.has(originHost)
      ) {
        deps.logger.warn({ path, host, origin }, 'websocket refused');
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

function safeHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
