/**
 * The half-finished single sign-ons (issue 20): what the callback must find again — the PKCE
 * verifier, the nonce, and which browser started it — kept in SharedState (the database when
 * there are replicas), so the callback may land on any replica. The state in the URL is only
 * a key; the browser also carries a short-lived cookie whose hash must match (a callback
 * opened in another browser, as in a login-CSRF, is refused). A state is used once: consuming
 * it leaves a marker, so a second use is told apart from one that never existed or ran out.
 */
import { createHash, randomBytes as nodeRandomBytes } from 'node:crypto';
import type { Clock } from '../../../protocol/index.ts';
import type { RandomBytes } from '../../ids.ts';
import type { SharedState } from '../../shared/shared-state.ts';

export const STATE_TTL_MS = 10 * 60_000;
/** How long a spent state is remembered as spent. */
const SPENT_TTL_MS = 60 * 60_000;

type Pending = { binding: string; nonce: string; verifier: string; expiresAt: number };
type Entry = Pending | { spent: true };

export type Consumed =
  | { status: 'ok'; nonce: string; verifier: string; binding: string }
  | { status: 'expired' }
  | { status: 'reused' };

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');
const keyOf = (state: string) => `oidc:state:${sha256(state)}`;

export const BINDING_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function createLoginState(deps: { shared: SharedState; clock: Clock; randomBytes?: RandomBytes }) {
  const random = deps.randomBytes ?? nodeRandomBytes;
  const secret = () => random(32).toString('base64url');
  return {
    newBinding: secret,
    /** A new state for the browser holding `binding`. */
    async begin(binding: string) {
      const now = deps.clock.now();
      const p = { state: secret(), nonce: secret(), verifier: secret() };
      const entry: Pending = {
        binding: sha256(binding),
        nonce: p.nonce,
        verifier: p.verifier,
        expiresAt: now + STATE_TTL_MS,
      };
      await deps.shared.update<Entry, void>(keyOf(p.state), now, () => ({
        next: entry,
        expiresAt: entry.expiresAt,
        result: undefined,
      }));
      return p;
    },
    /** Takes the state out, atomically across replicas: exactly one caller gets 'ok'. */
    async consume(state: string): Promise<Consumed> {
      const now = deps.clock.now();
      return deps.shared.update<Entry, Consumed>(keyOf(state), now, (current) => {
        if (!current) return { next: null, expiresAt: now, result: { status: 'expired' } };
        if ('spent' in current)
          return { next: current, expiresAt: now + SPENT_TTL_MS, result: { status: 'reused' } };
        return {
          next: { spent: true },
          expiresAt: now + SPENT_TTL_MS,
          result: {
            status: 'ok',
            nonce: current.nonce,
            verifier: current.verifier,
            binding: current.binding,
          },
        };
      });
    },
    bindingMatches: (cookie: string | undefined, hashed: string) =>
      cookie !== undefined && BINDING_PATTERN.test(cookie) && sha256(cookie) === hashed,
  };
}

export type LoginState = ReturnType<typeof createLoginState>;
