/**
 * The CSV import service on both stores (SQLite and PostgreSQL): a dry run writes nothing;
 * a real run with one bad row writes nothing (one transaction); a clean run creates and
 * updates people with badges (keyed hashes only) and items, audits each change with the
 * actor, and a second run finds everything unchanged; a badge of someone else and a
 * directory (SCIM) person are refused by rule; an item on loan is not retired by a file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { badgeHasher, badgeSecretSealer } from '../../../server/auth/badge-hash.ts';
import { importCsv, type ImportDeps } from '../../../server/import/csv-import.ts';
import type { AuditActor } from '../../../server/store/admin-store.ts';
import { openPostgresStore } from '../../../server/store/postgres/open-postgres-store.ts';
import { openSqliteStore } from '../../../server/store/sqlite/open-sqlite-store.ts';
import type { Store } from '../../../server/store/store.ts';
import { postgresSkipReason, startPostgres, type PgCluster } from '../../support/postgres.ts';
import { T0, kiosk, row, sync } from '../store/contract/fixtures.ts';

const ACTOR: AuditActor = { kind: 'user', id: 'usr_admin', name: '관리자', via: 'session:ses_1' };

function suite(open: () => Promise<Store>) {
  let store: Store;
  let deps: ImportDeps;
  beforeEach(async () => {
    store = await open();
    deps = {
      store,
      hashBadge: badgeHasher(randomBytes(32)),
      rosterHash: badgeSecretSealer(randomBytes(32)),
      clock: { now: () => T0 },
    };
  });
  afterEach(() => store.close());

  const people = (csv: string, dryRun: boolean, skipBad = false) =>
    importCsv(deps, 'people', csv, { dryRun, actor: ACTOR, skipBad });
  const items = (csv: string, dryRun: boolean) => importCsv(deps, 'items', csv, { dryRun, actor: ACTOR });

  it('people: dry run writes nothing; one bad row writes nothing; then all rows, audited; again unchanged', async () => {
    const minjun = await store.createUser({
      email: 'minjun@example.com',
      displayName: '김민준',
      role: 'member',
      active: true,
      passwordHash: null,
    });
    const good = [
      'name,email,role,department,employeeNumber,badges',
      '이서연,seoyeon@example.com,staff,연구개발팀,E-1,1000234; 04:A1:B2:C3',
      '김민준,minjun@example.com,member,영업팀,E-2,',
      'No Email,,member,,E-3,',
    ];
    const dry = await people(good.join('\n'), true);
    expect(dry.counts).toEqual({ create: 2, update: 1, unchanged: 0, error: 0 });
    expect(await store.findUserByEmail('seoyeon@example.com')).toBeNull();

    const bad = await people([...good, '나쁜 행,bad@,member,,,'].join('\n'), false);
    expect(bad.applied).toBe(false);
    expect(bad.rows[3]!.issues).toEqual([{ row: 5, column: 'email', rule: 'email', value: 'bad@' }]);
    expect(await store.findUserByEmail('seoyeon@example.com')).toBeNull();
    expect(await store.auditLog({ limit: 10 })).toEqual([]);

    const real = await people(good.join('\n'), false);
    expect(real).toMatchObject({ applied: true, counts: { create: 2, update: 1, unchanged: 0, error: 0 } });
    const seoyeon = (await store.findUserByEmail('seoyeon@example.com'))!;
    expect(await store.findPerson(seoyeon.id)).toMatchObject({
      role: 'staff',
      department: '연구개발팀',
      employeeNumber: 'E-1',
      badges: 2,
    });
    expect((await store.findUserByBadgeHash(deps.hashBadge('kbd:1000234')))?.id).toBe(seoyeon.id);
    expect((await store.findUserByBadgeHash(deps.hashBadge('nfc:04a1b2c3')))?.id).toBe(seoyeon.id);
    expect((await store.badgesOf(seoyeon.id)).map((b) => b.hint).sort()).toEqual(['kbd:…34', 'nfc:…b2c3']);
    expect(await store.findPerson(minjun.id)).toMatchObject({ department: '영업팀', employeeNumber: 'E-2' });
    const log = await store.auditLog({ limit: 10 });
    expect(log.map((e) => e.action).sort()).toEqual([
      'person.create',
      'person.create',
      'person.import',
      'person.update',
    ]);
    expect(log.every((e) => e.actorId === 'usr_admin' && e.via === 'session:ses_1')).toBe(true);
    expect(log.find((e) => e.action === 'person.update')?.detail).toBe(
      '김민준 (CSV): department — → 영업팀; employeeNumber — → E-2',
    );
    const page = await store.auditPage({ kind: 'person', targetId: minjun.id, limit: 5 });
    expect(page.rows.find((e) => e.action === 'person.update')?.changes).toEqual([
      { field: 'department', before: null, after: '영업팀' },
      { field: 'employeeNumber', before: null, after: 'E-2' },
    ]);

    // The person without email is found again by employee number.
    expect((await people(good.join('\n'), true)).counts).toEqual({
      create: 0,
      update: 0,
      unchanged: 3,
      error: 0,
    });
  });

  it('people: a file may not take away the last admin (the CLI acts as no one), and a lowered role ends that sign-in', async () => {
    const boss = await store.createUser({
      email: 'boss@example.com',
      displayName: '박관리',
      role: 'admin',
      active: true,
      passwordHash: null,
    });
    const lead = await store.createUser({
      email: 'lead@example.com',
      displayName: '정팀장',
      role: 'admin',
      active: true,
      passwordHash: null,
    });
    await store.createSession(
      {
        id: 'ses_lead',
        userId: lead.id,
        mode: 'cookie',
        csrfHash: 'x',
        createdAt: T0,
        expiresAt: T0 + 86_400_000,
      },
      { tokenHash: 'rt_lead', expiresAt: T0 + 86_400_000 },
    );
    const cli: AuditActor = { kind: 'system', id: null, name: 'admin CLI (root)', via: 'cli' };
    const run = (csv: string) => importCsv(deps, 'people', csv, { dryRun: false, actor: cli });
    // Both admins made members: refused as a whole, nothing saved.
    await expect(
      run(['name,email,role', '박관리,boss@example.com,member', '정팀장,lead@example.com,member'].join('\n')),
    ).rejects.toMatchObject({ code: 'LAST_ADMIN' });
    expect((await store.findUserById(boss.id))?.role).toBe('admin');
    expect((await store.findUserById(lead.id))?.role).toBe('admin');
    expect(await store.auditLog({ limit: 10 })).toEqual([]);
    // One of them lowered: saved, and that person's sessions end at once (as the edit form does).
    const ok = await run(['name,email,role', '정팀장,lead@example.com,staff'].join('\n'));
    expect(ok.applied).toBe(true);
    expect((await store.findUserById(lead.id))?.role).toBe('staff');
    expect((await store.findSession('ses_lead'))?.revokedAt).toBe(T0);
  });

  it("people: someone else's badge, a directory person, an email taken; --skip-bad writes the rest", async () => {
    const yuna = await store.createUser({
      email: 'yuna@example.com',
      displayName: '최유나',
      role: 'member',
      active: true,
      passwordHash: null,
    });
    await store.addBadgeWithHint(
      yuna.id,
      { credentialHash: deps.hashBadge('kbd:1000999'), rosterHash: null, hint: 'kbd:…99', label: null },
      T0,
    );
    await store.createDirectoryUser(
      'usr_dir0000000000001',
      {
        displayName: '이지은',
        email: 'jieun@example.com',
        active: true,
        userName: 'jieun',
        externalId: null,
        employeeNumber: 'D-1',
        department: '인사팀',
      },
      'member',
      T0,
    );
    const report = await people(
      [
        'name,email,employeeNumber,badges',
        '새 사람,new@example.com,N-1,1000999',
        '이지은 (개명),jieun@example.com,D-1,',
        '이지은,jieun@example.com,D-1,1000888',
        '다른 사람,yuna@example.com,D-1,',
        '좋은 행,good@example.com,N-2,',
      ].join('\n'),
      false,
      true,
    );
    expect(report.rows.map((r) => [r.row, r.outcome, r.issues.map((i) => i.rule)])).toEqual([
      [2, 'error', ['badgeTaken']],
      [3, 'error', ['directoryManaged']],
      [4, 'error', ['duplicateInFile', 'duplicateInFile']],
      [5, 'error', ['duplicateInFile', 'employeeNumberTaken']],
      [6, 'create', []],
    ]);
    // The hint is shown, never the badge number.
    expect(report.rows[0]!.issues[0]).toEqual({
      row: 2,
      column: 'badges',
      rule: 'badgeTaken',
      value: 'kbd:…99',
    });
    expect(report.applied).toBe(true);
    expect(await store.findUserByEmail('good@example.com')).not.toBeNull();
    expect(await store.findUserByEmail('new@example.com')).toBeNull();
    expect((await store.findUserById('usr_dir0000000000001'))?.displayName).toBe('이지은');
  });

  it('items: created, updated by tag, unchanged on a second run; an item on loan is not retired by a file', async () => {
    const csv = [
      '태그,물품명,분류,대여 기간,일련번호,보관함 칸,폐기',
      'CM-1,소니 A7 IV,카메라,3,SN-4548736132,A-1,아니요',
      'CM-2,캐논 R6,카메라,7,,,',
    ].join('\r\n');
    expect((await items(csv, false)).counts).toEqual({ create: 2, update: 0, unchanged: 0, error: 0 });
    expect(await store.findItemByTag('CM-1')).toMatchObject({
      name: '소니 A7 IV',
      lockerSlot: 'A-1',
      loanDays: 3,
    });
    expect((await items(csv, false)).counts).toEqual({ create: 0, update: 0, unchanged: 2, error: 0 });
    const cm1Id = (await store.findItemIdByTag('CM-1'))!;
    expect((await store.findItemWithHolder(cm1Id))?.serial).toBe('SN-4548736132');
    const serial = await items(
      ['tag,name,category,loanDays,serial', 'CM-1,소니 A7 IV,카메라,3,SN-9'].join('\n'),
      true,
    );
    expect(serial.rows[0]).toMatchObject({
      outcome: 'update',
      changes: [{ column: 'serial', before: 'SN-4548736132', after: 'SN-9' }],
    });

    const k = await kiosk(store, 'lobby', T0);
    const cm1 = (await store.findItemByTag('CM-1'))!;
    const borrower = await store.createUser({
      email: 'b@example.com',
      displayName: 'B',
      role: 'member',
      active: true,
      passwordHash: null,
    });
    await sync(
      store,
      k.id,
      [row({ id: 'tx-1', seq: 1, kind: 'borrow', itemId: cm1.id, userId: borrower.id, occurredAt: T0 })],
      T0 + 1000,
    );
    const retire = await items(
      ['tag,name,category,loanDays,retired', 'CM-1,소니 A7 IV,카메라,5,yes', 'CM-2,캐논 R6,카메라,14,'].join(
        '\n',
      ),
      false,
    );
    expect(retire.applied).toBe(false);
    expect(retire.rows[0]!.issues).toEqual([
      { row: 2, column: 'retired', rule: 'retireOnLoan', value: null },
    ]);
    expect(retire.rows[1]).toMatchObject({
      outcome: 'update',
      changes: [{ column: 'loanDays', before: '7', after: '14' }],
    });
    expect(await store.findItemByTag('CM-2')).toMatchObject({ loanDays: 7 });
  });
}

describe('CSV import service on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rental-import-'));
  let n = 0;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  suite(async () => openSqliteStore({ file: join(dir, `s-${++n}.db`) }));
});

const pgSkip = postgresSkipReason();
describe.skipIf(pgSkip !== null)(
  `CSV import service on PostgreSQL${pgSkip ? ` (skipped: ${pgSkip})` : ''}`,
  () => {
    let cluster: PgCluster | undefined;
    let n = 0;
    beforeAll(async () => {
      cluster = await startPostgres();
    }, 60_000);
    afterAll(async () => {
      await cluster?.stop();
    });
    suite(async () => openPostgresStore({ url: await cluster!.createDatabase(`import_${++n}`) }));
  },
);
