/**
 * Writing to the audit log from a request: who (the signed-in person), from which sign-in
 * session (its id, which is not a secret: it names the session, it cannot open one), what
 * and on which thing. Every admin change goes through here and is also announced on the
 * event bus so open dashboards refresh.
 */
import type { FastifyRequest } from 'fastify';
import type { ServerDeps } from '../deps.ts';
import type { AuditActor } from '../store/admin-store.ts';

export function actorOf(request: FastifyRequest): AuditActor {
  const user = request.user;
  return {
    kind: 'user',
    id: user?.id ?? null,
    name: user?.displayName ?? null,
    via: request.session ? `session:${request.session.record.id}` : null,
  };
}

export type Recorder = (
  request: FastifyRequest,
  change: { action: string; targetKind: string; targetId: string; detail?: string },
) => Promise<void>;

export function createRecorder(deps: Pick<ServerDeps, 'store' | 'clock' | 'events'>): Recorder {
  return async (request, change) => {
    await deps.store.audit({ actor: actorOf(request), ...change }, deps.clock.now());
    deps.events.emit({ type: 'change', what: change.targetKind });
  };
}
