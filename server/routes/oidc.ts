/**
 * Single sign-on for the dashboard through an OpenID provider (issue 20; README "Single
 * sign-on (OpenID Connect)"). The browser is sent to the provider from /v1/auth/oidc/start
 * and comes back to /v1/auth/oidc/callback, which opens the same cookie session as the
 * password login. Any refusal goes back to the sign-in page as ?sso_error=<code>, shown there
 * in the person's language; the audit log records sign-ins, links, creations and refusals,
 * never a token or a code.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError, type ErrorCode } from '../../protocol/index.ts';
import { SSO_ERROR_PARAM, SsoInfo } from '../../protocol/wire/sso.ts';
import type { App, FeatureOptions } from '../http/app-type.ts';
import { createRateLimiter } from '../auth/login-throttle.ts';
import { OIDC_CALLBACK_PATH, OIDC_START_PATH } from '../auth/oidc/sso-config.ts';
import { groupsKnown, resolveSsoPerson } from '../auth/oidc/sign-in.ts';
import { BINDING_PATTERN } from '../auth/oidc/login-state.ts';
import type { AuditActor } from '../store/admin-store.ts';
import { cookieOptions, readCookie, setSessionCookies } from '../http/cookies.ts';

const BINDING_PATH = '/v1/auth/oidc';
const Param = Type.Optional(Type.String({ maxLength: 4096 }));
const CallbackQuery = Type.Object(
  { code: Param, state: Param, error: Param, error_description: Param, iss: Param },
  // Providers add their own (session_state, scope, authuser...): allowed, ignored.
  { additionalProperties: true },
);
const Redirect = { 302: Type.Null({ description: 'redirect' }) };

/**
 * The callback's query holds the authorization code and the state: request lines of these
 * routes are logged without it (Fastify logs every request's URL at info level).
 */
const withoutQuery = {
  req: (req: { method?: string; url?: string }) => ({
    method: req.method,
    url: (req.url ?? '').split('?')[0],
  }),
};

/**
 * The cookie that ties a sign-in to the browser that started it. SameSite=Lax, not Strict:
 * the provider's redirect back is a navigation from another site, and Strict cookies are not
 * sent on it. HttpOnly, 10 minutes, and only sent to the sign-in routes.
 */
const bindingCookie = (maxAgeS: number, secure: boolean) => ({
  ...cookieOptions({ maxAgeS, path: BINDING_PATH, httpOnly: true, secure }),
  sameSite: 'lax' as const,
});

