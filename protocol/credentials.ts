/**
 * Normalized badge credentials: the one shape every reader emits and the server hashes.
 *
 *   nfc:<uid hex, lower case, 4/7/10 bytes>
 *   wiegand<bits>:<facility>:<card>
 *   kbd:<digits>
 *
 * Card data is attacker-controlled (anyone can program a tag), so it is parsed here and
 * nowhere trusted before.
 */
import { Type, type Static } from '@sinclair/typebox';

export const CREDENTIAL_PATTERN =
  '^(nfc:(?:[0-9a-f]{8}|[0-9a-f]{14}|[0-9a-f]{20})|wiegand(?:26|34|35|37):[0-9]{1,10}:[0-9]{1,12}|kbd:[0-9]{4,32})$';

const credentialRegex = new RegExp(CREDENTIAL_PATTERN);

export const Credential = Type.String({ pattern: CREDENTIAL_PATTERN, maxLength: 64 });
export type Credential = Static<typeof Credential>;

export function isCredential(value: unknown): value is Credential {
  return typeof value === 'string' && value.length <= 64 && credentialRegex.test(value);
}

/** Normalize loosely typed input (upper-case hex, separators) to a credential, or null. */
export function normalizeCredential(raw: string): Credential | null {
  const trimmed = raw.trim().toLowerCase();
  const nfc = /^nfc:([0-9a-f:\- ]+)$/.exec(trimmed);
  const candidate = nfc ? `nfc:${nfc[1]!.replace(/[:\- ]/g, '')}` : trimmed;
  return isCredential(candidate) ? candidate : null;
}

/**
 * What the dashboard may show of a badge: its kind and last few characters, enough to
 * tell two badges apart on a list, not enough to narrow the search for a clone. Card
 * numbers are short (a Wiegand-26 card is 16 bits, under 65,536 per facility code): their
 * last two digits leave ~650 candidates, where four left about 7. An NFC UID keeps four
 * hex digits of its 32 to 80 bits.
 */
export function credentialHint(credential: Credential): string {
  const colon = credential.lastIndexOf(':');
  const kind = credential.slice(0, credential.indexOf(':'));
  const tail = credential.slice(colon + 1);
  return `${kind}:…${tail.slice(kind === 'nfc' ? -4 : -2)}`;
}
