/** The typed code of an expected failure, or `fallback` for anything else (a network error). */
import { AppError, type ErrorCode } from '../../../protocol/index.ts';

export function codeOf(err: unknown, fallback: ErrorCode): ErrorCode {
  return err instanceof AppError ? err.code : fallback;
}
