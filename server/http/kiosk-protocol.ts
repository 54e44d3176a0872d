/**
 * The kiosk wire format a request speaks (protocol/tokens.ts KIOSK_PROTOCOL_HEADER): 1 when
 * the kiosk sent no header (it predates the header), never above what this server knows.
 */
import type { FastifyRequest } from 'fastify';
import { KIOSK_PROTOCOL, KIOSK_PROTOCOL_HEADER } from '../../protocol/index.ts';

export function kioskProtocol(request: FastifyRequest): number {
  const raw = request.headers[KIOSK_PROTOCOL_HEADER];
  const n = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, KIOSK_PROTOCOL) : 1;
}
