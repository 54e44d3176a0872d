/**
 * The SCIM 2.0 service (RFC 7644) at /scim/v2, for a directory's provisioning client. Its
 * own Fastify context: a bearer provisioning token instead of a person's session, bodies as
 * application/scim+json (or application/json), answers and errors in SCIM's shapes, and a
 * larger body limit for a group's member list. Every write is one store transaction.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../http/app-type.ts';
import type { ServerDeps } from '../deps.ts';
import { createIdFactory, type RandomBytes } from '../ids.ts';
import { StoreUnavailableError } from '../store/store-errors.ts';
import type { AuditActor } from '../store/admin-store.ts';
import type { ScimTokenRecord } from '../store/scim-store.ts';
import {
  LIST_SCHEMA,
  MAX_BODY_BYTES,
  MAX_RESULTS,
  resourceTypesOf,
  schemasOf,
  serviceProviderConfigOf,
} from './discovery.ts';
import { ScimError, errorBody, invalidValue, notFound } from './errors.ts';
import { parseEqFilter } from './filter.ts';
import { scimGroups } from './groups.ts';
import { parsePatch } from './paths.ts';
import { authenticateScim } from './tokens.ts';
import { scimUsers } from './users.ts';
import { versionOf } from './version.ts';
import type { Json, JsonObject } from './values.ts';
import { AppError } from '../../protocol/index.ts';

export const SCIM_PREFIX = '/scim/v2';
const CONTENT_TYPE = 'application/scim+json; charset=utf-8';

declare module 'fastify' {
  interface FastifyRequest {
    scimToken?: ScimTokenRecord;
  }
}

export type ScimOptions = { randomBytes?: RandomBytes };

const actorOf = (request: FastifyRequest): AuditActor => ({
  kind: 'system',
  id: request.scimToken?.id ?? null,
  name: request.scimToken?.name ?? null,
  via: 'scim',
});

type Query = Record<string, string | string[] | undefined>;

function one(q: Query, name: string): string | undefined {
  // SCIM parameter names are case-insensitive (startIndex, startindex).
  const key = Object.keys(q).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : q[key];
  if (Array.isArray(v)) throw invalidValue(`${name} given more than once`);
  return v;
}

/** startIndex (1-based; below 1 reads as 1) and count (0..MAX_RESULTS; above is lowered), RFC 7644 3.4.2.4. */
function paging(q: Query) {
  const int = (name: string, fallback: number) => {
    const v = one(q, name);
    if (v === undefined) return fallback;
    if (!/^-?\d{1,9}$/.test(v)) throw invalidValue(`${name} must be an integer`);
    return Number(v);
  };
  const startIndex = Math.max(1, int('startIndex', 1));
  const count = Math.min(MAX_RESULTS, Math.max(0, int('count', MAX_RESULTS)));
  return { startIndex, count };
}

