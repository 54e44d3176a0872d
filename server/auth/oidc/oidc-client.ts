/**
 * The relying-party side of OpenID Connect for the dashboard (issue 20), on Node's fetch and
 * jose: discovery (cached; its issuer must equal the configured one), the authorization URL
 * (code flow with PKCE S256, state, nonce), the code exchange (client_secret_basic or _post),
 * ID token verification against the provider's JWKS, and userinfo when a claim is missing.
 * Every failure is an AppError with an SSO_* code for the sign-in page; nothing here logs or
 * returns a token, a code or the client secret. The discovery document and the JWKS are the
 * only things kept in this process (a cache: every replica fetches its own).
 */
import { createHash } from 'node:crypto';
import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { AppError, type Clock, type ErrorCode } from '../../../protocol/index.ts';
import type { SsoSettings } from './sso-config.ts';

export type Fetch = typeof fetch;

export type Discovery = {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  id_token_signing_alg_values_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  code_challenge_methods_supported?: string[];
};

export type IdClaims = JWTPayload & { sub: string; [claim: string]: unknown };

const DISCOVERY_TTL_MS = 60 * 60_000;
/** A provider that is down for a moment does not stop sign-ins the cached document still serves. */
const DISCOVERY_STALE_MS = 24 * 60 * 60_000;
const HTTP_TIMEOUT_MS = 10_000;
/** undici's words for a connection the other side closed or reset under a request. */
const isStaleConnection = (err: unknown) => {
  const code = (err as { cause?: { code?: unknown } }).cause?.code;
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET';
};
const SYMMETRIC = /^HS(256|384|512)$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const fail = (code: ErrorCode, message: string, cause?: unknown) =>
  new AppError(code, message, cause === undefined ? undefined : { cause });

export const pkceChallenge = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

function endpoint(doc: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const v = doc[name];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string') throw fail('SSO_PROVIDER_ERROR', `discovery: ${name} missing`);
  const u = new URL(v);
  if (u.protocol !== 'https:' && !LOOPBACK.has(u.hostname))
    throw fail('SSO_PROVIDER_ERROR', `discovery: ${name} is not https`);
  return v;
}

const stringList = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;

