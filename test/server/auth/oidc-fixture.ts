/**
 * A real OpenID provider for the single sign-on tests: oidc-provider (certified, a
 * devDependency) on 127.0.0.1, with one confidential client that must use PKCE, accounts the
 * test defines (email, name, groups), and a small sign-in page of its own (a login field, a
 * "Sign in" and a "Cancel" button) instead of the library's dev pages, so a test or Chromium
 * can sign in as any account. Its RSA signing key is handed to the test, which may sign
 * tampered ID tokens with it.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import Provider from 'oidc-provider';

export type TestAccount = {
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
  groups?: string[];
};

/** The part of oidc-provider's API these tests use (it ships no types). */
type ProviderApi = {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ params: Record<string, string> }>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    opts: { mergeWithLastSubmission: boolean },
  ): Promise<void>;
  Grant: new (p: { accountId: string; clientId: string }) => {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  };
};

export type TestProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The provider's private signing key (RS256), to sign tampered tokens with. */
  signingJwk: JWK;
  accounts: Map<string, TestAccount>;
  close(): Promise<void>;
};

export const CLIENT_ID = 'rental-dashboard';
export const CLIENT_SECRET = 'test-client-secret-0123456789abcdef';

const page = (
  uid: string,
) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test IdP sign-in</title>
<style>body{font-family:sans-serif;display:grid;place-items:center;height:100vh;margin:0;background:#eef}
form{background:#fff;padding:24px;border-radius:8px;display:grid;gap:12px;min-width:280px}</style></head>
<body><form method="post" action="/interaction/${uid}"><h1>Test identity provider</h1>
<label>Username <input name="login" autofocus></label>
<button type="submit" name="action" value="login">Continue</button>
<button type="submit" name="action" value="cancel">Cancel</button></form></body></html>`;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return new URLSearchParams(body);
}

export async function startProvider(opts: {
  redirectUris: string[];
  accounts?: Record<string, TestAccount>;
  /** false: every claim scopes allow goes into the ID token (no userinfo call needed). */
  conformIdTokenClaims?: boolean;
  /**
   * The name in its issuer URL (it listens on 127.0.0.1 either way). `localhost` makes it
   * another site than a server at 127.0.0.1, as a real provider is: cookies then travel as
   * they do across sites.
   */
  hostname?: 'localhost' | '127.0.0.1';
  /** How the client must authenticate at the token endpoint (the only method the provider offers). */
  tokenAuthMethod?: 'client_secret_basic' | 'client_secret_post';
}): Promise<TestProvider> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${opts.hostname ?? '127.0.0.1'}:${port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingJwk = {
    ...(privateKey.export({ format: 'jwk' }) as JWK),
    kid: `k-${port}`,
    alg: 'RS256',
    use: 'sig',
  };
  const accounts = new Map(Object.entries(opts.accounts ?? {}));

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: opts.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: opts.tokenAuthMethod ?? 'client_secret_basic',
      },
    ],
    clientAuthMethods: [opts.tokenAuthMethod ?? 'client_secret_basic'],
    jwks: { keys: [signingJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    pkce: { required: () => true },
    ttl: {
      Interaction: 600,
      Grant: 600,
      Session: 600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
    conformIdTokenClaims: opts.conformIdTokenClaims ?? true,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      return account ? { accountId: id, claims: () => ({ sub: id, ...account }) } : undefined;
    },
  }) as unknown as ProviderApi;

  const handle = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/interaction\/([\w-]+)$/.exec(req.url ?? '');
    if (!m) return handle(req, res);
    void (async () => {
      try {
        if (req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(m[1]!));
          return;
        }
        const form = await readForm(req);
        if (form.get('action') === 'cancel') {
          await provider.interactionFinished(
            req,
            res,
            { error: 'access_denied', error_description: 'the person cancelled' },
            { mergeWithLastSubmission: false },
          );
          return;
        }
        const { params } = await provider.interactionDetails(req, res);
        const accountId = form.get('login') ?? '';
        const grant = new provider.Grant({ accountId, clientId: params.client_id! });
        grant.addOIDCScope(params.scope!);
        const grantId = await grant.save();
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId }, consent: { grantId } },
          { mergeWithLastSubmission: false },
        );
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    })();
  });

  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    signingJwk,
    accounts,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A cookie jar per origin, enough for the provider's own cookies. */
export class Jar {
  private cookies = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(c) || /expires=thu, 01 jan 1970/i.test(c))
        this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Walks the provider's side of a sign-in as a browser would: the authorization URL, its
 * sign-in page, the form post; returns where the provider sends the browser back (the
 * callback URL with code and state).
 */
export async function signInAtProvider(
  authorizationUrl: string,
  login: string,
  opts: { jar?: Jar; cancel?: boolean } = {},
): Promise<string> {
  const jar = opts.jar ?? new Jar();
  let url = authorizationUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body } : {}),
    });
    jar.take(res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (new URL(authorizationUrl).origin !== next.origin) return next.toString();
      url = next.toString();
      method = 'GET';
      body = undefined;
      continue;
    }
    if (res.status === 200 && /\/interaction\//.test(url) && method === 'GET') {
      await res.text();
      method = 'POST';
      body = new URLSearchParams({ login, action: opts.cancel ? 'cancel' : 'login' }).toString();
      continue;
    }
    throw new Error(`provider answered ${res.status} at ${url}: ${(await res.text()).slice(0, 300)}`);
  }
  throw new Error('too many redirects at the provider');
}
