/**
 * Pure configuration merge: defaults < config file section < environment variables.
 * Each process reads its own file and env (I/O stays at the edge) and calls this.
 * A bad value names its source and what was expected, e.g.
 *   RENTAL_SERVER_PORT: must be an integer from 1 to 65535 (got "abc")
 */
import type { Static, TObject } from '@sinclair/typebox';
import { check, describeErrors } from '../validate.ts';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type EnvBinding = {
  key: string;
  env: string;
  kind: 'string' | 'integer' | 'boolean' | 'number';
  /** May hold a password (a URL with credentials): never repeated in an error. */
  secret?: boolean;
};

function fromEnv(binding: EnvBinding, raw: string): unknown {
  switch (binding.kind) {
    case 'string':
      return raw;
    case 'integer':
      if (!/^-?\d+$/.test(raw.trim()))
        throw new ConfigError(`${binding.env}: must be an integer (got "${raw}")`);
      return Number(raw);
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n))
        throw new ConfigError(`${binding.env}: must be a number (got "${raw}")`);
      return n;
    }
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      throw new ConfigError(`${binding.env}: must be true or false (got "${raw}")`);
  }
}

export function resolveConfig<T extends TObject>(opts: {
  schema: T;
  defaults: Static<T>;
  file?: { path: string; section: unknown } | undefined;
  env: Record<string, string | undefined>;
  bindings: EnvBinding[];
}): Static<T> {
  const merged: Record<string, unknown> = { ...opts.defaults };
  if (opts.file && opts.file.section !== undefined) {
    const section = opts.file.section;
    if (typeof section !== 'object' || section === null || Array.isArray(section)) {
      throw new ConfigError(`${opts.file.path}: expected an object`);
    }
    Object.assign(merged, section);
    // Check the file alone first, so its mistakes are reported against the file.
    if (!check(opts.schema, merged)) {
      const problems = describeErrors(opts.schema, merged).join('; ');
      throw new ConfigError(`${opts.file.path}: ${problems}`);
    }
  }
  for (const binding of opts.bindings) {
    const raw = opts.env[binding.env];
    if (raw === undefined || raw === '') continue;
    merged[binding.key] = fromEnv(binding, raw);
    if (!check(opts.schema, merged)) {
      const problems = describeErrors(opts.schema, merged)
        .filter((p) => p.startsWith(`/${binding.key}`))
        .map((p) => p.replace(/^\/\w+: /, ''));
      const got = binding.secret ? 'the value is not shown: it may hold a password' : `got "${raw}"`;
      throw new ConfigError(`${binding.env}: ${problems[0] ?? 'invalid value'} (${got})`);
    }
  }
  if (!check(opts.schema, merged)) {
    throw new ConfigError(`configuration: ${describeErrors(opts.schema, merged).join('; ')}`);
  }
  return merged as Static<T>;
}

/** RENTAL_CONFIG, or rental.config.json in the working directory. */
export function configFileName(env: Record<string, string | undefined>): string {
  return env.RENTAL_CONFIG ?? 'rental.config.json';
}

/** Parse a config file's text: one JSON object with a section per process. */
export function parseConfigFile(path: string, text: string): { path: string; data: Record<string, unknown> } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new ConfigError(`${path}: expected a JSON object`);
  return { path, data: data as Record<string, unknown> };
}
