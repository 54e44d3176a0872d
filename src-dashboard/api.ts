/**
 * The dashboard's HTTP client. The session lives in HttpOnly SameSite=Strict cookies that
 * script cannot read (login with mode 'cookie'); writes echo the CSRF token from its
 * readable cookie in `x-csrf-token`. Refresh is silent: scheduled before the access token
 * expires, and tried once when a call answers 401. Errors come back as ApiError(code).
 */
import { CSRF_HEADER, type ErrorCode, type SessionResponse } from '../protocol/index.ts';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | string,
    readonly status: number,
  ) {
    super(code);
  }
}

const CSRF_COOKIES = ['__Host-rental_csrf', 'rental_csrf'];

function csrfToken(): string | null {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name && CSRF_COOKIES.includes(name)) return rest.join('=');
  }
  return null;
}

type Listener = () => void;
let onSignedOut: Listener = () => {};
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<boolean> | null = null;

/** Called when the session is gone for good (refresh refused): the app shows the login page. */
export function whenSignedOut(listener: Listener) {
  onSignedOut = listener;
}

function scheduleRefresh(expiresAt: string) {
  clearTimeout(refreshTimer);
  // A minute early, so a slow network never lets a request go out with an expired token.
  const inMs = Math.max(5_000, Date.parse(expiresAt) - Date.now() - 60_000);
  refreshTimer = setTimeout(() => void refresh(), inMs);
}

/**
 * Tabs of one browser share the refresh cookie, and a refresh token presented twice counts as
 * stolen (the server revokes the session). Two tabs' live streams end together when their
 * shared access token runs out, so their refreshes would meet: a Web Lock makes them take
 * turns, and the second sends the cookie the first one got. Without Web Locks (a page not
 * served over HTTPS or from localhost), or if the lock is refused (a page being unloaded),
 * the refresh goes on alone. `task` never rejects.
 */
async function oneTabAtATime(task: () => Promise<boolean>): Promise<boolean> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return task();
  try {
    return await locks.request('rental-dashboard-refresh', task);
  } catch {
    return task();
  }
}

/**
 * Every tab waits for a refresh under way, so it must end: one that has no answer in this
 * long counts as failed.
 */
const REFRESH_TIMEOUT_MS = 15_000;

/** One refresh at a time: concurrent 401s wait for the same rotation (a second would be reuse). */
export function refresh(): Promise<boolean> {
  refreshing ??= oneTabAtATime(async () => {
    try {
      // keepalive: a tab closed or reloaded while the server spends the refresh token still
      // takes the new cookie, so the next refresh does not present the spent one (reuse).
      const res = await send(
        'POST',
        '/v1/auth/refresh',
        {},
        {
          keepalive: true,
          signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS),
        },
      );
      if (!res.ok) return false;
      scheduleRefresh(((await res.json()) as SessionResponse).expiresAt);
      return true;
    } catch {
      return false;
    }
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** A Blob body (an item's photo) goes as its own bytes and type; anything else as JSON. */
function send(
  method: string,
  path: string,
  body?: unknown,
  more: Pick<RequestInit, 'keepalive' | 'signal'> = {},
  extra: Record<string, string> = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...extra };
  const raw = body instanceof Blob;
  if (raw) headers['content-type'] = body.type || 'application/octet-stream';
  else if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = csrfToken();
  if (method !== 'GET' && csrf) headers[CSRF_HEADER] = csrf;
  return fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(raw ? { body } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    ...more,
  });
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  retried = false,
): Promise<Response> {
  let res: Response;
  try {
    res = await send(method, path, body, {}, headers);
  } catch {
    throw new ApiError('SERVER_UNREACHABLE', 0);
  }
  if (res.status === 401 && !retried) {
    if (await refresh()) return call(method, path, body, headers, true);
    onSignedOut();
  }
  if (!res.ok) {
    const payload = (await res.json().catch(() => null)) as { code?: string } | null;
    throw new ApiError(payload?.code ?? 'INTERNAL', res.status);
  }
  return res;
}

export const api = {
  async get<T>(path: string): Promise<T> {
    return (await (await call('GET', path)).json()) as T;
  },
  async post<T>(path: string, body: unknown = {}): Promise<T> {
    return (await (await call('POST', path, body)).json()) as T;
  },
  async patch<T>(path: string, body: unknown): Promise<T> {
    return (await (await call('PATCH', path, body)).json()) as T;
  },
  /** `ifMatch`: the version the edit was made from; refused (409) if the thing changed since. */
  async put<T>(path: string, body: unknown, ifMatch?: string): Promise<T> {
    return (await (await call('PUT', path, body, ifMatch ? { 'if-match': ifMatch } : {})).json()) as T;
  },
  /** PUT a file's bytes as the body (an item's photo). */
  async upload<T>(path: string, file: Blob): Promise<T> {
    return (await (await call('PUT', path, file)).json()) as T;
  },
  async del<T>(path: string): Promise<T> {
    return (await (await call('DELETE', path)).json()) as T;
  },
  /** Fetch a CSV with the session and hand it to the browser as a download. */
  async download(path: string, filename: string): Promise<void> {
    const blob = await (await call('GET', path)).blob();
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  },

  async login(email: string, password: string): Promise<SessionResponse> {
    const res = await send('POST', '/v1/auth/login', { email, password, mode: 'cookie' });
    if (!res.ok) {
      const payload = (await res.json().catch(() => null)) as { code?: string } | null;
      throw new ApiError(payload?.code ?? 'INTERNAL', res.status);
    }
    const session = (await res.json()) as SessionResponse;
    scheduleRefresh(session.expiresAt);
    return session;
  },

  async logout(): Promise<void> {
    clearTimeout(refreshTimer);
    await send('POST', '/v1/auth/logout').catch(() => undefined);
  },
};

/** Query string from defined values only. */
export function qs(params: Record<string, string | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}
