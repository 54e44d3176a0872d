/** GET /v1/admin/audit: the audit log (dashboard changes and kiosk transactions), newest first, paged. */
import { AuditQuery, AuditResponse, toIso } from '../../../protocol/index.ts';
import type { App } from '../../app.ts';
import type { ServerDeps } from '../../deps.ts';
import { ERRORS, type AdminGuards } from './guards.ts';

export function auditRoutes(app: App, deps: ServerDeps, guards: AdminGuards) {
  app.get(
    '/v1/admin/audit',
    {
      onRequest: guards.admin,
      schema: { querystring: AuditQuery, response: { 200: AuditResponse, ...ERRORS } },
    },
    async (request) => {
      const limit = Math.min(Math.max(Number(request.query.limit ?? 100), 1), 500);
      const rows = await deps.store.auditLog({
        ...(request.query.before ? { before: request.query.before } : {}),
        limit,
      });
      return {
        entries: rows.map(({ key, at, ...rest }) => ({ id: key, at: toIso(at), ...rest })),
        next: rows.length === limit ? rows[rows.length - 1]!.key : null,
      };
    },
  );
}
