/**
 * The server's HTTP instance as every feature sees it (TypeBox types the requests and
 * replies), and the options a feature plugin is registered with. Its own module so that
 * features never import the composition root (server/app.ts) that registers them.
 */
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerDeps } from '../deps.ts';

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** What most features are registered with: `app.register(feature, { deps })`. */
export type FeatureOptions = { deps: ServerDeps };
