/**
 * CSV import over HTTP (POST /v1/admin/import/:kind): a dry run writes nothing and types
 * every problem; a real run writes all rows or none and audits each change; 5,000 rows go
 * through; a hostile file (a huge cell, formula cells, control characters) is refused or
 * stored as the text it is and exported with the formula guard.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../protocol/csv-import.ts';
import { issueSentence } from '../../../protocol/csv-import.ts';
import { bearer, startFixture, type Fixture } from './fixture.ts';

describe('CSV import over HTTP', () => {
  let f: Fixture;
  let admin: string;
  beforeEach(async () => {
    f = await startFixture();
    admin = await f.login('admin');
  });
  afterEach(() => f.close());

  const post = (kind: string, csv: string, dryRun: boolean, token = admin) =>
    f.app.inject({
      method: 'POST',
      url: `/v1/admin/import/${kind}`,
      headers: bearer(token),
      payload: { csv, dryRun },
    });
  const run = async (kind: 'people' | 'items', csv: string, dryRun: boolean) => {
    const res = await post(kind, csv, dryRun);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ImportReport;
  };
  const audit = async () =>
    (
      (await f.app.inject({ method: 'GET', url: '/v1/admin/audit', headers: bearer(admin) })).json() as {
        entries: { action: string; detail: string | null }[];
      }
    ).entries;

  it('a dry run of people reports every row with typed issues and writes nothing; the real run writes and audits', async () => {
    const csv = [
      '이름,이메일,역할,부서,사번,사원증/카드 번호',
      '이서연,seoyeon@example.com,회원,연구개발팀,E-100,1000234',
      '김민준 (이미 있음),member@example.com,담당자,영업팀,,',
      '박지훈,staff@example.com,staff,,,',
      '최유나,yuna@example.com,관리자,,,nfc:04-A1-B2-C3',
    ].join('\r\n');
    const dry = await run('people', csv, true);
    expect(dry).toMatchObject({ dryRun: true, applied: false, fileIssues: [], ignoredColumns: [] });
    expect(dry.rows.map((r) => [r.row, r.outcome])).toEqual([
      [2, 'create'],
      [3, 'update'],
      [4, 'unchanged'],
      [5, 'create'],
    ]);
    expect(dry.rows[1]!.changes).toEqual([
      { column: 'name', before: '김민준', after: '김민준 (이미 있음)' },
      { column: 'role', before: 'member', after: 'staff' },
      { column: 'department', before: null, after: '영업팀' },
    ]);
    expect(dry.rows[0]!.changes.find((c) => c.column === 'badges')).toEqual({
      column: 'badges',
      before: null,
      after: 'kbd:…34',
    });
    expect(dry.counts).toEqual({ create: 2, update: 1, unchanged: 1, error: 0 });
    expect(await f.deps.store.findUserByEmail('seoyeon@example.com')).toBeNull();
    expect((await audit()).some((e) => e.action.startsWith('person.'))).toBe(false);

    const real = await run('people', csv, false);
    expect(real).toMatchObject({ applied: true, counts: { create: 2, update: 1, unchanged: 1, error: 0 } });
    const seoyeon = (await f.deps.store.findUserByEmail('seoyeon@example.com'))!;
    expect(await f.deps.store.findPerson(seoyeon.id)).toMatchObject({
      displayName: '이서연',
      role: 'member',
      department: '연구개발팀',
      employeeNumber: 'E-100',
      badges: 1,
    });
    // Stored only as the keyed hash of the normalised credential, as a kiosk would read it.
    expect((await f.deps.store.findUserByBadgeHash(f.deps.hashBadge('kbd:1000234')))?.id).toBe(seoyeon.id);
    expect((await f.deps.store.findUserByBadgeHash(f.deps.hashBadge('nfc:04a1b2c3')))?.email).toBe(
      'yuna@example.com',
    );
    expect(await f.deps.store.findUserById(f.users.member.id)).toMatchObject({
      displayName: '김민준 (이미 있음)',
      role: 'staff',
    });
    const log = await audit();
    expect(log.filter((e) => e.action === 'person.create')).toHaveLength(2);
    expect(log.find((e) => e.action === 'person.update')?.detail).toContain('role member → staff');
    expect(JSON.stringify(log)).not.toContain('1000234');

    // Once more: nothing to do.
    expect((await run('people', csv, true)).counts).toEqual({ create: 0, update: 0, unchanged: 4, error: 0 });
  });

  it('errors are typed (row, column, rule, value) and read as sentences; with one bad row nothing is written', async () => {
    const csv = [
      'tag,name,category,loanDays,restrictedTo,retired,holder',
      'CM-1,Camera,Cameras,abc,,,',
      'CM-2,,Cameras,7,wizard,maybe,',
      'CM-3,Tripod,Cameras,400,,,',
      'CM-3,Tripod again,Cameras,3,,,',
      'CM-4,Good,Cameras,3,,,',
    ].join('\n');
    const report = await run('items', csv, false);
    expect(report.applied).toBe(false);
    expect(report.ignoredColumns).toEqual(['holder']);
    expect(report.rows.flatMap((r) => r.issues)).toEqual([
      { row: 2, column: 'loanDays', rule: 'integerRange', value: 'abc', min: 1, max: 365 },
      { row: 3, column: 'name', rule: 'required', value: null },
      { row: 3, column: 'restrictedTo', rule: 'roleOrEmpty', value: 'wizard' },
      { row: 3, column: 'retired', rule: 'yesNo', value: 'maybe' },
      { row: 4, column: 'loanDays', rule: 'integerRange', value: '400', min: 1, max: 365 },
      { row: 5, column: 'tag', rule: 'duplicateInFile', value: 'CM-3', otherRow: 4 },
    ]);
    expect(issueSentence('ko', 'items', report.rows[0]!.issues[0]!)).toBe(
      "2행 대여 기간: 1–365 사이의 정수여야 합니다 (입력: 'abc')",
    );
    expect(issueSentence('en', 'items', report.rows[3]!.issues[0]!)).toBe(
      "Row 5, Tag: repeats row 4 (given: 'CM-3')",
    );
    expect(report.rows[4]!.outcome).toBe('create');
    expect(await f.deps.store.findItemByTag('CM-4')).toBeNull();

    // Refused as a whole request: not a kind, not a flag, a member.
    expect((await post('loans', csv, true)).statusCode).toBe(400);
    expect(
      (
        await f.app.inject({
          method: 'POST',
          url: '/v1/admin/import/items',
          headers: bearer(admin),
          payload: { csv },
        })
      ).json(),
    ).toMatchObject({ code: 'BAD_REQUEST' });
    expect((await post('items', csv, true, await f.login('staff'))).statusCode).toBe(403);
  });

  it("a kit's parts in one cell (a; b; c): a dry run shows them, the import keeps them, the export gives them back", async () => {
    const csv = [
      '태그,물품명,분류,대여 기간,구성품',
      'KIT-9,Sony FX3 키트,카메라,3, 본체 ; 배터리 1;배터리 2 ;;충전기 ',
      'LB-9,멀티미터,실험 장비,2,',
    ].join('\r\n');
    const dry = await run('items', csv, true);
    expect(dry.rows.map((r) => [r.row, r.outcome])).toEqual([
      [2, 'create'],
      [3, 'create'],
    ]);
    expect(dry.rows[0]!.changes).toContainEqual({
      column: 'parts',
      before: null,
      after: '본체, 배터리 1, 배터리 2, 충전기',
    });
    expect(await f.deps.store.findItemByTag('KIT-9')).toBeNull();
    await run('items', csv, false);
    expect((await f.deps.store.findItemByTag('KIT-9'))!.parts).toEqual([
      '본체',
      '배터리 1',
      '배터리 2',
      '충전기',
    ]);
    expect((await f.deps.store.findItemByTag('LB-9'))!.parts).toEqual([]);

    // An update names the parts before and after; an empty cell makes it no kit.
    const update = await run(
      'items',
      ['tag,name,category,loanDays,parts', 'KIT-9,Sony FX3 키트,카메라,3,본체;충전기'].join('\n'),
      false,
    );
    expect(update.rows[0]!.changes).toEqual([
      { column: 'parts', before: '본체, 배터리 1, 배터리 2, 충전기', after: '본체, 충전기' },
    ]);
    const exported = await f.app.inject({
      method: 'GET',
      url: '/v1/admin/items.csv',
      headers: bearer(admin),
    });
    expect(exported.body.split('\r\n').find((l) => l.startsWith('KIT-9'))).toMatch(/,no,본체; 충전기,/);

    // Too many parts, or one too long: a typed issue in words, and nothing written.
    const bad = await run(
      'items',
      [
        'tag,name,category,loanDays,parts',
        `KIT-9,Sony FX3 키트,카메라,3,${Array.from({ length: 21 }, (_, n) => `배터리 ${n + 1}`).join(';')}`,
        `KIT-10,드론 키트,드론,3,본체;${'프로펠러'.repeat(20)}`,
      ].join('\n'),
      false,
    );
    expect(bad.applied).toBe(false);
    expect(bad.rows.map((r) => r.issues.map((i) => [i.column, i.rule, i.max]))).toEqual([
      [['parts', 'tooManyParts', 20]],
      [['parts', 'tooLong', 60]],
    ]);
    expect(issueSentence('ko', 'items', bad.rows[0]!.issues[0]!)).toMatch(/^2행 구성품: 구성품은 20개까지/);
    expect((await f.deps.store.findItemByTag('KIT-9'))!.parts).toEqual(['본체', '충전기']);
    expect(await f.deps.store.findItemByTag('KIT-10')).toBeNull();
  });

  it('a file that is not CSV, or lacks a column, is a file issue, not a 500', async () => {
    const broken = await run('items', 'tag,name,category,loanDays\nX-1,"Laptop,c,2\n', true);
    expect(broken.fileIssues).toEqual([{ row: 2, column: null, rule: 'syntax', value: null }]);
    const missing = await run('people', 'name,role\n김민준,member\n', true);
    expect(missing.fileIssues).toEqual([{ row: 1, column: 'email', rule: 'missingColumn', value: null }]);
    expect(issueSentence('ko', 'people', missing.fileIssues[0]!)).toBe(
      '1행 이메일: 필요한 열이 파일에 없습니다',
    );
  });

  it('5,000 rows: a dry run and the import in one transaction', async () => {
    const lines = ['tag,name,category,loanDays'];
    for (let i = 0; i < 5000; i++)
      lines.push(`BULK-${String(i).padStart(5, '0')},노트북 ${i},노트북,${(i % 30) + 1}`);
    const csv = lines.join('\r\n');
    const t0 = performance.now();
    const dry = await run('items', csv, true);
    const dryMs = performance.now() - t0;
    expect(dry.counts).toEqual({ create: 5000, update: 0, unchanged: 0, error: 0 });
    const real = await run('items', csv, false);
    expect(real.applied).toBe(true);
    expect(await f.deps.store.findItemByTag('BULK-04999')).toMatchObject({
      name: '노트북 4999',
      loanDays: 20,
    });
    expect((await audit()).find((e) => e.action === 'item.import')?.detail).toBe(
      'CSV: 5000 created, 0 updated, 0 unchanged',
    );
    expect(dryMs).toBeLessThan(20_000);
  }, 120_000);

  it('a hostile file: a huge cell is refused by rule; formula cells are stored as text and exported guarded', async () => {
    const huge = 'A'.repeat(1_000_000);
    const hostile = [
      'tag,name,category,loanDays',
      `BIG-1,${huge},x,1`,
      "CMD-1,=cmd|' /C calc'!A0,+SUM(A1),3",
      'CMD-2,@HYPERLINK("http://evil"),-2+3,3',
      'RTL-1,\u202Eevil,x,3',
    ].join('\n');
    const dry = await run('items', hostile, true);
    expect(dry.rows[0]!.issues).toEqual([
      { row: 2, column: 'name', rule: 'tooLong', value: `${'A'.repeat(40)}…`, max: 200 },
    ]);
    expect(dry.rows[3]!.issues[0]).toMatchObject({ column: 'name', rule: 'controlChars' });
    const safe = hostile
      .split('\n')
      .filter((l) => !/^(BIG|RTL)/.test(l))
      .join('\n');
    expect((await run('items', safe, false)).applied).toBe(true);
    expect(await f.deps.store.findItemByTag('CMD-1')).toMatchObject({
      name: "=cmd|' /C calc'!A0",
      category: '+SUM(A1)',
    });
    const exported = await f.app.inject({
      method: 'GET',
      url: '/v1/admin/items.csv',
      headers: bearer(admin),
    });
    expect(exported.body).toContain(`CMD-1,'=cmd|' /C calc'!A0,'+SUM(A1),3`);
    expect(exported.body).toContain(`CMD-2,"'@HYPERLINK(""http://evil"")",'-2+3,3`);
    // The export reads back as the same items: nothing changes.
    expect((await run('items', exported.body, true)).counts).toMatchObject({
      create: 0,
      update: 0,
      error: 0,
    });

    // Over the size limit: a typed 4xx, nothing written.
    const tooBig = await post('items', `tag,name,category,loanDays\n${'x'.repeat(4_100_000)}`, true);
    expect(tooBig.statusCode).toBeGreaterThanOrEqual(400);
    expect(tooBig.statusCode).toBeLessThan(500);
    expect(tooBig.json()).toHaveProperty('code');
  });
});
