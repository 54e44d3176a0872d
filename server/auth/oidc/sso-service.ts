/** Single sign-on's parts, assembled once per process by the composition root (create-server.ts). */
import type { Clock } from '../../../protocol/index.ts';
import type { SharedState } from '../../shared/shared-state.ts';
import { createOidcClient, type Fetch, type OidcClient } from './oidc-client.ts';
import { createLoginState, type LoginState } from './login-state.ts';
import type { SsoSettings } from './sso-config.ts';

export type SsoService = { settings: SsoSettings; client: OidcClient; logins: LoginState };

export function createSsoService(deps: {
  settings: SsoSettings;
  shared: SharedState;
  clock: Clock;
  fetch?: Fetch;
  log?: { warn(o: object, msg: string): void };
}): SsoService {
  return {
    settings: deps.settings,
    client: createOidcClient(deps),
    logins: createLoginState({ shared: deps.shared, clock: deps.clock }),
  };
}
