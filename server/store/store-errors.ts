/**
 * The database is away (PostgreSQL restarting, a network cut, the pool unable to connect):
 * an expected, passing condition, not a bug. Routes answer 503 SERVICE_UNAVAILABLE with a
 * Retry-After; kiosks keep their rows pending and retry; nothing was half-applied, since
 * every use case is one transaction.
 */
import { AppError } from '../../protocol/index.ts';

export class StoreUnavailableError extends AppError {
  constructor(readonly detail: string) {
    super('SERVICE_UNAVAILABLE', 'the database is not reachable; try again shortly');
  }
}