export function scimPlugin(deps: ServerDeps, opts: ScimOptions = {}) {
  const newId = createIdFactory(opts.randomBytes);
  const users = scimUsers(deps, newId);
  const groups = scimGroups(deps, newId);

  return async function scim(app: App) {
    const base = `${deps.issuer.replace(/\/$/, '')}${SCIM_PREFIX}`;

    app.removeAllContentTypeParsers();
    // Only JSON bodies, parsed with prototype-poisoning keys (__proto__, constructor.prototype)
    // refused. An empty body is no body: some clients send a Content-Type on DELETE too; the
    // handlers that need a body refuse its absence themselves (invalidSyntax).
    const json = app.getDefaultJsonParser('error', 'error');
    app.addContentTypeParser(
      ['application/scim+json', 'application/json'],
      { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
      (request, body, done) => {
        const text = typeof body === 'string' ? body : body.toString('utf8');
        if (text.trim() === '') return done(null, undefined);
        return json(request, text, done);
      },
    );

    app.setErrorHandler((err: FastifyError, request, reply) => {
      let status = 500;
      let scimType: ScimError['scimType'] = null;
      let detail = 'internal error';
      if (err instanceof ScimError) ({ status, scimType, detail } = err);
      else if (err instanceof StoreUnavailableError) {
        request.log.warn({ detail: err.detail }, 'database unavailable');
        reply.header('retry-after', '2');
        ({ statusCode: status } = err);
        detail = 'database unavailable, try again';
      } else if (err instanceof AppError) {
        status = err.statusCode;
        detail = err.message;
        // The last admin cannot be taken away: the request conflicts with the state, not a key.
        if (err.code === 'LAST_ADMIN') [status, scimType] = [400, 'mutability'];
        else if (status === 409) scimType = 'uniqueness';
      } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        status = 413;
        detail = `the body is larger than ${MAX_BODY_BYTES} bytes`;
      } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        status = 415;
        detail = 'send application/scim+json';
      } else if (
        err instanceof SyntaxError ||
        (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
      ) {
        // Bad JSON, an empty body, a forbidden key, a bad Content-Length.
        status = 400;
        scimType = 'invalidSyntax';
        detail = 'the body is not valid JSON';
      } else request.log.error({ err }, 'unhandled error');
      if (status === 401) reply.header('www-authenticate', 'Bearer realm="scim"');
      return reply
        .status(status)
        .type(CONTENT_TYPE)
        .send(errorBody(status, scimType, detail));
    });

    app.setNotFoundHandler((_request, reply) =>
      reply
        .status(404)
        .type(CONTENT_TYPE)
        .send(errorBody(404, null, 'no such endpoint')),
    );

    // Declared on this context only: a request elsewhere in the server has no scimToken.
    app.decorateRequest('scimToken', undefined);
    app.addHook('onRequest', async (request) => {
      request.scimToken = await authenticateScim(deps.store, deps.clock, request.headers.authorization);
    });

    const send = (reply: FastifyReply, r: JsonObject, status = 200) => {
      const version = versionOf(r);
      const kind = (r.meta as JsonObject).resourceType === 'Group' ? 'Groups' : 'Users';
      const location = `${base}/${kind}/${String(r.id)}`;
      reply.header('etag', version);
      if (status === 201) reply.header('location', location);
      return reply
        .status(status)
        .type(CONTENT_TYPE)
        .send({ ...r, meta: { ...(r.meta as JsonObject), location, version } });
    };
    const located = (r: JsonObject): JsonObject => {
      const kind = (r.meta as JsonObject).resourceType === 'Group' ? 'Groups' : 'Users';
      return {
        ...r,
        meta: {
          ...(r.meta as JsonObject),
          location: `${base}/${kind}/${String(r.id)}`,
          version: versionOf(r),
        },
      };
    };
    const list = (reply: FastifyReply, total: number, startIndex: number, resources: JsonObject[]) =>
      reply.type(CONTENT_TYPE).send({
        schemas: [LIST_SCHEMA],
        totalResults: total,
        itemsPerPage: resources.length,
        startIndex,
        Resources: resources.map(located),
      });
    const changed = () => deps.events.emit({ type: 'change', what: 'person' });
    const body = (request: FastifyRequest) => (request.body ?? null) as Json;
    const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
    const ifMatch = (request: FastifyRequest) => {
      const h = request.headers['if-match'];
      return Array.isArray(h) ? h.join(',') : h;
    };
    /** `excludedAttributes=members` (Entra ID asks for groups without their member lists). */
    const withMembers = (q: Query) => {
      const ex = one(q, 'excludedAttributes');
      return !ex?.split(',').some((a) => a.trim().toLowerCase() === 'members');
    };

    // discovery
    app.get('/ServiceProviderConfig', (_r, reply) =>
      reply.type(CONTENT_TYPE).send(serviceProviderConfigOf(base)),
    );
    app.get('/ResourceTypes', (_r, reply) => {
      const all = resourceTypesOf(base);
      return reply.type(CONTENT_TYPE).send({
        schemas: [LIST_SCHEMA],
        totalResults: all.length,
        itemsPerPage: all.length,
        startIndex: 1,
        Resources: all,
      });
    });
    app.get('/ResourceTypes/:id', (request, reply) => {
      const found = resourceTypesOf(base).find((t) => t.id === idOf(request));
      if (!found) throw notFound('no such resource type');
      return reply.type(CONTENT_TYPE).send(found);
    });
    app.get('/Schemas', (_r, reply) => {
      const all = schemasOf(base);
      return reply.type(CONTENT_TYPE).send({
        schemas: [LIST_SCHEMA],
        totalResults: all.length,
        itemsPerPage: all.length,
        startIndex: 1,
        Resources: all,
      });
    });
    app.get('/Schemas/:id', (request, reply) => {
      const found = schemasOf(base).find((s) => s.id === idOf(request));
      if (!found) throw notFound('no such schema');
      return reply.type(CONTENT_TYPE).send(found);
    });

    // Users
    app.get('/Users', async (request, reply) => {
      const q = request.query as Query;
      const { startIndex, count } = paging(q);
      const f = one(q, 'filter');
      const filter =
        f === undefined ? {} : parseEqFilter(f, { username: 'userName', externalid: 'externalId' } as const);
      const { total, resources } = await users.list(filter, startIndex - 1, count);
      return list(reply, total, startIndex, resources);
    });
    app.get('/Users/:id', async (request, reply) => send(reply, await users.get(idOf(request))));
    app.post('/Users', async (request, reply) => {
      const r = await users.create(body(request), actorOf(request));
      changed();
      return send(reply, r, 201);
    });
    app.put('/Users/:id', async (request, reply) => {
      const r = await users.replace(idOf(request), body(request), actorOf(request), ifMatch(request));
      changed();
      return send(reply, r);
    });
    app.patch('/Users/:id', async (request, reply) => {
      const r = await users.patch(
        idOf(request),
        parsePatch(body(request)),
        actorOf(request),
        ifMatch(request),
      );
      changed();
      return send(reply, r);
    });
    app.delete('/Users/:id', async (request, reply) => {
      await users.remove(idOf(request), actorOf(request), ifMatch(request));
      changed();
      return reply.status(204).send();
    });

    // Groups
    app.get('/Groups', async (request, reply) => {
      const q = request.query as Query;
      const { startIndex, count } = paging(q);
      const f = one(q, 'filter');
      const filter =
        f === undefined
          ? {}
          : parseEqFilter(f, { displayname: 'displayName', externalid: 'externalId' } as const);
      const { total, resources } = await groups.list(filter, startIndex - 1, count, withMembers(q));
      return list(reply, total, startIndex, resources);
    });
    app.get('/Groups/:id', async (request, reply) =>
      send(reply, await groups.get(idOf(request), withMembers(request.query as Query))),
    );
    app.post('/Groups', async (request, reply) => {
      const r = await groups.create(body(request), actorOf(request));
      changed();
      return send(reply, r, 201);
    });
    app.put('/Groups/:id', async (request, reply) => {
      const r = await groups.replace(idOf(request), body(request), actorOf(request), ifMatch(request));
      changed();
      return send(reply, r);
    });
    app.patch('/Groups/:id', async (request, reply) => {
      const r = await groups.patch(
        idOf(request),
        parsePatch(body(request)),
        actorOf(request),
        ifMatch(request),
      );
      changed();
      return send(reply, r);
    });
    app.delete('/Groups/:id', async (request, reply) => {
      await groups.remove(idOf(request), actorOf(request), ifMatch(request));
      changed();
      return reply.status(204).send();
    });
  };
}
