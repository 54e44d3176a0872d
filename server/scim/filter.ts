/**
 * The SCIM filters provisioning clients send (RFC 7644 3.4.2.2): Entra ID and Okta look a
 * person up by `userName eq "..."` or `externalId eq "..."`, and a group by `displayName eq`.
 * Only `eq` on the attributes a resource names is understood, joined by `and`; anything else
 * is refused as invalidFilter rather than answered wrongly (an unfiltered list read as "no
 * match" would make a client create a duplicate).
 */
import { invalidFilter } from './errors.ts';

const CLAUSE = /^\s*([A-Za-z][\w.:-]*)\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/i;

/** `allowed` maps a lower-case attribute name (or its URN-qualified form) to the key returned. */
export function parseEqFilter<K extends string>(
  filter: string,
  allowed: Record<string, K>,
): Partial<Record<K, string>> {
  if (filter.length > 1024) throw invalidFilter('filter too long');
  const out: Partial<Record<K, string>> = {};
  // `and` inside a quoted value must not split it: split on quoted strings first.
  const parts: string[] = [];
  let current = '';
  const tokens = filter.match(/"(?:[^"\\]|\\.)*"|[^"]+/g) ?? [];
  for (const token of tokens) {
    if (token.startsWith('"')) {
      current += token;
      continue;
    }
    const pieces = token.split(/\s+and\s+/i);
    current += pieces[0];
    for (const piece of pieces.slice(1)) {
      parts.push(current);
      current = piece;
    }
  }
  parts.push(current);
  for (const part of parts) {
    const m = CLAUSE.exec(part);
    if (!m) throw invalidFilter('only "<attribute> eq \\"value\\"" clauses joined by "and" are supported');
    const name = m[1]!.toLowerCase().replace(/^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/, '');
    const key = Object.hasOwn(allowed, name) ? allowed[name] : undefined;
    if (!key) throw invalidFilter(`filtering on ${m[1]} is not supported`);
    let value: unknown;
    try {
      value = JSON.parse(m[2]!);
    } catch {
      throw invalidFilter('the value is not a valid string');
    }
    if (typeof value !== 'string') throw invalidFilter('the value must be a string');
    // Looked up as stored: user names are kept in NFKC (user-model.ts), other values in NFC.
    const text = value.normalize(key === 'userName' ? 'NFKC' : 'NFC');
    if (out[key] !== undefined && out[key] !== text) throw invalidFilter(`${m[1]} given twice`);
    out[key] = text;
  }
  return out;
}
