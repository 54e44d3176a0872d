/**
 * Writing to the audit log from a request: who (the signed-in person), from which sign-in
 * session (its id, which is not a secret: it names the session, it cannot open one), what
 * and on which thing. Every admin change goes through here and is also announced on the
 * event bus so open dashboards refresh.
 *
 * An edit also says what it changed, in `changes`: one `{ field, before, after }` per field
 * whose value differs (fields that stayed the same are left out), values as plain text the
 * way they are stored (a role is 'staff', not 직원; null for none; never a secret: a
 * password change is `{ field: 'password', before: null, after: null }`). The dashboard
 * names the field and shows before -> after in the reader's language, so use the record's
 * own field names (displayName, email, role, department, employeeNumber, active, name,
 * category, loanDays…); `changesOf(before, after, fields)` builds the list. `detail` stays
 * a short account in words for rows without changes and for the CSV/CLI reader.
 */
import type { FastifyRequest } from 'fastify';
import type { ServerDeps } from '../deps.ts';
import type { AuditActor, AuditChange } from '../store/admin-store.ts';

export type { AuditChange };

/** A list (a kit's parts) is kept as its items joined by ", "; an empty one as null (none). */
type Plain = string | number | boolean | readonly string[] | null | undefined;
const text = (v: Plain): string | null => {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.length > 0 ? v.join(', ') : null;
  return String(v);
};

/** The fields of `fields` whose value differs between before and after, as audit changes. */
export function changesOf<T extends Record<string, Plain>>(
  before: T,
  after: Partial<T>,
  fields: readonly (keyof T & string)[],
): AuditChange[] {
  return fields
    .filter((f) => f in after && text(after[f]) !== text(before[f]))
    .map((f) => ({ field: f, before: text(before[f]), after: text(after[f]) }));
}

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
  change: {
    action: string;
    targetKind: string;
    targetId: string;
    detail?: string;
    /** For an edit: only the fields that changed, before and after (see the header). */
    changes?: AuditChange[];
  },
) => Promise<void>;

export function createRecorder(deps: Pick<ServerDeps, 'store' | 'clock' | 'events'>): Recorder {
  return async (request, change) => {
    await deps.store.audit({ actor: actorOf(request), ...change }, deps.clock.now());
    deps.events.emit({ type: 'change', what: change.targetKind });
  };
}
