/**
 * Resource versions (RFC 7644 3.14): a weak ETag of what a client sees, in `meta.version` and
 * the ETag header; a write with `If-Match` naming another version is refused with 412, so a
 * client working from an old copy does not overwrite a newer change.
 */
import { createHash } from 'node:crypto';
import { ScimError } from './errors.ts';
import type { JsonObject } from './values.ts';

/** It changes exactly when the representation (without meta) changes. */
export const versionOf = (r: JsonObject) =>
  `W/"${createHash('sha256')
    .update(JSON.stringify({ ...r, meta: undefined }))
    .digest('base64url')
    .slice(0, 22)}"`;

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/** Throws 412 unless `ifMatch` (absent, `*`, or a list of ETags) names this version. */
export function checkIfMatch(ifMatch: string | undefined, current: JsonObject): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const version = opaque(versionOf(current));
  if (!ifMatch.split(',').some((tag) => opaque(tag) === version))
    throw new ScimError(412, null, 'the resource has changed since that version');
}
