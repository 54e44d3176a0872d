/** Server configuration: defaults < config file (`server` section) < RENTAL_* environment. */
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, resolveConfig } from '../protocol/config/resolve.ts';
import { SERVER_DEFAULTS, SERVER_ENV, ServerConfig } from '../protocol/config/server-config.ts';

export type ResolvedServerConfig = ServerConfig & { issuer: string };

export function readConfigFile(
  env: Record<string, string | undefined>,
): { path: string; data: Record<string, unknown> } | undefined {
  const path = env.RENTAL_CONFIG ?? 'rental.config.json';
  if (!existsSync(path)) {
    if (env.RENTAL_CONFIG) throw new ConfigError(`${path}: config file not found`);
    return undefined;
  }
  try {
    const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      throw new ConfigError(`${path}: expected a JSON object`);
    return { path, data: data as Record<string, unknown> };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`${path}: not valid JSON (${(err as Error).message})`);
  }
}

export function loadServerConfig(
  env: Record<string, string | undefined> = process.env,
): ResolvedServerConfig {
  const file = readConfigFile(env);
  const config = resolveConfig({
    schema: ServerConfig,
    defaults: SERVER_DEFAULTS,
    file: file && { path: `${file.path} (server)`, section: file.data.server },
    env,
    bindings: SERVER_ENV,
  });
  return {
    ...config,
    issuer:
      config.issuer ??
      `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`,
  };
}
