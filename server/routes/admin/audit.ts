/**
 * GET /v1/admin/audit: the audit log (dashboard changes and kiosk transactions), newest
 * first, in keyset pages with the count over every page, filtered by kind, who acted, what
 * it was about and dates. Each entry carries what the dashboard needs to say it as a
 * sentence: names (not ids), a transaction's parts, an edit's changed fields.
 */
import { AuditQuery, AuditResponse, toIso } from '../../../protocol/index.ts';
import type { App } from '../../http/app-type.ts';
import { ERRORS, type AdminFeatureOptions } from './guards.ts';
import { pageLimit } from './list-paging.ts';
import { requestRange } from '../../http/request-time.ts';

export async function auditRoutes(app: App, { deps, guards }: AdminFeatureOptions) {
  app.get(
    '/v1/admin/audit',
    {
      onRequest: guards.admin,
      schema: { querystring: AuditQuery, response: { 200: AuditResponse, ...ERRORS } },
    },
    async (request) => {
      const q = request.query;
      const page = await deps.store.auditPage({
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.actorId ? { actorId: q.actorId } : {}),
        ...(q.targetId ? { targetId: q.targetId } : {}),
        ...requestRange(q),
        ...(q.before ? { before: q.before } : {}),
        limit: pageLimit(q.limit ?? '100'),
      });
      return {
        entries: page.rows.map(({ key, at, ...rest }) => ({ id: key, at: toIso(at), ...rest })),
        total: page.total,
        totalAtLeast: page.capped,
        next: page.next,
      };
    },
  );
}
