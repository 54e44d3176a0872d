/**
 * PATCH operations (RFC 7644 3.5.2): the PatchOp envelope and its `path` grammar, as far
 * as provisioning clients use it: `attr`, `attr.sub`, `attr[sub eq "v"]`, `attr[sub eq "v"].sub`,
 * each optionally prefixed by a schema URN (`urn:...:enterprise:2.0:User:department`).
 * Op names compare ignoring case (Entra ID sends "Replace", "Add").
 */
import { ENTERPRISE_SCHEMA, GROUP_SCHEMA, PATCH_SCHEMA, RENTAL_SCHEMA, USER_SCHEMA } from './discovery.ts';
import { invalidPath, invalidSyntax, invalidValue, noTarget } from './errors.ts';
import { LIMITS, arr, isObject, keyMap, type Json } from './values.ts';

export type Op = 'add' | 'replace' | 'remove';
export type Schema = 'core' | 'enterprise' | 'rental';

export type Path = {
  schema: Schema;
  /** Lower-cased attribute name. */
  attr: string;
  /** `[sub eq value]`: the sub-attribute (lower-cased) and the value compared. */
  filter?: { attr: string; value: string | boolean };
  /** Lower-cased sub-attribute after a dot. */
  sub?: string;
};

export type PatchOperation = { op: Op; path: Path | null; value: Json | undefined };

const SCHEMA_OF: [string, Schema][] = [
  [ENTERPRISE_SCHEMA.toLowerCase(), 'enterprise'],
  [RENTAL_SCHEMA.toLowerCase(), 'rental'],
  [USER_SCHEMA.toLowerCase(), 'core'],
  [GROUP_SCHEMA.toLowerCase(), 'core'],
];

/** The schema a URN-qualified key belongs to and the rest after it, or null when it names none of ours. */
export function splitUrn(key: string): { schema: Schema; rest: string } | null {
  const lower = key.toLowerCase();
  for (const [urn, schema] of SCHEMA_OF) {
    if (lower === urn) return { schema, rest: '' };
    if (lower.startsWith(`${urn}:`)) return { schema, rest: key.slice(urn.length + 1) };
  }
  return null;
}

const PATH =
  /^([A-Za-z][\w-]*)(?:\[\s*([A-Za-z][\w-]*)\s+eq\s+("(?:[^"\\]|\\.)*"|true|false)\s*\])?(?:\.([A-Za-z][\w-]*))?$/i;

export function parsePath(raw: Json | undefined): Path | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string' || raw.length > 512) throw invalidPath('path must be a string');
  let schema: Schema = 'core';
  let rest = raw.trim();
  if (/^urn:/i.test(rest)) {
    const split = splitUrn(rest);
    if (!split || split.rest === '') throw invalidPath(`unknown schema in path ${raw}`);
    schema = split.schema;
    rest = split.rest;
  }
  // A dotted name right after a URN (Entra ID: "...:User:manager.value") is read like a core one.
  const m = PATH.exec(rest);
  if (!m) throw invalidPath(`cannot read path ${raw}`);
  const path: Path = { schema, attr: m[1]!.toLowerCase() };
  if (m[2]) {
    let value: unknown;
    try {
      value = JSON.parse(m[3]!);
    } catch {
      throw invalidPath(`cannot read the filter in ${raw}`);
    }
    path.filter = { attr: m[2].toLowerCase(), value: value as string | boolean };
  }
  if (m[4]) path.sub = m[4].toLowerCase();
  return path;
}

/** The PatchOp envelope: its schema, and 1..n operations each checked for shape. */
export function parsePatch(body: Json): PatchOperation[] {
  if (!isObject(body)) throw invalidSyntax('the body must be a PatchOp object');
  const keys = keyMap(body, 'PatchOp');
  const schemas = keys.get('schemas');
  if (
    !Array.isArray(schemas) ||
    !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_SCHEMA.toLowerCase())
  )
    throw invalidSyntax(`schemas must contain ${PATCH_SCHEMA}`);
  const ops = arr(keys.get('operations'), 'Operations', LIMITS.operations);
  if (ops.length === 0) throw invalidValue('Operations is empty');
  return ops.map((raw, i) => {
    if (!isObject(raw)) throw invalidSyntax(`Operations[${i}] must be an object`);
    const k = keyMap(raw, `Operations[${i}]`);
    const op = k.get('op');
    if (typeof op !== 'string' || !['add', 'replace', 'remove'].includes(op.toLowerCase()))
      throw invalidSyntax(`Operations[${i}].op must be add, replace or remove`);
    const path = parsePath(k.get('path'));
    const value = k.get('value');
    const o = op.toLowerCase() as Op;
    if (o === 'remove' && !path) throw noTarget(`Operations[${i}]: remove needs a path`);
    if (o !== 'remove' && value === undefined) throw invalidValue(`Operations[${i}] needs a value`);
    if (o !== 'remove' && !path && !isObject(value))
      throw invalidValue(`Operations[${i}]: without a path the value must be an object`);
    return { op: o, path, value };
  });
}
