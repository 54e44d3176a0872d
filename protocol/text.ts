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
 * Written as explicit ranges, not \p{Cc}\p{Cf}, so a schema pattern means the same with or
 * without a regular expression's `u` flag (Ajv sets it, TypeBox's Value.Check does not).
 */

const CONTROL_EXCEPT_LINES = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f';
const LINE_BREAKS_AND_TAB = '\\u0009\\u000a\\u000d';
const INVISIBLE =
  '\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb';

/** Characters a line of text may not hold (inside a regular expression's [...]). */
export const NOT_IN_A_LINE = `${CONTROL_EXCEPT_LINES}${LINE_BREAKS_AND_TAB}${INVISIBLE}`;
/** Characters a note may not hold. */
export const NOT_IN_A_NOTE = `${CONTROL_EXCEPT_LINES}${INVISIBLE}`;

const LINE_UNSAFE = new RegExp(`[${NOT_IN_A_LINE}]`);
const NOTE_UNSAFE = new RegExp(`[${NOT_IN_A_NOTE}]`);

/** True when `s` holds a character no line of text may hold. */
export const lineHasUnsafeChars = (s: string) => LINE_UNSAFE.test(s);
/** True when `s` holds a character no note may hold. */
export const noteHasUnsafeChars = (s: string) => NOTE_UNSAFE.test(s);

/** Schema pattern: a line (possibly empty) of safe characters. */
export const SAFE_LINE = `^[^${NOT_IN_A_LINE}]*$`;
/** Schema pattern: a line of safe characters with at least one that is not white space. */
export const SAFE_VISIBLE_LINE = `^[^${NOT_IN_A_LINE}]*[^\\s${NOT_IN_A_LINE}][^${NOT_IN_A_LINE}]*$`;
/** Schema pattern: a line of safe characters that neither starts nor ends with white space. */
export const SAFE_TRIMMED_LINE = `^[^\\s${NOT_IN_A_LINE}]([^${NOT_IN_A_LINE}]*[^\\s${NOT_IN_A_LINE}])?$`;
/** Schema pattern: a note of safe characters with at least one that is not white space. */
export const SAFE_NOTE = `^[^${NOT_IN_A_NOTE}]*[^\\s${NOT_IN_A_NOTE}][^${NOT_IN_A_NOTE}]*$`;
