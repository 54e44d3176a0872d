/** Kiosk routes: enrollment (by one-time code), badge tap and catalog (by device assertion). */
import {
  AppError,
  CatalogQuery,
  CatalogResponse,
  EnrollRequest,
  EnrollResponse,
  ErrorBody,
  KioskBadgeEnrolRequest,
  KioskBadgeEnrolResponse,
  KioskPeopleRequest,
  KioskPeopleResponse,
  RosterResponse,
  TapRequest,
  TapResponse,
  credentialHint,
  overallLimit,
  firstName,
  toIso,
} from '../../protocol/index.ts';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { App, FeatureOptions } from '../http/app-type.ts';
import { hashEnrollmentCode } from '../auth/enrollment.ts';
import { kioskGuard } from '../http/auth-guards.ts';
import { kioskProtocol } from '../http/kiosk-protocol.ts';
import { currentPolicies } from '../policies/policies.ts';
import { kioskReservations } from '../reservations/kiosk-reservations.ts';
import { configuredGraceMs } from '../reservations/reserve.ts';

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  429: ErrorBody,
};

/** Items per answer of a paged catalog pull (protocol 5): about 100 kB of JSON. */
export const CATALOG_PAGE_SIZE = 500;

type PageState = { from: number | null; snap: number; afterId: string };

