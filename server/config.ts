/** Server configuration: defaults < config file (`server` section) < RENTAL_* environment. */
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, configFileName, parseConfigFile, resolveConfig } from '../protocol/config/resolve.ts';
import { SERVER_DEFAULTS, SERVER_ENV, ServerConfig } from '../protocol/config/server-config.ts';

export type ResolvedServerConfig = ServerConfig & { issuer: string };

/** The config file to read, or undefined when the default one is absent. */
function configFilePath(env: Record<string, string | undefined>): string | undefined {
  const path = configFileName(env);
  if (existsSync(path)) return path;
  if (env.RENTAL_CONFIG) throw new ConfigError(`${path}: config file not found`);
  return undefined;
}

export function readConfigFile(
  env: Record<string, string | undefined>,
): { path: string; data: Record<string, unknown> } | undefined {
  const path = configFilePath(env);
  return path ? parseConfigFile(path, readFileSync(path, 'utf8')) : undefined;
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
