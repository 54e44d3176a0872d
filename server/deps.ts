/** What the HTTP app is built from. The composition roots (main.ts, tests) assemble it. */
import type { Clock } from '../protocol/index.ts';
import type { BadgeHasher } from './auth/badge-hash.ts';
import type { KioskAuthenticator } from './auth/kiosk-assertion.ts';
import type { RosterService } from './auth/roster.ts';
import type { TokenService } from './auth/tokens.ts';
import type { SessionService } from './auth/sessions.ts';
import type { LoginThrottle, RateLimiter } from './auth/login-throttle.ts';
import type { PasswordGate } from './auth/password-gate.ts';
import type { CookiePolicy } from './http/cookies.ts';
import type { EventBus } from './events/bus.ts';
import type { Notifier } from './notify/notifier.ts';
import type { KeyStore } from './keys/key-store.ts';
import type { SharedState } from './shared/shared-state.ts';
import type { Store } from './store/store.ts';
import type { ReservationSettings } from './reservations/reserve.ts';
import type { SsoService } from './auth/oidc/sso-service.ts';

export type ServerDeps = {
  store: Store;
  keys: KeyStore;
  tokens: TokenService;
  authenticateKiosk: KioskAuthenticator;
  hashBadge: BadgeHasher;
  /** The badge secret sealed under the server's roster key (per-kiosk roster entries and offline proofs derive from it); see auth/roster.ts. */
  rosterHash: BadgeHasher;
  sessions: SessionService;
  cookies: CookiePolicy;
  loginThrottle: LoginThrottle;
  /** Bounds password hashes in flight, so a login flood cannot starve token signing. */
  passwordGate: PasswordGate;
  /** Badge taps per kiosk. */
  tapLimiter: RateLimiter;
  /** Throttles, seen-once claims and job claims: in the database when there are replicas. */
  shared: SharedState;
  roster: RosterService;
  clock: Clock;
  issuer: string;
  maxLoansPerPerson: number;
  version: string;
  /** What changed, for the dashboard's live stream (server/events). */
  events: EventBus;
  /** Single sign-on through an OpenID provider (server/auth/oidc); absent when not configured. */
  sso?: SsoService;
  /** How reservations run (grace time, longest window, lead time); absent: the defaults. */
  reservations?: ReservationSettings;
  /** Where overdue reminders go (server/notify); none configured means none sent. */
  notifiers?: Notifier[];
  /** Stops timers and listeners and closes the store. */
  close(): Promise<void>;
};