export function createOidcClient(deps: {
  settings: SsoSettings;
  clock: Clock;
  fetch?: Fetch;
  log?: { warn(o: object, msg: string): void };
}) {
  const { settings } = deps;
  const fetchFn: Fetch = deps.fetch ?? fetch;
  let cache: { doc: Discovery; jwks: JWTVerifyGetKey; at: number } | null = null;

  async function get(url: string, init: RequestInit = {}): Promise<Response> {
    const once = () =>
      fetchFn(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    try {
      try {
        return await once();
      } catch (err) {
        // A pooled keep-alive connection the provider closed just as it was reused: a read
        // (discovery, keys) is safe to send once more. A POST (the code exchange) is not: a
        // code is spent once, so that refusal stands.
        if ((init.method ?? 'GET') === 'GET' && isStaleConnection(err)) return await once();
        throw err;
      }
    } catch (err) {
      throw fail('SSO_PROVIDER_UNREACHABLE', `cannot reach ${new URL(url).origin}`, err);
    }
  }

  async function fetchDiscovery(): Promise<Discovery> {
    const url = `${settings.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const res = await get(url, { headers: { accept: 'application/json' } });
    if (!res.ok) throw fail('SSO_PROVIDER_ERROR', `discovery answered ${res.status}`);
    const doc = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (!doc || typeof doc !== 'object') throw fail('SSO_PROVIDER_ERROR', 'discovery is not JSON');
    // OpenID Connect Discovery 4.3: the document's issuer is exactly the one it was fetched for.
    if (doc.issuer !== settings.issuer)
      throw fail(
        'SSO_ISSUER_MISMATCH',
        `discovery names issuer ${String(doc.issuer)}, not ${settings.issuer}`,
      );
    const challenge = stringList(doc.code_challenge_methods_supported);
    if (challenge && !challenge.includes('S256'))
      throw fail('SSO_PROVIDER_ERROR', 'provider lacks PKCE S256');
    return {
      issuer: settings.issuer,
      authorization_endpoint: endpoint(doc, 'authorization_endpoint', true)!,
      token_endpoint: endpoint(doc, 'token_endpoint', true)!,
      jwks_uri: endpoint(doc, 'jwks_uri', true)!,
      ...(endpoint(doc, 'userinfo_endpoint', false)
        ? { userinfo_endpoint: endpoint(doc, 'userinfo_endpoint', false)! }
        : {}),
      ...(stringList(doc.id_token_signing_alg_values_supported)
        ? { id_token_signing_alg_values_supported: stringList(doc.id_token_signing_alg_values_supported)! }
        : {}),
      ...(stringList(doc.token_endpoint_auth_methods_supported)
        ? { token_endpoint_auth_methods_supported: stringList(doc.token_endpoint_auth_methods_supported)! }
        : {}),
    };
  }

  async function provider() {
    const now = deps.clock.now();
    if (cache && now - cache.at < DISCOVERY_TTL_MS) return cache;
    try {
      const doc = await fetchDiscovery();
      const jwks = createRemoteJWKSet(new URL(doc.jwks_uri), {
        timeoutDuration: 5_000,
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
        [customFetch]: (url, init) => fetchFn(url, init),
      });
      cache = { doc, jwks, at: now };
      return cache;
    } catch (err) {
      if (cache && now - cache.at < DISCOVERY_STALE_MS) {
        deps.log?.warn({ err: (err as Error).message }, 'sso: discovery not refreshed; using the cached one');
        return cache;
      }
      throw err;
    }
  }

  /** Asymmetric algorithms the provider announces (or the configured list); never none. */
  function allowedAlgs(doc: Discovery): string[] {
    const algs =
      settings.idTokenAlgs ??
      (doc.id_token_signing_alg_values_supported ?? ['RS256']).filter((a) => !SYMMETRIC.test(a));
    return algs.filter((a) => a.toLowerCase() !== 'none');
  }

  function clientAuth(doc: Discovery): 'client_secret_basic' | 'client_secret_post' {
    if (settings.tokenAuthMethod) return settings.tokenAuthMethod;
    const offered = doc.token_endpoint_auth_methods_supported;
    // The spec's default is basic; a provider that lists only post gets post.
    return offered && !offered.includes('client_secret_basic') && offered.includes('client_secret_post')
      ? 'client_secret_post'
      : 'client_secret_basic';
  }

  return {
    async authorizationUrl(p: { state: string; nonce: string; codeVerifier: string }): Promise<string> {
      const { doc } = await provider();
      const url = new URL(doc.authorization_endpoint);
      const q = url.searchParams;
      q.set('response_type', 'code');
      q.set('client_id', settings.clientId);
      q.set('redirect_uri', settings.redirectUri);
      q.set('scope', settings.scopes);
      q.set('state', p.state);
      q.set('nonce', p.nonce);
      q.set('code_challenge', pkceChallenge(p.codeVerifier));
      q.set('code_challenge_method', 'S256');
      return url.toString();
    },

    /** Code -> tokens. The code is spent here whatever happens next. */
    async exchangeCode(
      code: string,
      codeVerifier: string,
    ): Promise<{ idToken: string; accessToken?: string }> {
      const { doc } = await provider();
      const body = new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: settings.redirectUri,
        code_verifier: codeVerifier,
      });
      const headers: Record<string, string> = {
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
      };
      if (clientAuth(doc) === 'client_secret_basic') {
        // RFC 6749 2.3.1: each part form-encoded before base64.
        const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
        headers.authorization = `Basic ${Buffer.from(`${enc(settings.clientId)}:${enc(settings.clientSecret)}`).toString('base64')}`;
      } else {
        body.set('client_id', settings.clientId);
        body.set('client_secret', settings.clientSecret);
      }
      const res = await get(doc.token_endpoint, { method: 'POST', headers, body });
      const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
      if (!res.ok) {
        const error = typeof json?.error === 'string' ? json.error : `HTTP ${res.status}`;
        if (error === 'invalid_grant') throw fail('SSO_CODE_REJECTED', 'the provider refused the code');
        throw fail('SSO_PROVIDER_ERROR', `token endpoint: ${error.slice(0, 100)}`);
      }
      if (typeof json?.id_token !== 'string') throw fail('SSO_PROVIDER_ERROR', 'token endpoint: no id_token');
      return {
        idToken: json.id_token,
        ...(typeof json.access_token === 'string' ? { accessToken: json.access_token } : {}),
      };
    },

    /** OpenID Connect Core 3.1.3.7: signature, iss, aud (azp), exp, iat, nonce. */
    async verifyIdToken(idToken: string, nonce: string): Promise<IdClaims> {
      const { doc, jwks } = await provider();
      let unverified: JWTPayload;
      try {
        unverified = decodeJwt(idToken);
      } catch (err) {
        throw fail('SSO_TOKEN_INVALID', 'id token does not parse', err);
      }
      // Named before any key is looked up: a token from another provider is that, not a bad signature.
      if (unverified.iss !== settings.issuer)
        throw fail('SSO_ISSUER_MISMATCH', 'id token from another issuer');
      const secretKey = new TextEncoder().encode(settings.clientSecret);
      const algorithms = allowedAlgs(doc);
      const key: JWTVerifyGetKey = (header, token) =>
        SYMMETRIC.test(header.alg ?? '') ? secretKey : jwks(header, token);
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(idToken, key, {
          issuer: settings.issuer,
          audience: settings.clientId,
          algorithms,
          clockTolerance: settings.clockToleranceS,
          currentDate: new Date(deps.clock.now()),
          requiredClaims: ['sub', 'iat', 'exp'],
          maxTokenAge: '1h',
        }));
      } catch (err) {
        if (err instanceof joseErrors.JWTClaimValidationFailed) {
          if (err.claim === 'iss') throw fail('SSO_ISSUER_MISMATCH', 'id token issuer', err);
          if (err.claim === 'aud') throw fail('SSO_AUDIENCE_MISMATCH', 'id token audience', err);
        }
        if (err instanceof joseErrors.JWKSTimeout)
          throw fail('SSO_PROVIDER_UNREACHABLE', 'jwks timeout', err);
        if (err instanceof TypeError) throw fail('SSO_PROVIDER_UNREACHABLE', 'jwks unreachable', err);
        throw fail('SSO_TOKEN_INVALID', `id token: ${(err as { code?: string }).code ?? 'invalid'}`, err);
      }
      const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      // Several audiences: the token must say it was issued to us (azp); a present azp must be us.
      if ((aud.length > 1 || payload.azp !== undefined) && payload.azp !== settings.clientId)
        throw fail('SSO_AUDIENCE_MISMATCH', 'id token azp');
      if (typeof payload.nonce !== 'string' || payload.nonce !== nonce)
        throw fail(
          'SSO_NONCE_MISMATCH',
          payload.nonce === undefined ? 'id token without nonce' : 'nonce differs',
        );
      if (typeof payload.sub !== 'string' || payload.sub === '')
        throw fail('SSO_TOKEN_INVALID', 'id token sub');
      return payload as IdClaims;
    },

    /** Userinfo claims of the same subject, or null when the provider has no userinfo endpoint. */
    async userinfo(accessToken: string, sub: string): Promise<Record<string, unknown> | null> {
      const { doc } = await provider();
      if (!doc.userinfo_endpoint) return null;
      const res = await get(doc.userinfo_endpoint, {
        headers: { accept: 'application/json', authorization: `Bearer ${accessToken}` },
      });
      if (!res.ok) throw fail('SSO_PROVIDER_ERROR', `userinfo answered ${res.status}`);
      const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
      if (!json || typeof json !== 'object') throw fail('SSO_PROVIDER_ERROR', 'userinfo is not JSON');
      // Core 5.3.2: a userinfo answer about anyone else is thrown away.
      if (json.sub !== sub) throw fail('SSO_TOKEN_INVALID', 'userinfo sub differs from the id token');
      return json;
    },
  };
}

export type OidcClient = ReturnType<typeof createOidcClient>;
