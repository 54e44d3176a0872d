/**
 * The kiosk wire format a request speaks (protocol/tokens.ts KIOSK_PROTOCOL_HEADER): 1 when
 * the kiosk sent no header (it predates the header), never above what this server knows.
 */
import type { FastifyRequest } from 'fastify';
import { KIOSK_PROTOCOL, KIOSK_PROTOCOL_HEADER, type ErrorCode } from '../../protocol/index.ts';

export function kioskProtocol(request: FastifyRequest): number {
  const raw = request.headers[KIOSK_PROTOCOL_HEADER];
  const n = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, KIOSK_PROTOCOL) : 1;
}

/**
 * Codes the lending policies brought (protocol 3), as a kiosk of an older protocol can read
 * them: its strict schema refuses a code it does not know, and with it the whole answer.
 */
const BEFORE_POLICIES: Partial<Record<ErrorCode, ErrorCode>> = {
  CATEGORY_LIMIT_REACHED: 'LOAN_LIMIT_REACHED',
  CATEGORY_NOT_ALLOWED: 'ITEM_NOT_ALLOWED',
  OVERDUE_BLOCK: 'LOAN_LIMIT_REACHED',
  PERSON_SUSPENDED: 'USER_INACTIVE',
};

export function codeForKiosk(code: ErrorCode, protocol: number): ErrorCode {
  return protocol >= 3 ? code : (BEFORE_POLICIES[code] ?? code);
}
