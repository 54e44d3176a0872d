/**
 * What a line of text a person types may hold (a name, a tag, a category, a search), and a
 * note: one rule for the API's schemas, the CSV import and SCIM.
 *
 * Never: control characters (C0, DEL, C1: a NUL breaks the full-text search, a line break
 * splits a CSV row or a log line) and invisible format characters (zero-width spaces and
 * joiners, the bidirectional overrides and isolates that make "\u202Egnp.exe" show as
 * "exe.png", the byte order mark, the soft hyphen): they make two names look alike or one
 * read backwards on a kiosk's screen, and nobody types them on purpose. A note may also
 * break lines and hold tabs.
 *
 * The schema patterns name explicit ranges, not \p{Cc}\p{Cf}, so they mean the same with or
 * without a regular expression's `u` flag (Ajv sets it, TypeBox's Value.Check does not); the
 * checks in code (CSV import, SCIM, person edits) also refuse every other format character
 * (\p{Cf}: the invisible "tag" characters beyond the Basic Multilingual Plane and the like),
 * which those patterns cannot name without the flag.
 */

const CONTROL_EXCEPT_LINES = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f';
// Line and paragraph separators break a line as \n does.
const LINE_BREAKS_AND_TAB = '\\u0009\\u000a\\u000d\\u2028\\u2029';
// Hangul fillers and the blank braille cell look like nothing and are not white space: a name
// of "\u3164" alone looks blank, a known trick.
const INVISIBLE =
  '\\u00ad\\u061c\\u115f\\u1160\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\u2800\\u3164\\ufeff\\ufff9-\\ufffb\\uffa0';

/** Characters a line of text may not hold (inside a regular expression's [...]). */
const NOT_IN_A_LINE = `${CONTROL_EXCEPT_LINES}${LINE_BREAKS_AND_TAB}${INVISIBLE}`;
/** Characters a note may not hold. */
const NOT_IN_A_NOTE = `${CONTROL_EXCEPT_LINES}${INVISIBLE}`;

const LINE_UNSAFE = new RegExp(`[${NOT_IN_A_LINE}]|\\p{Cf}`, 'u');

/** True when `s` holds a character no line of text may hold. */
export const lineHasUnsafeChars = (s: string) => LINE_UNSAFE.test(s);

/** Schema pattern: a line (possibly empty) of safe characters. */
export const SAFE_LINE = `^[^${NOT_IN_A_LINE}]*$`;
/**
 * Schema pattern: a line of safe characters with at least one that is not white space
 * (leading white space, then the first visible character: one way to match, no backtracking).
 */
export const SAFE_VISIBLE_LINE = `^[^\\S${NOT_IN_A_LINE}]*[^\\s${NOT_IN_A_LINE}][^${NOT_IN_A_LINE}]*$`;
/** Schema pattern: a line of safe characters that neither starts nor ends with white space. */
export const SAFE_TRIMMED_LINE = `^[^\\s${NOT_IN_A_LINE}]([^${NOT_IN_A_LINE}]*[^\\s${NOT_IN_A_LINE}])?$`;
/** Schema pattern: a note of safe characters with at least one that is not white space. */
export const SAFE_NOTE = `^[^\\S${NOT_IN_A_NOTE}]*[^\\s${NOT_IN_A_NOTE}][^${NOT_IN_A_NOTE}]*$`;
