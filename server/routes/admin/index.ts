/**
 * The admin dashboard's API (/v1/admin/..., /v1/me), the System page's figures and the live
 * event stream: one plugin, each feature registered in it as a plugin of its own, sharing the
 * guards and the audit recorder made here once.
 */
import { createRecorder } from '../../audit/record.ts';
import { sseRoutes, type SseOptions } from '../../events/sse-route.ts';
import type { App, FeatureOptions } from '../../http/app-type.ts';
import { auditRoutes } from './audit.ts';
import { conflictRoutes } from './conflicts.ts';
import { directoryAdminRoutes } from './directory.ts';
import { adminGuards, type AdminFeatureOptions } from './guards.ts';
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

export async function adminRoutes(app: App, { deps, sse }: FeatureOptions & AdminRouteOptions) {
  const feature: AdminFeatureOptions = { deps, guards: adminGuards(deps), record: createRecorder(deps) };
  await app.register(overviewRoutes, feature);
  await app.register(loanRoutes, feature);
  await app.register(itemRoutes, feature);
  await app.register(peopleAdminRoutes, feature);
  await app.register(kioskAdminRoutes, feature);
  await app.register(conflictRoutes, feature);
  await app.register(auditRoutes, feature);
  await app.register(reminderRoutes, feature);
  await app.register(reportRoutes, feature);
  await app.register(policyRoutes, feature);
  await app.register(systemRoutes, feature);
  await app.register(directoryAdminRoutes, feature);
  await app.register(importRoutes, feature);
  await app.register(sseRoutes, { deps, guard: feature.guards.staff, ...(sse ? { sse } : {}) });
}
