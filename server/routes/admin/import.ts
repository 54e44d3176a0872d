/**
 * CSV import from the dashboard: POST /v1/admin/import/people and /v1/admin/import/items
 * with { csv, dryRun }. The rules are server/import/csv-import.ts (the CLI uses the same);
 * the answer is the report of every row. A real run writes all rows in one transaction, or
 * none while a row has an error (then `applied` is false and the rows say why).
 */
import { ImportParams, ImportReport, ImportRequest, issueSentence } from '../../../protocol/csv-import.ts';
import type { ImportRowError } from '../../../protocol/index.ts';
import type { App } from '../../http/app-type.ts';
import { actorOf } from '../../audit/record.ts';
import type { ServerDeps } from '../../deps.ts';
import type { AuditActor } from '../../store/admin-store.ts';
import { importCsv } from '../../import/csv-import.ts';
import { ERRORS, type AdminFeatureOptions } from './guards.ts';

/** JSON of a 4,000,000-character file of Korean text (3 bytes a character), with room to spare. */
const BODY_LIMIT = 13 * 1024 * 1024;

export async function importRoutes(app: App, { deps, guards }: AdminFeatureOptions) {
  app.post(
    '/v1/admin/import/:kind',
    {
      onRequest: guards.admin,
      bodyLimit: BODY_LIMIT,
      schema: {
        params: ImportParams,
        body: ImportRequest,
        response: { 200: ImportReport, ...ERRORS },
      },
    },
    async (request) => {
      const { kind } = request.params;
      const report = await importCsv(deps, kind, request.body.csv, {
        dryRun: request.body.dryRun,
        actor: actorOf(request),
      });
      if (report.applied) deps.events.emit({ type: 'change', what: kind === 'people' ? 'person' : 'item' });
      return report;
    },
  );
}

/**
 * The older POST /v1/admin/items/import answer ({ created, updated, errors by line }), kept
 * for API clients, worked out by the same import (all or nothing; English sentences).
 */
export async function importItemsLegacy(
  deps: ServerDeps,
  csv: string,
  actor: AuditActor,
): Promise<{ created: number; updated: number; errors: ImportRowError[] }> {
  const report = await importCsv(deps, 'items', csv, { dryRun: false, actor });
  const taken = new Set(['duplicateInFile', 'badgeTaken', 'emailTaken', 'employeeNumberTaken']);
  const errors = [...report.fileIssues, ...report.rows.flatMap((r) => r.issues)].map((i) => ({
    line: i.row,
    code: taken.has(i.rule) ? ('ALREADY_EXISTS' as const) : ('BAD_REQUEST' as const),
    message: issueSentence('en', 'items', i),
  }));
  if (report.applied) deps.events.emit({ type: 'change', what: 'item' });
  return report.applied
    ? { created: report.counts.create, updated: report.counts.update, errors: [] }
    : { created: 0, updated: 0, errors };
}
