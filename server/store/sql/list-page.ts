/**
 * Dashboard lists: a search that matches part of a text in any case, and one page of a list
 * in (sort column, id) order with the count over every page:
 * the one way the store pages a list (items, people). Two strategies give the same pages:
 * - few matches (a search for something rare): one pass over the table finds every one (no
 *   early stop is possible anyway); the page is cut here in the databases' byte order;
 * - many matches: the (column, id) index gives the page in order and stops early; row values
 *   keep the order total, so no row is skipped or repeated between pages.
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
