/**
 * The items search (part of a tag, name, category, serial number or the holder's name, any
 * case, Korean or Latin) as a condition on `items i`. On SQLite it reads the trigram indexes
 * of migration 23 (items_search, users_search, kept by triggers) instead of every item; on
 * PostgreSQL it is ILIKE, which the pg_trgm indexes of migration 18 serve. Both find exactly
 * what `LIKE '%q%'` in any case finds: SQLite's index holds lower() of each value (ASCII only,
 * as SQLite's LIKE folds) and the search is lower-cased as containsPattern does.
 */
import { containsPattern, likeAnyCase } from './list-page.ts';
import type { SqlRunner, SqlValue } from './sql-db.ts';

export type ItemSearch = {
  /** The condition, written so the database may answer it from its indexes. */
  where: string;
  /**
   * The same condition tested row by row (`+` keeps the planner off the indexes), for when
   * the sort column's index is walked instead; null where there is no such choice.
   */
  walk: string | null;
  args: SqlValue[];
};

/** What the index appends to each value (migration 23); a search holding it is not indexed. */
const PAD = '\u0001';
/** Above every character: `term < prefix + TOP` bounds the terms that begin with prefix. */
const TOP = '\u{10FFFF}';
/** A search of one or two characters beginning more trigrams than this reads the table. */
const MAX_TERMS = 200;

/** An FTS5 string: `text` as a phrase of trigrams in a row, that is, as a substring. */
const quoted = (text: string) => `"${text.replace(/"/g, '""')}"`;

type Table = 'items_search' | 'users_search';

/**
 * The FTS5 query for values of `table` that contain `needle`: for three characters or more,
 * the phrase of its trigrams; for one or two, any trigram that begins with it (each character
 * of a value begins one, thanks to the padding), or null when there are too many to ask for.
 */
async function ftsQuery(db: SqlRunner, table: Table, needle: string): Promise<string | null> {
  if ([...needle].length >= 3) return quoted(needle);
  const terms = await db.all<{ term: string }>(
    `SELECT term FROM ${table}_terms WHERE term >= ? AND term < ? LIMIT ${MAX_TERMS + 1}`,
    [needle, needle + TOP],
  );
  if (terms.length > MAX_TERMS) return null;
  // No trigram begins with it: nothing matches, which FTS5 says with an impossible phrase.
  return terms.length ? terms.map((t) => quoted(t.term)).join(' OR ') : quoted(PAD.repeat(3));
}

export async function itemSearch(db: SqlRunner, q: string): Promise<ItemSearch> {
  const needle = q.toLowerCase();
  if (db.dialect.name === 'sqlite' && !needle.includes(PAD)) {
    const [items, people] = await Promise.all([
      ftsQuery(db, 'items_search', needle),
      ftsQuery(db, 'users_search', needle),
    ]);
    if (items !== null && people !== null) {
      // The holder: the people who match first (few), then their open loans (loans_user_open).
      const cond = (p: string) =>
        `(${p}i.rowid IN (SELECT rowid FROM items_search WHERE items_search MATCH ?) OR ${p}i.id IN (
          SELECT l.item_id FROM users u CROSS JOIN loans l ON l.user_id = u.id
          WHERE u.rowid IN (SELECT rowid FROM users_search WHERE users_search MATCH ?) AND l.returned_at IS NULL))`;
      return { where: cond(''), walk: cond('+'), args: [items, people] };
    }
  }
  const like = likeAnyCase(db.dialect);
  return {
    where: `(i.tag ${like} OR i.name ${like} OR i.category ${like} OR i.serial ${like} OR i.id IN (
        SELECT hl.item_id FROM loans hl JOIN users hu ON hu.id = hl.user_id
        WHERE hl.returned_at IS NULL AND hu.display_name ${like}))`,
    walk: null,
    args: Array<string>(5).fill(containsPattern(q)),
  };
}
