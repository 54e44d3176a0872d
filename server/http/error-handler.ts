/**
 * Every error leaves the server as `{ statusCode, code, message }`. A client's mistake
 * (bad JSON, wrong shape, oversized body, bad token) gets its 4xx and code; only a real
 * bug is a 500, and then without details.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, type ErrorBody, type ErrorCode } from '../../protocol/index.ts';
import { RateLimitedError } from '../auth/login-throttle.ts';
import { StoreUnavailableError } from '../store/store-errors.ts';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_VALIDATION: 'BAD_REQUEST',
};

export function body(code: ErrorCode, statusCode: number, message: string): ErrorBody {
  return { statusCode, code, message };
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      if (err instanceof RateLimitedError) {
        reply.header('retry-after', String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))));
      }
      if (err instanceof StoreUnavailableError) {
        request.log.warn({ detail: err.detail }, 'database unavailable');
        reply.header('retry-after', '2');
      }
      return reply.status(err.statusCode).send(body(err.code, err.statusCode, err.message));
    }
    const mapped = err.validation ? 'BAD_REQUEST' : err.code ? FASTIFY_CODES[err.code] : undefined;
    if (mapped) {
      const status = mapped === 'PAYLOAD_TOO_LARGE' ? 413 : 400;
      return reply.status(status).send(body(mapped, status, err.message));
    }
    if (err instanceof SyntaxError || (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)) {
      const status = err.statusCode === 413 ? 413 : 400;
      return reply
        .status(status)
        .send(body(status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', status, 'bad request'));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send(body('INTERNAL', 500, 'internal error'));
  });

  app.setNotFoundHandler((_request, reply) => reply.status(404).send(body('NOT_FOUND', 404, 'not found')));
}
