/**
 * Schema checks for values that cross a boundary. Checkers are compiled once per schema.
 * Used by the kiosk core (server responses, IPC payloads, config) and by the server where
 * Fastify's own validation does not reach (tokens' claims, config).
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { AppError, type ErrorCode } from './errors.ts';

const cache = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checker<T extends TSchema>(schema: T): TypeCheck<T> {
  let check = cache.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    cache.set(schema, check);
  }
  return check as TypeCheck<T>;
}

export function check<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  return checker(schema).Check(value);
}

/** The first few problems, as `path: message` lines, for logs and config errors. */
export function describeErrors(schema: TSchema, value: unknown, max = 3): string[] {
  const out: string[] = [];
  for (const e of checker(schema).Errors(value)) {
    out.push(`${e.path || '/'}: ${e.message}`);
    if (out.length >= max) break;
  }
  return out;
}

/** Return the value typed by the schema, or throw an AppError with the given code. */
export function parse<T extends TSchema>(
  schema: T,
  value: unknown,
  code: ErrorCode = 'BAD_REQUEST',
): Static<T> {
  if (checker(schema).Check(value)) return value;
  throw new AppError(code, describeErrors(schema, value).join('; ') || 'invalid');
}