export async function kioskRoutes(app: App, { deps }: FeatureOptions) {
  const onRequest = kioskGuard(deps.authenticateKiosk);

  app.post(
    '/v1/kiosks/enroll',
    {
      config: { public: true },
      schema: { body: EnrollRequest, response: { 200: EnrollResponse, ...errors } },
    },
    async (request) => {
      const { code, publicJwk } = request.body;
      const kiosk = await deps.store.enrollKiosk(
        hashEnrollmentCode(code),
        JSON.stringify({ kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x }),
        deps.clock.now(),
      );
      if (!kiosk) throw new AppError('ENROLLMENT_CODE_INVALID', 'enrollment code invalid or used');
      request.log.info({ kioskId: kiosk.id }, 'kiosk enrolled');
      return { kioskId: kiosk.id, name: kiosk.name, issuer: deps.issuer };
    },
  );

  app.post(
    '/v1/badge-tap',
    {
      onRequest,
      // Thousands a second under load: one summary line a minute, each tap at debug (http/request-log.ts).
      config: { requestLog: 'summary' },
      schema: { body: TapRequest, response: { 200: TapResponse, ...errors } },
    },
    async (request) => {
      const kiosk = request.kiosk!;
      // Per kiosk: a stolen or scripted kiosk cannot sweep badge numbers at speed.
      await deps.tapLimiter.take(kiosk.id);
      const badgeHash = deps.hashBadge(request.body.credential);
      const holder = await deps.store.findBadgeHolder(badgeHash);
      if (!holder) {
        // Kept (as a hash and a hint) so an admin can give this badge to a person.
        const hint = credentialHint(request.body.credential);
        await deps.store.recordUnknownTap(badgeHash, hint, kiosk.id, deps.clock.now());
        deps.events.emit({ type: 'change', what: 'unknownTaps' });
      }
      // One answer for unknown badge and inactive person: nothing that helps guessing.
      if (!holder || !holder.user.active) throw new AppError('BADGE_DENIED', 'badge not accepted');
      const { user } = holder;
      // The raw credential is here now: fill in its offline-roster hash and its hint (what the
      // dashboard shows of it) if it lacks them. Once only: sealing costs a tenth of a tap.
      if (!holder.sealed) {
        await deps.store.setRosterHash(
          badgeHash,
          deps.rosterHash(request.body.credential),
          credentialHint(request.body.credential),
        );
      }
      const { token, expiresAtMs } = await deps.tokens.issueRental(kiosk.id, user.id, user.role);
      const { policies } = await currentPolicies(deps.store, deps.maxLoansPerPerson);
      const suspension = await deps.store.suspensionOf(user.id);
      const protocol = kioskProtocol(request);
      return {
        token,
        expiresAt: toIso(expiresAtMs),
        user: { id: user.id, displayName: user.displayName, role: user.role },
        loans: (await deps.store.openLoansOf(user.id)).map((l) => ({
          id: l.id,
          itemId: l.itemId,
          itemName: l.itemName,
          borrowedAt: toIso(l.borrowedAt),
          dueAt: toIso(l.dueAt),
          // Protocol 5: how often it was renewed, so the kiosk can offer a renewal by the rule.
          ...(protocol >= 5 ? { renewals: l.renewals } : {}),
        })),
        // The person's own overall limit: kiosks of every protocol hold a cart to it.
        maxLoans: overallLimit(policies, user.role),
        ...(protocol >= 3 ? { suspension } : {}),
      };
    },
  );

  app.get(
    '/v1/roster',
    { onRequest, schema: { response: { 200: RosterResponse, ...errors } } },
    async (request, reply) => {
      const { roster, rosterKey, expiresAtMs } = await deps.roster.issue(request.kiosk!.id);
      // A roster comes every few minutes and its first build (a slow hash per person) can take
      // a while: its socket is not worth keeping, and a server shutting down meanwhile would
      // otherwise wait for the kiosk to drop it (only idle sockets are closed at close time).
      reply.header('connection', 'close');
      return { roster, rosterKey, expiresAt: toIso(expiresAtMs) };
    },
  );

  // Page tokens of the paged catalog pull (protocol 5) are signed with a key every replica of
  // this server derives alike (from its badge pepper, by a credential no badge can have), so a
  // pull goes on across replicas and restarts. A forged or foreign token is a 400
  // (BAD_REQUEST) and the kiosk starts its pull again.
  const pageKey = deps.hashBadge('\u0000catalog-page-token');
  const signPage = (body: string) => createHmac('sha256', pageKey).update(body).digest('base64url');
  const pageToken = (kioskId: string, t: PageState) => {
    const body = Buffer.from(`${kioskId}|${t.from ?? ''}|${t.snap}|${t.afterId}`).toString('base64url');
    return `${body}.${signPage(body)}`;
  };
  const readPageToken = (kioskId: string, token: string): PageState | null => {
    const [body = '', mac = ''] = token.split('.');
    const expected = Buffer.from(signPage(body));
    if (Buffer.byteLength(mac) !== expected.length || !timingSafeEqual(Buffer.from(mac), expected))
      return null;
    const [kiosk, from, snap, afterId] = Buffer.from(body, 'base64url').toString().split('|');
    if (kiosk !== kioskId || from === undefined || !snap || !afterId) return null;
    return { from: from === '' ? null : Number(from), snap: Number(snap), afterId };
  };
  const badPage = () =>
    new AppError('BAD_REQUEST', 'catalog page token invalid or stale: start the pull again');

  app.get(
    '/v1/catalog',
    { onRequest, schema: { querystring: CatalogQuery, response: { 200: CatalogResponse, ...errors } } },
    async (request) => {
      const protocol = kioskProtocol(request);
      const v2 = protocol >= 2;
      const kioskId = request.kiosk!.id;
      // Protocol 5 pulls in pages of CATALOG_PAGE_SIZE items by item id (see below).
      const paged = protocol >= 5;
      if (request.query.page !== undefined && !paged) throw badPage();
      const state = request.query.page !== undefined ? readPageToken(kioskId, request.query.page) : null;
      if (request.query.page !== undefined && !state) throw badPage();
      let cursor = state ? state.from : request.query.cursor ? Number(request.query.cursor) : null;
      // One more than a page: whether another page follows (no empty last page).
      const page = paged ? { afterId: state?.afterId ?? null, limit: CATALOG_PAGE_SIZE + 1 } : undefined;
      let { items, cursor: next, holders } = await deps.store.itemsSince(cursor, page);
      // A token whose snapshot is above what this server has now: it came from before a
      // restore of a backup. The kiosk starts again.
      if (state && state.snap > next) throw badPage();
      // A cursor this server never handed out: it was restored from a backup taken before the
      // kiosk's last pull (server/backup). What changes next would stamp below that cursor, so
      // the kiosk gets the whole catalog again instead.
      if (!state && cursor !== null && cursor > next) {
        cursor = null;
        ({ items, cursor: next, holders } = await deps.store.itemsSince(null, page));
      }
      // Every page of one pull answers with the cursor read at its first page (the snapshot):
      // an item that changes during the pull may come at its newer state, or (when its page
      // was already sent) not at all, and the next pull, from that snapshot, brings it. Items
      // are never deleted, so the pages of a pull hold every item (or every change) once.
      const snap = state ? state.snap : next;
      const more = paged && items.length > CATALOG_PAGE_SIZE;
      if (more) items = items.slice(0, CATALOG_PAGE_SIZE);
      const last = items.at(-1);
      const nextPage = more && last ? pageToken(kioskId, { from: cursor, snap, afterId: last.id }) : null;
      // Read after the items: a photo put since is at a version the next pull brings anyway.
      const photos = protocol >= 5 ? await deps.store.itemPhotosSince(cursor) : null;
      return {
        cursor: String(snap),
        full: cursor === null,
        serverTime: toIso(deps.clock.now()),
        items: items.map((i) => ({
          id: i.id,
          tag: i.tag,
          name: i.name,
          category: i.category,
          loanDays: i.loanDays,
          restrictedTo: i.restrictedTo,
          lockerSlot: i.lockerSlot,
          onLoan: i.onLoan,
          retired: i.retired,
          // Version 1 kiosks refuse a field they do not know (and lend it as before; the
          // server still flags such a borrow ITEM_NEEDS_CHECK).
          ...(v2 ? { condition: i.condition } : {}),
          // First name only: it is shown to whoever returns the item, not only its holder.
          ...(protocol >= 4 ? { heldBy: i.onLoan ? firstNameOrNull(holders.get(i.id)) : null } : {}),
          ...(photos ? { photo: photos.get(i.id) ?? null } : {}),
          ...(protocol >= 7 ? { parts: i.parts } : {}),
        })),
        ...(protocol >= 3
          ? { policies: (await currentPolicies(deps.store, deps.maxLoansPerPerson)).policies }
          : {}),
        ...(paged ? { next: nextPage } : {}),
        // Older kiosks refuse a field they do not know, and with it the whole answer.
        ...(protocol >= 6
          ? {
              reservations: await kioskReservations(deps.store, deps.clock.now(), configuredGraceMs(deps)),
            }
          : {}),
      };
    },
  );

  /** The admin behind a service-mode call: a current rental token for this kiosk, an active admin. */
  async function serviceAdmin(token: string, kioskId: string) {
    const { userId } = await deps.tokens.verifyRental(token, kioskId, deps.clock.now());
    const admin = await deps.store.findUserById(userId);
    if (!admin || !admin.active || admin.role !== 'admin') throw new AppError('FORBIDDEN', 'admins only');
    return admin;
  }

  app.post(
    '/v1/kiosk/people',
    { onRequest, schema: { body: KioskPeopleRequest, response: { 200: KioskPeopleResponse, ...errors } } },
    async (request) => {
      await serviceAdmin(request.body.token, request.kiosk!.id);
      const people = await deps.store.listActivePeople();
      // Older kiosks refuse a field they do not know, and with it the whole list.
      return {
        people:
          kioskProtocol(request) >= 4 ? people : people.map(({ id, displayName }) => ({ id, displayName })),
      };
    },
  );

  app.post(
    '/v1/kiosk/badges',
    {
      onRequest,
      schema: { body: KioskBadgeEnrolRequest, response: { 200: KioskBadgeEnrolResponse, ...errors } },
    },
    async (request) => {
      const admin = await serviceAdmin(request.body.token, request.kiosk!.id);
      const person = await deps.store.findUserById(request.body.userId);
      if (!person || !person.active) throw new AppError('USER_UNKNOWN', 'no such active person');
      const hash = deps.hashBadge(request.body.credential);
      if (await deps.store.findUserByBadgeHash(hash))
        throw new AppError('BADGE_ALREADY_ENROLLED', 'badge already in use');
      // Who enrolled it where goes to the audit log, not into the badge's label: the label is
      // the admin's name for the card ("spare card"), and the dashboard shows it to people.
      const hint = credentialHint(request.body.credential);
      const now = deps.clock.now();
      await deps.store.withTransaction(async (tx) => {
        await tx.addBadgeWithHint(
          person.id,
          { credentialHash: hash, rosterHash: deps.rosterHash(request.body.credential), hint, label: null },
          now,
        );
        await tx.audit(
          {
            actor: { kind: 'user', id: admin.id, name: admin.displayName, via: `kiosk:${request.kiosk!.id}` },
            action: 'badge.add',
            targetKind: 'person',
            targetId: person.id,
            detail: `${person.displayName} + ${hint}`,
          },
          now,
        );
      });
      deps.events.emit({ type: 'change', what: 'person' });
      request.log.info(
        { userId: person.id, by: admin.id, kioskId: request.kiosk!.id },
        'badge enrolled at kiosk',
      );
      return { userId: person.id, displayName: person.displayName };
    },
  );
}

/** A holder's first name, or null when unknown or nothing is left of it. */
function firstNameOrNull(displayName: string | undefined): string | null {
  return displayName ? firstName(displayName).slice(0, 100) || null : null;
}
