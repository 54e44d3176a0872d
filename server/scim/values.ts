/**
 * Checking the values inside a SCIM body. Bodies come from a directory, but they are still
 * input: every value is checked for its type and size before anything is written, and a
 * wrong one is an invalidValue naming the attribute. Attribute names are case-insensitive
 * (RFC 7643 2.1), so objects are read through a lower-cased own-key map, never by indexing.
 */
import { lineHasUnsafeChars } from '../../protocol/text.ts';
import { invalidSyntax, invalidValue } from './errors.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Own keys, lower-cased; two keys that differ only in case are ambiguous, so refused. */
export function keyMap(obj: JsonObject, where: string): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const key of Object.keys(obj)) {
    const lower = key.toLowerCase();
    if (out.has(lower)) throw invalidSyntax(`${where}: attribute ${key} given twice`);
    out.set(lower, obj[key]!);
  }
  return out;
}

export function str(v: Json | undefined, name: string, max: number): string {
  if (typeof v !== 'string') throw invalidValue(`${name} must be a string`);
  // One spelling for one text: "é" typed as e + accent is the same person as "é".
  const t = v.normalize('NFC').trim();
  if (t.length === 0) throw invalidValue(`${name} must not be empty`);
  if (t.length > max) throw invalidValue(`${name} is longer than ${max} characters`);
  // Control and invisible format characters (zero-width spaces, right-to-left overrides that
  // make "\u202Eevil" show as "live"): the rule for everything a person types (protocol/text.ts).
  if (lineHasUnsafeChars(t))
    throw invalidValue(`${name} contains control or invisible formatting characters`);
  return t;
}

/** A string, or null for an explicit null or an empty string (both clear an optional attribute). */
export function optStr(v: Json | undefined, name: string, max: number): string | null {
  if (v === null || v === undefined || v === '') return null;
  return str(v, name, max);
}

/**
 * A boolean. Entra ID sends `"False"` and `"True"` as strings in PATCH values (a known quirk
 * of its provisioning), so those are accepted too, in any case; nothing else is.
 */
export function bool(v: Json | undefined, name: string): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
  }
  throw invalidValue(`${name} must be a boolean`);
}

export function arr(v: Json | undefined, name: string, max: number): Json[] {
  if (!Array.isArray(v)) throw invalidValue(`${name} must be an array`);
  if (v.length > max) throw invalidValue(`${name} has more than ${max} entries`);
  return v;
}

export function obj(v: Json | undefined, name: string): JsonObject {
  if (!isObject(v)) throw invalidValue(`${name} must be an object`);
  return v;
}

/** Limits of what is stored. */
export const LIMITS = {
  userName: 256,
  id: 256,
  displayName: 200,
  email: 254,
  text: 200,
  badges: 20,
  emails: 20,
  members: 5000,
  operations: 1000,
} as const;
