/**
 * The audit log's and conflicts' sentences (src-dashboard/audit-words.ts) and the
 * Korean particles they take (josa.ts): names, not ids or codes; only changed fields.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../protocol/index.ts';
import { ALL_ERROR_CODES } from '../../protocol/errors.ts';
import { auditSentence, conflictSentence } from '../../src-dashboard/audit-words.ts';
import { translate, type Lang } from '../../src-dashboard/i18n.ts';
import { eul, iGa, ro } from '../../src-dashboard/josa.ts';

const entry = (e: Partial<AuditEntry>): AuditEntry => ({
  id: '000000000000001:a000000000001',
  at: '2026-12-03T01:00:00.000Z',
  actorKind: 'user',
  actorId: 'usr_1',
  actorName: '이수진',
  via: 'session:ses_1',
  action: 'person.update',
  targetKind: 'person',
  targetId: 'usr_2',
  targetName: '김민준',
  targetPerson: null,
  detail: null,
  changes: null,
  tx: null,
  ...e,
});

describe('Korean particles', () => {
  it('follow the last sound of the word', () => {
    expect([eul('카메라'), eul('책상'), eul('Sony A7 IV'), eul('노트북 3'), eul('‘홍길동’')]).toEqual([
      '카메라를',
      '책상을',
      'Sony A7 IV를',
      '노트북 3을',
      '‘홍길동’을',
    ]);
    expect([ro('관리자'), ro('회원'), ro('서울'), ro('7일'), ro('2')]).toEqual([
      '관리자로',
      '회원으로',
      '서울로',
      '7일로',
      '2로',
    ]);
    expect([iGa('김민준 님'), iGa('다른 사람'), iGa('키오스크')]).toEqual([
      '김민준 님이',
      '다른 사람이',
      '키오스크가',
    ]);
  });
});

describe('audit sentences', () => {
  it('say an item condition change in words, with the note apart', () => {
    const e = entry({
      action: 'item.condition',
      targetKind: 'item',
      targetId: 'itm_1',
      targetName: '멀티미터',
      detail: 'LB-002 멀티미터: ok -> in_repair: 프로브 선이 갈라짐; 수리 보냄',
      changes: [{ field: 'condition', before: 'ok', after: 'in_repair' }],
    });
    expect(auditSentence('ko', e)).toEqual({
      text: '이수진 님이 물품 멀티미터의 상태를 정상에서 수리 중으로 바꿨습니다',
      changes: [],
      note: '프로브 선이 갈라짐; 수리 보냄',
    });
    expect(auditSentence('en', e).text).toBe('이수진 changed the condition of 멀티미터 from OK to In repair');
    // An entry written before changes were kept still reads, without codes.
    const old = auditSentence('en', { ...e, changes: null });
    expect(old.text).toBe('이수진 changed the condition of 멀티미터');
    expect(old.note).toBe('프로브 선이 갈라짐; 수리 보냄');
  });

  it('say a loan staff set right while settling a conflict as such, not as a kiosk borrow', () => {
    const tx = (kind: 'borrow' | 'return') =>
      entry({
        actorKind: 'kiosk',
        actorId: 'dashboard',
        actorName: null,
        action: `tx.${kind}`,
        targetKind: 'item',
        targetName: 'Sony A7 IV',
        tx: {
          kind,
          status: 'applied',
          code: null,
          userId: 'usr_2',
          userName: '한지민',
          itemName: 'Sony A7 IV',
          kioskName: null,
        },
      });
    expect(auditSentence('ko', tx('borrow')).text).toBe(
      '담당자가 기록을 바로잡았습니다: 한지민 님이 Sony A7 IV를 가지고 있습니다',
    );
    expect(auditSentence('en', tx('return')).text).toBe(
      'Staff set the records right: 한지민 returned Sony A7 IV',
    );
  });

  it('say one changed field before -> after, in each language', () => {
    const e = entry({ changes: [{ field: 'role', before: 'staff', after: 'admin' }] });
    expect(auditSentence('ko', e).text).toBe('이수진 님이 김민준 님의 역할을 담당자에서 관리자로 바꿨습니다');
    expect(auditSentence('en', e).text).toBe("이수진 changed 김민준's role from staff to admin");
    const name = entry({ changes: [{ field: 'displayName', before: '김민준', after: '김민중' }] });
    expect(auditSentence('ko', name).text).toBe(
      '이수진 님이 김민준 님의 이름을 ‘김민준’에서 ‘김민중’으로 바꿨습니다',
    );
  });

  it("name a kit's parts when an item edit changed them", () => {
    const e = entry({
      action: 'item.update',
      targetKind: 'item',
      targetId: 'itm_1',
      targetName: 'Sony A7 IV',
      changes: [{ field: 'parts', before: '본체, 배터리', after: '본체' }],
    });
    expect(auditSentence('ko', e).text).toBe(
      '이수진 님이 물품 Sony A7 IV의 구성품을 ‘본체, 배터리’에서 ‘본체’로 바꿨습니다',
    );
    expect(auditSentence('en', e).text).toBe(
      '이수진 changed the parts of Sony A7 IV from “본체, 배터리” to “본체”',
    );
    const none = entry({ ...e, changes: [{ field: 'parts', before: null, after: '본체' }] });
    expect(auditSentence('en', none).text).toBe('이수진 changed the parts of Sony A7 IV from none to “본체”');
  });

  it('list several changed fields, and only those', () => {
    const s = auditSentence(
      'ko',
      entry({
        changes: [
          { field: 'email', before: null, after: 'mj@example.com' },
          { field: 'active', before: 'true', after: 'false' },
        ],
      }),
    );
    expect(s.text).toBe('이수진 님이 김민준 님의 정보를 바꿨습니다');
    expect(s.changes).toEqual([
      { field: '이메일', before: '없음', after: '‘mj@example.com’' },
      { field: '계정 상태', before: '사용 중', after: '사용 중지' },
    ]);
  });

  it('read old entries without changes, and things since removed', () => {
    expect(auditSentence('ko', entry({ detail: '김민준: role' })).text).toBe(
      '이수진 님이 김민준 님의 정보를 바꿨습니다',
    );
    expect(auditSentence('en', entry({ action: 'item.create', targetName: null })).text).toBe(
      '이수진 added the item something since removed',
    );
    expect(
      auditSentence(
        'ko',
        entry({
          action: 'loan.close',
          targetName: '카메라 A',
          targetPerson: '김민준',
          detail: '카메라 A · 김민준 · 선반에서 찾음',
        }),
      ),
    ).toEqual({
      text: '이수진 님이 김민준 님이 빌린 카메라 A를 반납 처리했습니다',
      changes: [],
      note: '선반에서 찾음',
    });
  });

  it('say kiosk transactions by the person, the kiosk and the item', () => {
    const tx = (t: Partial<NonNullable<AuditEntry['tx']>>) =>
      entry({
        actorKind: 'kiosk',
        actorName: '1층 키오스크',
        action: 'tx.borrow',
        tx: {
          kind: 'borrow',
          status: 'applied',
          code: null,
          userId: 'usr_2',
          userName: '김민준',
          itemName: '카메라 A',
          kioskName: '1층 키오스크',
          ...t,
        },
      });
    expect(auditSentence('ko', tx({})).text).toBe('김민준 님이 1층 키오스크에서 카메라 A를 빌렸습니다');
    expect(auditSentence('ko', tx({ kind: 'return' })).text).toBe(
      '김민준 님이 1층 키오스크에서 카메라 A를 반납했습니다',
    );
    expect(auditSentence('ko', tx({ kind: 'renew' })).text).toBe(
      '김민준 님이 1층 키오스크에서 카메라 A 대여를 연장했습니다',
    );
    expect(
      auditSentence('ko', tx({ kind: 'return', status: 'conflict', code: 'RETURNED_BY_OTHER' })).text,
    ).toBe('김민준 님이 1층 키오스크에서 다른 사람이 빌린 카메라 A를 반납했습니다');
  });
});

describe('conflict sentences', () => {
  it('name the other person when known', () => {
    const c = {
      kind: 'return' as const,
      person: '이서연',
      item: '카메라 A',
      kiosk: '1층 키오스크',
      other: '김민준',
    };
    const t =
      (lang: Lang) => (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
        translate(lang, key, vars);
    expect(conflictSentence(t('ko'), 'ko', { ...c, code: 'RETURNED_BY_OTHER' })).toBe(
      '이서연 님이 1층 키오스크에서 김민준 님이 빌린 카메라 A를 반납했습니다',
    );
    expect(conflictSentence(t('en'), 'en', { ...c, kind: 'borrow', code: 'ITEM_UNAVAILABLE' })).toBe(
      '이서연 borrowed 카메라 A at 1층 키오스크, but the records had it on loan to 김민준',
    );
  });

  it('never show a raw code or a placeholder, whatever the code', () => {
    const t =
      (lang: Lang) => (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
        translate(lang, key, vars);
    for (const lang of ['ko', 'en'] as const)
      for (const code of [...ALL_ERROR_CODES, 'SOMETHING_NEW', null])
        for (const kind of ['borrow', 'return', 'renew'] as const) {
          const text = conflictSentence(t(lang), lang, {
            code,
            kind,
            person: null,
            item: null,
            kiosk: null,
            other: null,
          });
          expect(text, `${lang} ${code}`).not.toMatch(/\{\w+\}/);
          if (code) expect(text, `${lang} ${code}`).not.toContain(code);
        }
  });
});