export async function oidcRoutes(app: App, { deps }: FeatureOptions) {
  const sso = deps.sso;
  const bindingName = deps.cookies.secure ? '__Secure-rental_oidc' : 'rental_oidc';
  // Bounds what a flood of forged callbacks costs (each is a database write and an audit row);
  // generous, since a whole office may come from one address at nine o'clock.
  const limiter = createRateLimiter(deps.clock, deps.shared, { burst: 60, perMinute: 120 });
  // Where the dashboard is, as browsers see this server (behind a proxy, the configured base).
  const dashboardUrl = sso
    ? `${sso.settings.redirectUri.slice(0, -OIDC_CALLBACK_PATH.length)}/dashboard/`
    : '/dashboard/';

  app.get(
    '/v1/auth/sso',
    { config: { public: true }, schema: { response: { 200: SsoInfo } } },
    async (): Promise<SsoInfo> =>
      sso
        ? {
            enabled: true,
            providerName: sso.settings.providerName,
            startUrl: OIDC_START_PATH,
            passwordLogin: sso.settings.passwordLogin,
          }
        : { enabled: false, passwordLogin: true },
  );

  async function audit(actor: AuditActor, action: string, targetId: string, detail: string) {
    await deps.store.audit({ actor, action, targetKind: 'person', targetId, detail }, deps.clock.now());
    deps.events.emit({ type: 'change', what: 'person' });
  }

  async function refuse(request: FastifyRequest, reply: FastifyReply, err: unknown, who?: string) {
    const code: ErrorCode = isAppError(err) ? err.code : 'INTERNAL';
    if (isAppError(err)) request.log.info({ code, reason: err.message }, 'single sign-on refused');
    else request.log.error({ err }, 'single sign-on failed');
    // Each refusal is recorded, except those of the throttle itself: a flood of forged callbacks
    // must not become a flood of audit rows.
    if (code !== 'RATE_LIMITED')
      await audit(
        { kind: 'system', id: null, name: null, via: 'sso' },
        'sso.refused',
        who ?? '-',
        code,
      ).catch((e: unknown) => request.log.warn({ err: (e as Error).message }, 'audit not written'));
    reply.header('cache-control', 'no-store');
    return reply.redirect(`${dashboardUrl}?${SSO_ERROR_PARAM}=${code}`, 302);
  }

  const throttle = (request: FastifyRequest) => limiter.take(`sso:${request.ip}`);

  app.get(
    OIDC_START_PATH,
    { config: { public: true }, logSerializers: withoutQuery, schema: { response: Redirect } },
    async (request, reply) => {
      try {
        await throttle(request);
        if (!sso) throw new AppError('SSO_NOT_CONFIGURED', 'single sign-on is off');
        const held = readCookie(request, bindingName);
        // Kept when present, so two tabs signing in at once do not undo each other.
        const binding = held && BINDING_PATTERN.test(held) ? held : sso.logins.newBinding();
        const p = await sso.logins.begin(binding);
        const url = await sso.client.authorizationUrl({
          state: p.state,
          nonce: p.nonce,
          codeVerifier: p.verifier,
        });
        reply.setCookie(bindingName, binding, bindingCookie(600, deps.cookies.secure));
        reply.header('cache-control', 'no-store');
        return reply.redirect(url, 302);
      } catch (err) {
        return refuse(request, reply, err);
      }
    },
  );

  app.get(
    OIDC_CALLBACK_PATH,
    {
      config: { public: true },
      logSerializers: withoutQuery,
      schema: { querystring: CallbackQuery, response: Redirect },
      // A malformed callback (a parameter twice, one too long) goes back to the sign-in page
      // with its refusal, like every other, not a bare JSON 400 the person cannot read.
      attachValidation: true,
    },
    async (request, reply) => {
      const q = request.query;
      let who: string | undefined;
      try {
        await throttle(request);
        if (request.validationError) throw new AppError('SSO_STATE_INVALID', 'malformed callback');
        if (!sso) throw new AppError('SSO_NOT_CONFIGURED', 'single sign-on is off');
        const { settings, client, logins } = sso;
        if (!q.state) throw new AppError('SSO_STATE_INVALID', 'no state');
        // Spent first, whatever follows: this state cannot be tried a second time.
        const consumed = await logins.consume(q.state);
        if (consumed.status === 'reused') throw new AppError('SSO_STATE_REUSED', 'state used before');
        if (consumed.status === 'expired')
          throw new AppError('SSO_STATE_EXPIRED', 'state unknown or expired');
        if (!logins.bindingMatches(readCookie(request, bindingName), consumed.binding))
          throw new AppError('SSO_STATE_INVALID', 'state started in another browser');
        // RFC 9207: a provider that names itself must be ours (mix-up defence).
        if (q.iss !== undefined && q.iss !== settings.issuer)
          throw new AppError('SSO_ISSUER_MISMATCH', 'callback from another issuer');
        if (q.error !== undefined)
          throw new AppError(
            q.error === 'access_denied' ? 'SSO_CANCELLED' : 'SSO_PROVIDER_ERROR',
            `provider said ${q.error.slice(0, 60)}`,
          );
        if (!q.code) throw new AppError('SSO_PROVIDER_ERROR', 'no code');
        const tokens = await client.exchangeCode(q.code, consumed.verifier);
        const idClaims = await client.verifyIdToken(tokens.idToken, consumed.nonce);
        let claims: Record<string, unknown> & { sub: string } = idClaims;
        who = idClaims.sub;
        const wanted = [
          settings.userClaim,
          // Groups moved out of the token (overage) are not in userinfo either.
          ...(settings.groupRoles.size && groupsKnown(idClaims, settings.groupsClaim)
            ? [settings.groupsClaim]
            : []),
        ];
        // Userinfo only when the ID token lacks a claim we need (many providers keep the ID token small).
        if (wanted.some((c) => claims[c] === undefined) && tokens.accessToken) {
          const info = await client.userinfo(tokens.accessToken, idClaims.sub);
          if (info) claims = { ...info, ...idClaims };
        }
        const { user, events } = await resolveSsoPerson(
          { store: deps.store, clock: deps.clock, settings },
          claims,
        );
        who = user.id;
        const actor: AuditActor = { kind: 'user', id: user.id, name: user.displayName, via: 'sso' };
        for (const e of events) await audit(actor, e.action, user.id, e.detail);
        const session = await deps.sessions.open(user, 'cookie');
        await audit(
          { ...actor, via: `session:${session.session.id}` },
          'sso.sign-in',
          user.id,
          `signed in through ${settings.providerName}`,
        );
        const now = deps.clock.now();
        setSessionCookies(reply, deps.cookies, {
          access: session.accessToken,
          accessMaxAgeS: (session.accessExpiresAtMs - now) / 1000,
          refresh: session.refreshToken,
          refreshMaxAgeS: (session.refreshExpiresAtMs - now) / 1000,
          ...(session.csrfToken ? { csrf: session.csrfToken } : {}),
        });
        reply.setCookie(bindingName, '', bindingCookie(0, deps.cookies.secure));
        reply.header('cache-control', 'no-store');
        request.log.info({ userId: user.id, sessionId: session.session.id, mode: 'sso' }, 'signed in');
        return reply.redirect(dashboardUrl, 302);
      } catch (err) {
        return refuse(request, reply, err, who);
      }
    },
  );
}
