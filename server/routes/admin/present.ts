/** Store rows -> admin wire shapes (protocol/wire/admin.ts). Times leave as ISO strings. */
import {
  HEARTBEAT_INTERVAL_S,
  toIso,
  type AdminConflict,
  type AdminItem,
  type AdminKiosk,
  type AdminLoan,
  type AdminPerson,
  type ItemConditionEntry,
  type TxEvidence,
} from '../../../protocol/index.ts';
import type { ItemConditionChange } from '../../store/store.ts';
import type {
  AdminLoanRow,
  ConflictRow,
  ItemWithHolder,
  KioskRow,
  PersonRow,
  TxRow,
} from '../../store/admin-store.ts';

const iso = (ms: number | null) => (ms === null ? null : toIso(ms));

/** A kiosk is offline after three missed heartbeats (and no sync meanwhile). */
export const ONLINE_WINDOW_MS = 3 * HEARTBEAT_INTERVAL_S * 1000;

/** A transaction that reached the server this long after it happened was recorded offline. */
export const OFFLINE_DELAY_MS = 2 * 60 * 1000;

export const presentLoan = (l: AdminLoanRow, now: number): AdminLoan => ({
  id: l.id,
  itemId: l.itemId,
  itemName: l.itemName,
  itemTag: l.itemTag,
  userId: l.userId,
  userName: l.userName,
  kioskId: l.kioskId,
  kioskName: l.kioskName,
  borrowedAt: toIso(l.borrowedAt),
  dueAt: toIso(l.dueAt),
  returnedAt: iso(l.returnedAt),
  overdue: l.returnedAt === null && l.dueAt < now,
  returnNote: l.returnNote,
  returnReport: l.returnReport,
  returnMissingParts: l.returnMissingParts,
});

export const presentItem = (i: ItemWithHolder): AdminItem => ({
  id: i.id,
  tag: i.tag,
  name: i.name,
  category: i.category,
  loanDays: i.loanDays,
  restrictedTo: i.restrictedTo,
  lockerSlot: i.lockerSlot,
  retired: i.retired,
  holder: i.holder && {
    loanId: i.holder.loanId,
    userId: i.holder.userId,
    userName: i.holder.userName,
    since: toIso(i.holder.since),
    dueAt: toIso(i.holder.dueAt),
  },
  condition: i.condition,
  conditionReport: i.conditionReport,
  conditionNote: i.conditionNote,
  conditionAt: iso(i.conditionAt),
  serial: i.serial,
  notes: i.notes,
  photo: i.photo === null ? null : itemPhotoPath(i.photo),
  parts: i.parts,
  missingParts: i.missingParts,
});

/** Where an item's photo is served: by its hash, so the URL is new whenever the photo is. */
export const itemPhotoPath = (hash: string, size: 'image' | 'thumb' = 'image') =>
  `/v1/item-photos/${hash}${size === 'thumb' ? '/thumb' : ''}`;

export const presentCondition = (c: ItemConditionChange): ItemConditionEntry => ({
  at: toIso(c.at),
  condition: c.condition,
  report: c.report,
  note: c.note,
  missingParts: c.missingParts,
  by: c.by,
});

export const presentPerson = (p: PersonRow): AdminPerson => ({
  id: p.id,
  displayName: p.displayName,
  email: p.email,
  role: p.role,
  active: p.active,
  badges: p.badges,
  openLoans: p.openLoans,
  employeeNumber: p.employeeNumber,
  department: p.department,
});

export function presentKiosk(k: KioskRow, now: number): AdminKiosk {
  const lastSeen = Math.max(k.heartbeat?.receivedAt ?? -Infinity, k.lastSyncAt ?? -Infinity);
  const lastSeenAt = Number.isFinite(lastSeen) ? lastSeen : null;
  const state =
    k.revokedAt !== null
      ? 'revoked'
      : k.enrolledAt === null
        ? 'pending'
        : lastSeenAt !== null && now - lastSeenAt <= ONLINE_WINDOW_MS
          ? 'online'
          : 'offline';
  const h = k.heartbeat;
  return {
    id: k.id,
    name: k.name,
    state,
    enrolledAt: iso(k.enrolledAt),
    revokedAt: iso(k.revokedAt),
    lastSeenAt: iso(lastSeenAt),
    health: h && {
      receivedAt: toIso(h.receivedAt),
      queueDepth: h.queueDepth,
      oldestUnsyncedAgeS: h.oldestUnsyncedAgeS,
      readers: h.readers,
      clockOffsetMs: h.clockOffsetMs,
      appVersion: h.appVersion,
    },
  };
}

export const presentTx = (t: TxRow): TxEvidence => ({
  id: t.id,
  kind: t.kind,
  status: t.status,
  code: t.code,
  itemId: t.itemId,
  itemName: t.itemName,
  userId: t.userId,
  userName: t.userName,
  kioskId: t.kioskId,
  kioskName: t.kioskName,
  occurredAt: toIso(t.occurredAt),
  receivedAt: toIso(t.receivedAt),
  clockTrusted: t.clockTrusted,
  offline: t.receivedAt - t.occurredAt > OFFLINE_DELAY_MS,
  note: t.note,
  report: t.report,
  missingParts: t.missingParts,
});

export const presentConflict = (
  c: ConflictRow,
  holder: { userId: string; userName: string; since: number } | null,
): AdminConflict => ({
  id: c.id,
  status: c.status === 'applied' ? 'conflict' : c.status,
  code: c.code,
  itemId: c.itemId,
  itemName: c.itemName,
  tx: presentTx(c),
  other: c.other && presentTx(c.other),
  resolvedAt: iso(c.resolvedAt),
  resolvedBy: c.resolvedBy,
  resolution: c.resolution,
  holder: holder && { ...holder, since: toIso(holder.since) },
});
