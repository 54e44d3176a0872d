/**
 * Lending policies (issue 16): read and replace the policy set (admins; staff may read), and
 * suspend a person's borrowing until a date. Every change is audited; a policy set is saved
 * whole and valid or not at all (server/policies/policies.ts).
 */
import {
  AppError,
  IdParams,
  PoliciesResponse,
  PolicySet,
  SuspensionRequest,
  SuspensionsResponse,
  toIso,
} from '../../../protocol/index.ts';
import type { FastifyReply } from 'fastify';
import type { App } from '../../http/app-type.ts';
import { actorOf } from '../../audit/record.ts';
import { currentPolicies, policiesETag, policiesVersionOf, savePolicies } from '../../policies/policies.ts';
import { ERRORS, type AdminFeatureOptions } from './guards.ts';

export async function policyRoutes(app: App, { deps, guards, record }: AdminFeatureOptions) {
  const { store } = deps;

  // The version an edit was made from, as an ETag: the moment of the last save, or "default"
  // while none was made. A PUT naming it in If-Match is refused when someone saved since.
  const present = async (reply: FastifyReply) => {
    const c = await currentPolicies(store, deps.maxLoansPerPerson);
    const version = policiesETag(c.updatedAt);
    void reply.header('etag', version);
    return {
      version,
      policies: c.policies,
      updatedAt: c.updatedAt === null ? null : toIso(c.updatedAt),
      updatedBy: c.updatedBy,
    };
  };

  app.get(
    '/v1/admin/policies',
    { onRequest: guards.staff, schema: { response: { 200: PoliciesResponse, ...ERRORS } } },
    async (_request, reply) => present(reply),
  );

  app.put(
    '/v1/admin/policies',
    {
      onRequest: guards.admin,
      schema: { body: PolicySet, response: { 200: PoliciesResponse, ...ERRORS } },
    },
    async (request, reply) => {
      const base = policiesVersionOf(request.headers['if-match']);
      await savePolicies(store, request.body, actorOf(request), deps.clock.now(), base);
      // Kiosks read them with their next catalog pull; open dashboards refresh now.
      deps.events.emit({ type: 'change', what: 'policies' });
      return present(reply);
    },
  );

  app.get(
    '/v1/admin/suspensions',
    { onRequest: guards.staff, schema: { response: { 200: SuspensionsResponse, ...ERRORS } } },
    async () => ({ suspensions: await store.suspensions() }),
  );

  app.put(
    '/v1/admin/suspensions/:id',
    {
      onRequest: guards.admin,
      schema: {
        params: IdParams,
        body: SuspensionRequest,
        response: { 200: SuspensionsResponse, ...ERRORS },
      },
    },
    async (request) => {
      const { until, note } = request.body;
      const person = await store.findUserById(request.params.id);
      if (!person) throw new AppError('NOT_FOUND', 'no such person');
      await store.setSuspension(person.id, { until, note: note.trim() || null });
      await record(request, {
        action: 'person.suspend',
        targetKind: 'user',
        targetId: person.id,
        detail: `${person.displayName} until ${until}${note.trim() ? `: ${note.trim()}` : ''}`,
      });
      return { suspensions: await store.suspensions() };
    },
  );

  app.delete(
    '/v1/admin/suspensions/:id',
    {
      onRequest: guards.admin,
      schema: { params: IdParams, response: { 200: SuspensionsResponse, ...ERRORS } },
    },
    async (request) => {
      const person = await store.findUserById(request.params.id);
      if (!person) throw new AppError('NOT_FOUND', 'no such person');
      await store.setSuspension(person.id, null);
      await record(request, {
        action: 'person.unsuspend',
        targetKind: 'user',
        targetId: person.id,
        detail: person.displayName,
      });
      return { suspensions: await store.suspensions() };
    },
  );
}
