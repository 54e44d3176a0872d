/** Building blocks shared by every wire schema. All objects reject unknown fields. */
import { Type, type Static, type TProperties, type ObjectOptions } from '@sinclair/typebox';
import { ALL_ERROR_CODES } from '../errors.ts';
import { KIT_PART_NAME_MAX, KIT_PARTS_MAX } from '../lending.ts';

/** An object schema that rejects unknown fields: a typo in a request is an error, not ignored. */
export const Strict = <T extends TProperties>(properties: T, options: ObjectOptions = {}) =>
  Type.Object(properties, { additionalProperties: false, ...options });

export const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
export const Uuid = Type.String({
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
});
/** UTC ISO-8601 with milliseconds, as produced by Date.prototype.toISOString. */
export const Timestamp = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$',
});
export type Timestamp = Static<typeof Timestamp>;

export const Role = Type.Union([Type.Literal('admin'), Type.Literal('staff'), Type.Literal('member')]);
export type Role = Static<typeof Role>;

export const ErrorCodeSchema = Type.Union(ALL_ERROR_CODES.map((c) => Type.Literal(c)));

export const ErrorBody = Strict({
  statusCode: Type.Integer(),
  code: ErrorCodeSchema,
  message: Type.String(),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** A signed JWT in compact form; the length cap stops oversized tokens before any parsing. */
export const CompactJwt = Type.String({
  pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$',
  maxLength: 4096,
});

/** One named part of a kit (protocol/lending.ts): no blank ends, so "충전기" and "충전기 " are one. */
export const KitPart = Type.String({
  minLength: 1,
  maxLength: KIT_PART_NAME_MAX,
  pattern: '^\\S(.*\\S)?$',
});
/** A kit's parts, in the order the return screen lists them; empty for an item that is no kit. */
export const KitParts = Type.Array(KitPart, { maxItems: KIT_PARTS_MAX, uniqueItems: true });
