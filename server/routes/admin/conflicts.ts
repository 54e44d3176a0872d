/** Conflicts: each with its evidence; resolving one takes a note, which goes to the audit log. */
import {
  AppError,
  ConflictParams,
  ConflictResponse,
  ConflictsQuery,
  ConflictsResponse,
  ResolveConflictRequest,
} from '../../../protocol/index.ts';
import type { App } from '../../app.ts';
import type { Recorder } from '../../audit/record.ts';
import type { ServerDeps } from '../../deps.ts';
import { ERRORS, type AdminGuards } from './guards.ts';
import { presentConflict } from './present.ts';

export function conflictRoutes(app: App, deps: ServerDeps, guards: AdminGuards, record: Recorder) {
  const { store } = deps;

  app.get(
    '/v1/admin/conflicts',
    {
      onRequest: guards.staff,
      schema: { querystring: ConflictsQuery, response: { 200: ConflictsResponse, ...ERRORS } },
    },
    async (request) => ({
      conflicts: (await store.conflicts(request.query.state ?? 'open')).map(presentConflict),
    }),
  );

  app.post(
    '/v1/admin/conflicts/:id/resolve',
    {
      onRequest: guards.staff,
      schema: {
        params: ConflictParams,
        body: ResolveConflictRequest,
        response: { 200: ConflictResponse, ...ERRORS },
      },
    },
    async (request) => {
      const before = await store.findConflict(request.params.id);
      if (!before) throw new AppError('NOT_FOUND', 'no such conflict');
      const user = request.user!;
      if (!(await store.resolveConflict(before.id, user.displayName, request.body.note, deps.clock.now())))
        throw new AppError('ALREADY_EXISTS', 'conflict already resolved');
      await record(request, {
        action: 'conflict.resolve',
        targetKind: 'transaction',
        targetId: before.id,
        detail: `${before.code ?? before.status} · ${before.itemName ?? before.itemId}: ${request.body.note}`,
      });
      return { conflict: presentConflict((await store.findConflict(before.id))!) };
    },
  );
}
