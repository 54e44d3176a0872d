/**
 * Keyset paging for the dashboard's lists: a page's `next` is the last row's sort value and
 * id, opaque to the client (base64url JSON), so a list never skips or repeats a row when
 * rows are added while someone pages, and a tampered cursor is a 400, not a 500.
 */
import { AppError, LIST_PAGE_DEFAULT, LIST_PAGE_MAX } from '../../../protocol/index.ts';

export type Cursor = { value: string; id: string };

export function writeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.value, c.id])).toString('base64url');
}

export function readCursor(text: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string')) {
      return { value: parsed[0] as string, id: parsed[1] as string };
    }
  } catch {
    // falls through to the typed error
  }
  throw new AppError('BAD_REQUEST', 'this page link is not valid; start from the first page');
}

/** The page size asked for, within bounds (the query schema already allows only digits). */
export function pageLimit(text: string | undefined): number {
  const n = text === undefined ? LIST_PAGE_DEFAULT : Number(text);
  return Math.min(LIST_PAGE_MAX, Math.max(1, n));
}
