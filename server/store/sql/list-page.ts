/**
 * Dashboard lists: a search that matches part of a text in any case, and one page of a list
 * in (sort column, id) order with the count over every page:
 * the one way the store pages a list (items, people). Two strategies give the same pages:
 * - few matches (a search for something rare): one pass over the table finds every one (no
 *   early stop is possible anyway); the page is cut here in the databases' byte order;
 * - many matches: the (column, id) index gives the page in order and stops early; row values
 *   keep the order total, so no row is skipped or repeated between pages.
 * A search another index answers (the items search, item-search.ts) counts first, then reads
 * the page by whichever reads fewer rows: sorting every match, or walking the sort index and
 * testing each row (dense matches fill a page within a few rows).
 */
import type { Dialect, SqlRunner, SqlValue } from './sql-db.ts';

/** Up to this many matches, a list query reads them all in one pass. */
export const FEW = 200;

export type Keyset = { value: string; id: string };

export type KeysetQuery = {
  /** `SELECT … FROM <table> <alias> …joins` without WHERE: the rows the page shows. */
  select: string;
  /** The table and its alias the filter is written on, e.g. 'items i'. */
  from: string;
  alias: string;
  /** Conditions on the table alone (no join), so the count reads no more than it must. */
  where: string[];
  args: SqlValue[];
  /** The sort column, e.g. 'i.tag'. */
  column: string;
  after: Keyset | null | undefined;
  limit: number;
  /**
   * Set when `where` holds a condition an index of its own answers: `walk` is the same
   * conditions written to be tested row by row, `size` an SQL estimate of the table's rows.
   */
  indexed?: { walk: string[]; size: string };
};

/** `column LIKE ?` in any case, for a value made by `containsPattern`. */
export const likeAnyCase = (dialect: Dialect) => `${dialect.likeAnyCase} ? ESCAPE '\\'`;

/** A pattern matching text that contains `q`; `%`, `_` and the escape itself match literally. */
export const containsPattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The databases' text order (SQLite's BINARY, PostgreSQL's "C"): by UTF-8 bytes. */
export const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

export async function keysetPage<R extends { id: string }>(
  db: SqlRunner,
  q: KeysetQuery,
  sortValue: (row: R) => string,
): Promise<{ rows: R[]; total: number; next: Keyset | null }> {
  const cond = q.where.length ? q.where.join(' AND ') : '1 = 1';
  const id = `${q.alias}.id`;
  const page = (rows: R[], total: number) => {
    const shown = rows.slice(0, q.limit);
    const last = shown[shown.length - 1];
    const next = rows.length > q.limit && last ? { value: sortValue(last), id: last.id } : null;
    return { rows: shown, total, next };
  };

  if (q.indexed) return indexedPage(db, q, q.indexed, page);

  const keys = await db.all<{ id: string; v: string }>(
    `SELECT ${id} AS "id", ${q.column} AS "v" FROM ${q.from} WHERE ${cond} LIMIT ${FEW + 1}`,
    q.args,
  );
  if (keys.length <= FEW) {
    keys.sort((x, y) => byteOrder(x.v, y.v) || byteOrder(x.id, y.id));
    const after = q.after;
    const start = after
      ? keys.findIndex(
          (k) => byteOrder(k.v, after.value) > 0 || (k.v === after.value && byteOrder(k.id, after.id) > 0),
        )
      : 0;
    const ids = start < 0 ? [] : keys.slice(start, start + q.limit + 1).map((k) => k.id);
    if (ids.length === 0) return { rows: [], total: keys.length, next: null };
    const rows = await db.all<R>(`${q.select} WHERE ${id} IN (${ids.map(() => '?').join(', ')})`, ids);
    const order = new Map(ids.map((k, n) => [k, n]));
    rows.sort((x, y) => order.get(x.id)! - order.get(y.id)!);
    return page(rows, keys.length);
  }
  const rows = await db.all<R>(
    `${q.select} WHERE ${cond}${q.after ? ` AND (${q.column}, ${id}) > (?, ?)` : ''} ORDER BY ${q.column}, ${id} LIMIT ?`,
    [...q.args, ...(q.after ? [q.after.value, q.after.id] : []), q.limit + 1],
  );
  const counted = await db.get<{ n: number | string }>(
    `SELECT count(*) AS n FROM ${q.from} WHERE ${cond}`,
    q.args,
  );
  return page(rows, Number(counted?.n ?? 0));
}

/**
 * Count the matches (from the search's index), then read the page: walking the sort index
 * reads about limit * size / total rows, sorting the matches reads total; the cheaper wins.
 */
async function indexedPage<R extends { id: string }, P>(
  db: SqlRunner,
  q: KeysetQuery,
  indexed: { walk: string[]; size: string },
  page: (rows: R[], total: number) => P,
): Promise<P> {
  const counted = await db.get<{ n: number | string; size: number | string | null }>(
    `SELECT count(*) AS n, ${indexed.size} AS size FROM ${q.from} WHERE ${q.where.join(' AND ')}`,
    q.args,
  );
  const total = Number(counted?.n ?? 0);
  if (total === 0) return page([], 0);
  const walk = total * total > (q.limit + 1) * Number(counted?.size ?? 0);
  const id = `${q.alias}.id`;
  // `+` keeps each path to its plan: the sort path may not walk the sort index for the
  // keyset condition or the order, the walk path tests the search row by row.
  const cond = walk ? indexed.walk : q.where;
  const [col, key] = walk ? [q.column, id] : [`+${q.column}`, `+${id}`];
  const rows = await db.all<R>(
    `${q.select} WHERE ${cond.join(' AND ')}${q.after ? ` AND (${col}, ${key}) > (?, ?)` : ''} ORDER BY ${col}, ${key} LIMIT ?`,
    [...q.args, ...(q.after ? [q.after.value, q.after.id] : []), q.limit + 1],
  );
  return page(rows, total);
}
