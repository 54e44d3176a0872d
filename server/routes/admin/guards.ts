/**
 * Who may call what under /v1/admin (issue 7, Roles): admins everything; staff manage loans
 * and conflicts and may read items, people and kiosks; members get only their own loans
 * (through /v1/loans, not here).
 */
import { Type } from '@sinclair/typebox';
import { ErrorBody } from '../../../protocol/index.ts';
import type { Recorder } from '../../audit/record.ts';
import type { ServerDeps } from '../../deps.ts';
import type { FeatureOptions } from '../../http/app-type.ts';
import { IsAdmin, IsAuthenticated, IsStaff, userGuard, type Guard } from '../../http/auth-guards.ts';

export type AdminGuards = { admin: Guard; staff: Guard; anyone: Guard };

/** What each admin feature plugin is registered with (server/routes/admin/index.ts). */
export type AdminFeatureOptions = FeatureOptions & { guards: AdminGuards; record: Recorder };

export const adminGuards = (deps: ServerDeps): AdminGuards => ({
  admin: userGuard(deps, IsAdmin),
  staff: userGuard(deps, IsStaff),
  anyone: userGuard(deps, IsAuthenticated),
});

export const ERRORS = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
} as const;

/** A CSV download's body (sent as text/csv, not JSON). */
export const CsvText = Type.String();
