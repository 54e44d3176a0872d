/** Reservations in the audit log (src-dashboard/audit-words.ts): who reserved what for whom, in both languages. */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../protocol/index.ts';
import { auditSentence } from '../../src-dashboard/audit-words.ts';

const entry = (e: Partial<AuditEntry>): AuditEntry => ({
  id: '000000000000001:a000000000001',
  at: '2026-12-03T01:00:00.000Z',
  actorKind: 'user',
  actorId: 'usr_1',
  actorName: '이수진',
  via: 'session:ses_1',
  action: 'reservation.create',
  targetKind: 'reservation',
  targetId: 'rsv_1',
  targetName: null,
  targetPerson: null,
  detail: 'CM-001 카메라 · 정하늘 · 2026-12-04T01:00:00.000Z -> 2026-12-05T01:00:00.000Z',
  changes: null,
  tx: null,
  ...e,
});

describe('reservation sentences', () => {
  it('create, cancel and expire name the item (or any one of a category) and the person', () => {
    expect(auditSentence('ko', entry({})).text).toBe(
      '이수진 님이 정하늘 님의 CM-001 카메라 예약을 만들었습니다',
    );
    expect(auditSentence('en', entry({})).text).toBe('이수진 reserved CM-001 카메라 for 정하늘');
    const any = entry({
      action: 'reservation.cancel',
      detail: 'Camera (any) · Ann · 2026-12-04T01:00:00.000Z -> 2026-12-05T01:00:00.000Z',
    });
    expect(auditSentence('ko', any).text).toBe(
      '이수진 님이 Ann 님의 Camera 중 아무거나 1개 예약을 취소했습니다',
    );
    expect(auditSentence('en', any).text).toBe(
      '이수진 cancelled the reservation of Any one Camera item for Ann',
    );
    const expired = entry({ action: 'reservation.expire', actorKind: 'system', actorName: null });
    expect(auditSentence('ko', expired).text).toBe(
      '정하늘 님의 CM-001 카메라 예약이 수령 기한이 지나 만료되었습니다',
    );
  });

  it('a borrow of a reserved item says who took it and whose reservation it was', () => {
    const e = entry({
      action: 'reservation.conflict',
      actorKind: 'system',
      detail: '카메라 · 김민준 · 정하늘 · tx-1 · 2026-12-04T01:00:00.000Z',
    });
    expect(auditSentence('ko', e).text).toBe('정하늘 님이 예약한 카메라를 김민준 님이 빌려 갔습니다');
    expect(auditSentence('en', e).text).toBe('김민준 borrowed 카메라, reserved for 정하늘');
  });
});
