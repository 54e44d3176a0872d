/**
 * The kiosk's HTTP transport to the central server. Every response is checked against
 * the same schemas the server's routes are typed with (protocol/wire), and every kiosk
 * call carries a fresh device assertion. Failures come back as AppError codes:
 * SERVER_UNREACHABLE for the network, the server's own code otherwise.
 */
import type { TSchema, Static } from '@sinclair/typebox';
import {
  AppError,
  CatalogResponse,
  EnrollResponse,
  ErrorBody,
  HealthResponse,
  HeartbeatResponse,
  JwksResponse,
  KIOSK_AUTH_SCHEME,
  KIOSK_PROTOCOL,
  KIOSK_PROTOCOL_HEADER,
  KioskBadgeEnrolResponse,
  KioskPeopleResponse,
  RosterResponse,
  SyncResponse,
  SERVER_CLOCK_HEADER,
  TapResponse,
  parseServerClock,
  type EnrollRequest,
  type KioskBadgeEnrolRequest,
  type HeartbeatRequest,
  type Transaction,
} from '../../protocol/index.ts';
import { check } from '../../protocol/validate.ts';
import type { ServerClock } from './clock/server-clock.ts';
import type { Clock, Fetch } from './ports.ts';

export type ServerClient = ReturnType<typeof createServerClient>;

export function createServerClient(deps: {
  baseUrl: string;
  fetch?: Fetch;
  local: Clock;
  serverClock: ServerClock;
  assertion: () => Promise<string>;
  timeoutMs?: number;
  /** The wire format to speak (KIOSK_PROTOCOL); tests of older kiosks set an older one. */
  protocol?: number;
}) {
  const doFetch = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? 5_000;
  const base = deps.baseUrl.replace(/\/+$/, '');

  async function call<S extends TSchema>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    opts: { body?: unknown; kioskAuth?: boolean; timeoutMs?: number } = {},
  ): Promise<Static<S>> {
    const offsetBefore = deps.serverClock.offsetMs();
    try {
      return await attempt(method, path, schema, opts);
    } catch (err) {
      // A Pi that booted with a wrong clock signs assertions the server cannot accept; the
      // refusal itself told us the server's time, so one retry with the corrected clock.
      const corrected = Math.abs(deps.serverClock.offsetMs() - offsetBefore) > 10_000;
      if (opts.kioskAuth && corrected && err instanceof AppError && err.code === 'KIOSK_ASSERTION_INVALID')
        return attempt(method, path, schema, opts);
      throw err;
    }
  }

  async function attempt<S extends TSchema>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    opts: { body?: unknown; kioskAuth?: boolean; timeoutMs?: number },
  ): Promise<Static<S>> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      [KIOSK_PROTOCOL_HEADER]: String(deps.protocol ?? KIOSK_PROTOCOL),
    };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.kioskAuth) headers.authorization = `${KIOSK_AUTH_SCHEME} ${await deps.assertion()}`;
    const sentAt = deps.local.now();
    let res: Response;
    let payload: unknown;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers,
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        signal: AbortSignal.timeout(opts.timeoutMs ?? timeoutMs),
      });
      payload = await res.json().catch(() => undefined);
    } catch (err) {
      throw new AppError('SERVER_UNREACHABLE', `${method} ${path}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const receivedAt = deps.local.now();
    const stamped = parseServerClock(res.headers.get(SERVER_CLOCK_HEADER));
    if (stamped) {
      deps.serverClock.observe({
        sentAt,
        receivedAt,
        serverReceivedAt: stamped.receivedAt,
        serverSentAt: stamped.sentAt,
      });
    } else {
      // A proxy's own answer has no stamp; its Date header is good to a second.
      const date = Date.parse(res.headers.get('date') ?? '');
      if (Number.isFinite(date)) {
        deps.serverClock.observe({
          sentAt,
          receivedAt,
          serverReceivedAt: date,
          serverSentAt: date,
          resolutionMs: 1000,
        });
      }
    }

    if (!res.ok) {
      // 5xx, coded or not (SERVICE_UNAVAILABLE while the server's database is away, a load
      // balancer with no replica up): the server cannot act now. Like a network cut, the
      // kiosk goes on offline and keeps its rows to send later; it is never a verdict.
      if (res.status >= 500) {
        const code = check(ErrorBody, payload) ? payload.code : `HTTP ${res.status}`;
        throw new AppError('SERVER_UNREACHABLE', `${method} ${path}: ${code}`);
      }
      if (check(ErrorBody, payload)) throw new AppError(payload.code, payload.message);
      // A proxy's error page or a server fault: nothing we can attribute; retry later.
      throw new AppError('SERVER_UNREACHABLE', `${method} ${path}: HTTP ${res.status}`);
    }
    if (!check(schema, payload)) {
      throw new AppError('SERVER_UNREACHABLE', `${method} ${path}: response does not match the protocol`);
    }
    return payload;
  }

  return {
    health: () => call('GET', '/healthz', HealthResponse),
    jwks: () => call('GET', '/.well-known/jwks.json', JwksResponse),
    enroll: (body: EnrollRequest) => call('POST', '/v1/kiosks/enroll', EnrollResponse, { body }),
    tap: (credential: string) =>
      call('POST', '/v1/badge-tap', TapResponse, { body: { credential }, kioskAuth: true }),
    /** Changes since `cursor` (all when null); with `page` (protocol 5), the next page of a pull. */
    catalog: (cursor: string | null, page?: string) =>
      call(
        'GET',
        `/v1/catalog${
          page ? `?page=${encodeURIComponent(page)}` : cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''
        }`,
        CatalogResponse,
        { kioskAuth: true },
      ),
    // In the background, never while someone waits: the server may first have to work out a
    // slow hash per person (its first roster for this kiosk), so it gets longer than a tap.
    roster: () => call('GET', '/v1/roster', RosterResponse, { kioskAuth: true, timeoutMs: 60_000 }),
    people: (token: string) =>
      call('POST', '/v1/kiosk/people', KioskPeopleResponse, { body: { token }, kioskAuth: true }),
    enrolBadge: (body: KioskBadgeEnrolRequest) =>
      call('POST', '/v1/kiosk/badges', KioskBadgeEnrolResponse, { body, kioskAuth: true }),
    sync: (transactions: Transaction[]) =>
      call('POST', '/v1/sync', SyncResponse, { body: { transactions }, kioskAuth: true }),
    /** An item photo's thumbnail (protocol 5): public and named by its hash, so no assertion. */
    async photoThumb(hash: string): Promise<Buffer> {
      const res = await doFetch(`${base}/v1/item-photos/${encodeURIComponent(hash)}/thumb`, {
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new AppError('SERVER_UNREACHABLE', `photo ${hash}: HTTP ${res.status}`);
      return Buffer.from(await res.arrayBuffer());
    },
    /** The kiosk's health for the dashboard; send every HEARTBEAT_INTERVAL_S. */
    heartbeat: (body: HeartbeatRequest) =>
      call('POST', '/v1/kiosk/heartbeat', HeartbeatResponse, { body, kioskAuth: true }),
  };
}
