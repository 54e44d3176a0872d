/** What the HTTP app is built from. The composition roots (main.ts, tests) assemble it. */
import type { Clock } from '../protocol/index.ts';
import type { BadgeHasher } from './auth/badge-hash.ts';
import type { KioskAuthenticator } from './auth/kiosk-assertion.ts';
import type { TokenService } from './auth/tokens.ts';
import type { KeyStore } from './keys/key-store.ts';
import type { Store } from './store/store.ts';

export type ServerDeps = {
  store: Store;
  keys: KeyStore;
  tokens: TokenService;
  authenticateKiosk: KioskAuthenticator;
  hashBadge: BadgeHasher;
  clock: Clock;
  issuer: string;
  maxLoansPerPerson: number;
  version: string;
};
