/** Kiosks for the dashboard: enrollment state, last sync and the latest heartbeat of each. */
import type { ReaderHealth } from '../../../protocol/index.ts';
import type { AdminStore, HeartbeatRow } from '../admin-store.ts';
import type { SqlRunner } from './sql-db.ts';

type KioskParts = Pick<
  AdminStore,
  'listKiosks' | 'saveHeartbeat' | 'openConflictsOfKiosk' | 'lastSeqOfKiosk'
>;

type Sql = {
  id: string;
  name: string;
  enrolled_at: number | null;
  revoked_at: number | null;
  last_sync_at: number | null;
  received_at: number | null;
  queue_depth: number | null;
  oldest_unsynced_age_s: number | null;
  readers: string | null;
  clock_offset_ms: number | null;
  app_version: string | null;
};

export function adminKiosks(db: SqlRunner): KioskParts {
  return {
    listKiosks: async () =>
      (
        await db.all<Sql>(
          `SELECT k.id, k.name, k.enrolled_at, k.revoked_at,
             (SELECT MAX(t.received_at) FROM transactions t WHERE t.kiosk_id = k.id) AS last_sync_at,
             h.received_at, h.queue_depth, h.oldest_unsynced_age_s, h.readers, h.clock_offset_ms, h.app_version
           FROM kiosks k LEFT JOIN kiosk_heartbeats h ON h.kiosk_id = k.id
           ORDER BY k.revoked_at IS NOT NULL, k.name, k.id`,
        )
      ).map((r) => ({
        id: r.id,
        name: r.name,
        enrolledAt: r.enrolled_at,
        revokedAt: r.revoked_at,
        lastSyncAt: r.last_sync_at,
        heartbeat:
          r.received_at === null
            ? null
            : {
                kioskId: r.id,
                receivedAt: r.received_at,
                queueDepth: r.queue_depth!,
                oldestUnsyncedAgeS: r.oldest_unsynced_age_s,
                readers: JSON.parse(r.readers!) as ReaderHealth[],
                clockOffsetMs: r.clock_offset_ms,
                appVersion: r.app_version!,
              },
      })),

    async openConflictsOfKiosk(kioskId) {
      const row = await db.get<{ n: number | string }>(
        "SELECT COUNT(*) AS n FROM transactions WHERE kiosk_id = ? AND status != 'applied' AND resolved_at IS NULL",
        [kioskId],
      );
      return Number(row?.n ?? 0);
    },
    async lastSeqOfKiosk(kioskId) {
      const row = await db.get<{ s: number | string | null }>(
        'SELECT MAX(seq) AS s FROM transactions WHERE kiosk_id = ?',
        [kioskId],
      );
      return Number(row?.s ?? 0);
    },
    async saveHeartbeat(h: HeartbeatRow) {
      await db.run(
        `INSERT INTO kiosk_heartbeats (kiosk_id, received_at, queue_depth, oldest_unsynced_age_s, readers,
           clock_offset_ms, app_version)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (kiosk_id) DO UPDATE SET received_at = excluded.received_at,
           queue_depth = excluded.queue_depth, oldest_unsynced_age_s = excluded.oldest_unsynced_age_s,
           readers = excluded.readers, clock_offset_ms = excluded.clock_offset_ms,
           app_version = excluded.app_version`,
        [
          h.kioskId,
          h.receivedAt,
          h.queueDepth,
          h.oldestUnsyncedAgeS,
          JSON.stringify(h.readers),
          h.clockOffsetMs,
          h.appVersion,
        ],
      );
    },
  };
}
