/**
 * People and badges: create, edit (server/people/edit-person.ts), deactivate; add a badge by
 * typing its number or by choosing an unknown badge tapped at a kiosk; label or remove a
 * badge; a person's loans.
 * Badges are stored only as keyed hashes (DESIGN.md); the dashboard sees hints.
 */
import {
  AddBadgeRequest,
  AdminPeopleResponse,
  AppError,
  BadgeParams,
  CreatePersonRequest,
  IdParams,
  PeopleListQuery,
  PersonDetailResponse,
  PersonResponse,
  UnknownTapsQuery,
  UnknownTapsResponse,
  UpdateBadgeRequest,
  UpdatePersonRequest,
  BADGE_LABEL_MAX,
  credentialHint,
  type Credential,
  toIso,
} from '../../../protocol/index.ts';
import type { App } from '../../http/app-type.ts';
import { actorOf } from '../../audit/record.ts';
import { hashPassword } from '../../auth/passwords.ts';
import { directoryOwned, editPerson } from '../../people/edit-person.ts';
import { ERRORS, type AdminFeatureOptions } from './guards.ts';
import { pageLimit, readCursor, writeCursor } from './list-paging.ts';
import { presentLoan, presentPerson } from './present.ts';
import { requestRange } from '../../http/request-time.ts';

