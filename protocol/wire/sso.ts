/** What the dashboard's sign-in page reads to know whether single sign-on is on (no secrets). */
import { Type, type Static } from '@sinclair/typebox';
import { Strict } from './common.ts';

export const SsoInfo = Strict({
  enabled: Type.Boolean(),
  /** Shown on the button: "Sign in with <providerName>". */
  providerName: Type.Optional(Type.String()),
  /** Where the button goes (a plain navigation, not a fetch). */
  startUrl: Type.Optional(Type.String()),
  /** False: the password form is hidden behind a small "administrator sign-in" link. */
  passwordLogin: Type.Boolean(),
});
export type SsoInfo = Static<typeof SsoInfo>;

/** The query parameter the server's redirect back to the dashboard names a refusal in. */
export const SSO_ERROR_PARAM = 'sso_error';
