/**
 * Unknown badges (tapped at a kiosk, belonging to nobody) as a list the dashboard pages and
 * filters: newest tap first, by kiosk and time, with the count over every page. A badge
 * enrolled since (e.g. at a kiosk in service mode) is no longer unknown and is left out.
 */
import type { AdminStore, UnknownTapRow } from '../admin-store.ts';
import type { SqlRunner, SqlValue } from './sql-db.ts';

type Parts = Pick<AdminStore, 'unknownTapsPage'>;

export function unknownTapsStore(db: SqlRunner): Parts {
  return {
    async unknownTapsPage(f) {
      const where = ['t.credential_hash NOT IN (SELECT credential_hash FROM badges)'];
      const args: SqlValue[] = [];
      if (f.kioskId !== undefined) {
        where.push('t.kiosk_id = ?');
        args.push(f.kioskId);
      }
      if (f.from !== undefined) {
        where.push('t.last_at >= ?');
        args.push(f.from);
      }
      if (f.to !== undefined) {
        where.push('t.last_at < ?');
        args.push(f.to);
      }
      const cond = where.join(' AND ');
      const rows = await db.all<UnknownTapRow>(
        `SELECT t.id, t.hint, t.kiosk_id AS "kioskId", k.name AS "kioskName", t.last_at AS at, t.count
         FROM unknown_badge_taps t LEFT JOIN kiosks k ON k.id = t.kiosk_id
         WHERE ${cond}${f.after ? ' AND (t.last_at, t.id) < (?, ?)' : ''}
         ORDER BY t.last_at DESC, t.id DESC LIMIT ?`,
        [...args, ...(f.after ? [f.after.at, f.after.id] : []), f.limit + 1],
      );
      const counted = await db.get<{ n: number | string }>(
        `SELECT count(*) AS n FROM unknown_badge_taps t WHERE ${cond}`,
        args,
      );
      const shown = rows.slice(0, f.limit).map((r) => ({ ...r, at: Number(r.at), count: Number(r.count) }));
      const last = shown[shown.length - 1];
      return {
        rows: shown,
        total: Number(counted?.n ?? 0),
        next: rows.length > f.limit && last ? { at: last.at, id: last.id } : null,
      };
    },
  };
}