export async function peopleAdminRoutes(app: App, { deps, guards, record }: AdminFeatureOptions) {
  const { store } = deps;
  const person = async (id: string) => {
    const p = await store.findPerson(id);
    if (!p) throw new AppError('NOT_FOUND', 'no such person');
    return p;
  };
  // Only the keyed hashes are stored; the hint is for telling badges apart on screen.
  const badgeOf = (credential: Credential, label: string | null) => ({
    credentialHash: deps.hashBadge(credential),
    rosterHash: deps.rosterHash(credential),
    hint: credentialHint(credential),
    label,
  });
  const badgeOut = (b: {
    id: string;
    label: string | null;
    hint: string | null;
    addedAt: number | null;
  }) => ({
    id: b.id,
    label: b.label,
    hint: b.hint,
    addedAt: b.addedAt === null ? null : toIso(b.addedAt),
  });

  const detailOf = async (id: string) => {
    const now = deps.clock.now();
    const owned = await directoryOwned(store, id);
    return {
      person: presentPerson(await person(id)),
      badges: (await store.badgesOf(id)).map(badgeOut),
      loans: (await store.adminLoans({ status: 'all', now, userId: id, limit: 200 })).map((l) =>
        presentLoan(l, now),
      ),
      directory: owned ? { owned } : null,
    };
  };

  app.get(
    '/v1/admin/people',
    {
      onRequest: guards.staff,
      schema: { querystring: PeopleListQuery, response: { 200: AdminPeopleResponse, ...ERRORS } },
    },
    async (request) => {
      const query = request.query;
      const page = await store.peopleList({
        ...(query.q ? { q: query.q } : {}),
        ...(query.role ? { role: query.role } : {}),
        status: query.status ?? 'active',
        after: query.after ? readCursor(query.after) : null,
        limit: pageLimit(query.limit),
      });
      return {
        people: page.people.map(presentPerson),
        total: page.total,
        next: page.next ? writeCursor(page.next) : null,
      };
    },
  );

  app.get(
    '/v1/admin/people/:id',
    {
      onRequest: guards.staff,
      schema: { params: IdParams, response: { 200: PersonDetailResponse, ...ERRORS } },
    },
    async (request) => await detailOf(request.params.id),
  );

  app.post(
    '/v1/admin/people',
    {
      onRequest: guards.admin,
      schema: { body: CreatePersonRequest, response: { 200: PersonResponse, ...ERRORS } },
    },
    async (request) => {
      const { displayName, email, role, password, badge } = request.body;
      if (email && (await store.findUserByEmail(email)))
        throw new AppError('EMAIL_TAKEN', 'another person has this email');
      if (badge && (await store.findUserByBadgeHash(deps.hashBadge(badge))))
        throw new AppError('BADGE_ALREADY_ENROLLED', 'badge already enrolled');
      const passwordHash = password ? await deps.passwordGate.run(() => hashPassword(password)) : null;
      const user = await store.createUser({
        displayName,
        email: email ?? null,
        role,
        active: true,
        passwordHash,
      });
      if (badge) await store.addBadgeWithHint(user.id, badgeOf(badge, null), deps.clock.now());
      await record(request, {
        action: 'person.create',
        targetKind: 'person',
        targetId: user.id,
        detail: `${displayName} (${role})${badge ? ` + badge ${credentialHint(badge)}` : ''}`,
      });
      return { person: presentPerson(await person(user.id)) };
    },
  );

  app.patch(
    '/v1/admin/people/:id',
    {
      onRequest: guards.admin,
      schema: { params: IdParams, body: UpdatePersonRequest, response: { 200: PersonResponse, ...ERRORS } },
    },
    async (request) => {
      const { password, ...edit } = request.body;
      const passwordHash = password ? await deps.passwordGate.run(() => hashPassword(password)) : undefined;
      const now = deps.clock.now();
      const actor = actorOf(request);
      const { person: after, changed } = await store.withTransaction((tx) =>
        editPerson(tx, {
          actor: { ...actor, id: request.user!.id },
          userId: request.params.id,
          edit,
          ...(passwordHash ? { passwordHash } : {}),
          now,
        }),
      );
      if (changed.length > 0 || passwordHash) deps.events.emit({ type: 'change', what: 'person' });
      return { person: presentPerson(after) };
    },
  );

  app.post(
    '/v1/admin/people/:id/badges',
    {
      onRequest: guards.admin,
      schema: { params: IdParams, body: AddBadgeRequest, response: { 200: PersonDetailResponse, ...ERRORS } },
    },
    async (request) => {
      const p = await person(request.params.id);
      const body = request.body;
      const label = body.label ?? null;
      let badge;
      if ('credential' in body) badge = badgeOf(body.credential, label);
      else {
        const tap = await store.takeUnknownTap(body.unknownTapId);
        if (!tap) throw new AppError('NOT_FOUND', 'no such unknown badge');
        // The raw credential is gone, so the roster hash waits for its next online tap.
        badge = { ...tap, rosterHash: null, label };
      }
      const { hint } = badge;
      await store.addBadgeWithHint(p.id, badge, deps.clock.now());
      await record(request, {
        action: 'badge.add',
        targetKind: 'person',
        targetId: p.id,
        detail: `${p.displayName} + ${hint}`,
      });
      return await detailOf(p.id);
    },
  );

  app.patch(
    '/v1/admin/people/:id/badges/:badgeId',
    {
      onRequest: guards.admin,
      schema: {
        params: BadgeParams,
        body: UpdateBadgeRequest,
        response: { 200: PersonDetailResponse, ...ERRORS },
      },
    },
    async (request) => {
      const p = await person(request.params.id);
      const label = request.body.label?.trim() || null;
      if (label && label.length > BADGE_LABEL_MAX)
        throw new AppError('BADGE_LABEL_INVALID', 'label too long');
      const before = (await store.badgesOf(p.id)).find((b) => b.id === request.params.badgeId);
      if (!before) throw new AppError('NOT_FOUND', 'no such badge');
      if (before.label !== label) {
        await store.setBadgeLabel(p.id, before.id, label);
        await record(request, {
          action: 'badge.label',
          targetKind: 'person',
          targetId: p.id,
          detail: `${p.displayName}: ${before.hint ?? 'badge'}`,
          changes: [{ field: 'badgeLabel', before: before.label, after: label }],
        });
      }
      return await detailOf(p.id);
    },
  );

  app.delete(
    '/v1/admin/people/:id/badges/:badgeId',
    {
      onRequest: guards.admin,
      schema: { params: BadgeParams, response: { 200: PersonResponse, ...ERRORS } },
    },
    async (request) => {
      const p = await person(request.params.id);
      const hint = (await store.badgesOf(p.id)).find((b) => b.id === request.params.badgeId)?.hint;
      if (!(await store.removeBadge(p.id, request.params.badgeId)))
        throw new AppError('NOT_FOUND', 'no such badge');
      await record(request, {
        action: 'badge.remove',
        targetKind: 'person',
        targetId: p.id,
        detail: `${p.displayName} - ${hint ?? 'badge'}`,
      });
      return { person: presentPerson(await person(p.id)) };
    },
  );

  app.get(
    '/v1/admin/badges/unknown',
    {
      onRequest: guards.admin,
      schema: { querystring: UnknownTapsQuery, response: { 200: UnknownTapsResponse, ...ERRORS } },
    },
    // Newest first in keyset pages, by kiosk and time (the store keeps the 1,000 most recently tapped).
    async (request) => {
      const q = request.query;
      const after = q.after ? readCursor(q.after) : null;
      const at = after ? Number(after.value) : 0;
      if (after && (!Number.isSafeInteger(at) || at < 0 || !/^[A-Za-z0-9_-]{1,64}$/.test(after.id)))
        throw new AppError('BAD_REQUEST', 'this page link is not valid; start from the first page');
      const page = await store.unknownTapsPage({
        ...(q.kioskId ? { kioskId: q.kioskId } : {}),
        ...requestRange(q),
        after: after ? { at, id: after.id } : null,
        limit: pageLimit(q.limit),
      });
      return {
        taps: page.rows.map((t) => ({ ...t, at: toIso(t.at) })),
        total: page.total,
        next: page.next ? writeCursor({ value: String(page.next.at), id: page.next.id }) : null,
      };
    },
  );
}
