/** Registers the admin dashboard's API (/v1/admin/..., /v1/me), the System page's figures and the live event stream. */
import type { App } from '../../app.ts';
import { createRecorder } from '../../audit/record.ts';
import type { ServerDeps } from '../../deps.ts';
import { sseRoutes, type SseOptions } from '../../events/sse-route.ts';
import { auditRoutes } from './audit.ts';
import { conflictRoutes } from './conflicts.ts';
import { directoryAdminRoutes } from './directory.ts';
import { adminGuards } from './guards.ts';
import { importRoutes } from './import.ts';
import { itemRoutes } from './items.ts';
import { kioskAdminRoutes } from './kiosks.ts';
import { loanRoutes } from './loans.ts';
import { overviewRoutes } from './overview.ts';
import { peopleAdminRoutes } from './people.ts';
import { policyRoutes } from './policies.ts';
import { reminderRoutes } from './reminders.ts';
import { reportRoutes } from './reports.ts';
import { systemRoutes } from './system.ts';

export type AdminRouteOptions = { sse?: SseOptions };

export function adminRoutes(app: App, deps: ServerDeps, opts: AdminRouteOptions = {}) {
  const guards = adminGuards(deps);
  const record = createRecorder(deps);
  overviewRoutes(app, deps, guards);
  loanRoutes(app, deps, guards, record);
  itemRoutes(app, deps, guards, record);
  peopleAdminRoutes(app, deps, guards, record);
  kioskAdminRoutes(app, deps, guards, record);
  conflictRoutes(app, deps, guards, record);
  auditRoutes(app, deps, guards);
  reminderRoutes(app, deps, guards, record);
  reportRoutes(app, deps, guards);
  policyRoutes(app, deps, guards, record);
  systemRoutes(app, deps, guards);
  directoryAdminRoutes(app, deps, guards, record);
  importRoutes(app, deps, guards);
  sseRoutes(app, deps, guards.staff, opts.sse);
}
