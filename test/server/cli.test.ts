/** The admin CLI: people, badges, items, kiosks, CSV imports with dry run and bad-row report, keys. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../server/cli/commands.ts';
import { verifyPassword } from '../../server/auth/passwords.ts';
import { hashEnrollmentCode } from '../../server/auth/enrollment.ts';
import { addPerson, bearer, testServer, type TestServer } from './fixtures.ts';

let s: TestServer;
let out: string[];
let err: string[];
let stdin = '';
const io: CliIo = {
  out: (l) => void out.push(l),
  err: (l) => void err.push(l),
  readStdin: async () => stdin,
};
const cli = (...argv: string[]) => runCli(argv, s.deps, io);

beforeEach(async () => {
  s = await testServer();
  out = [];
  err = [];
  stdin = '';
});
afterEach(async () => {
  await s.close();
});

function csv(name: string, text: string) {
  const file = join(s.dir, name);
  writeFileSync(file, text);
  return file;
}

describe('people, badges, items, kiosks', () => {
  it('creates a person with a password from stdin, who can then log in', async () => {
    stdin = 'a long enough password\n';
    expect(
      await cli('person', 'create', 'kim@example.com', '김민준', '--role', 'staff', '--password-stdin'),
    ).toBe(0);
    const user = (await s.deps.store.findUserByEmail('kim@example.com'))!;
    expect(user).toMatchObject({ displayName: '김민준', role: 'staff', active: true });
    expect(await verifyPassword('a long enough password', user.passwordHash!)).toBe(true);
    expect(await cli('person', 'create', 'kim@example.com', 'Again')).toBe(2);
    expect(err.join()).toContain('already registered');
    expect(await cli('person', 'create', 'x@example.com', 'X', '--role', 'root')).toBe(2);
  });

  it('a mistyped or incomplete option is refused, not silently ignored', async () => {
    // Before node:util parseArgs, "--rol admin" was a flag nobody read and "admin" part of the name.
    expect(await cli('person', 'create', 'lee@example.com', 'Lee', '--rol', 'admin')).toBe(2);
    expect(err.pop()).toBe('unknown option --rol');
    expect(await cli('person', 'create', 'lee@example.com', 'Lee', '--role')).toBe(2);
    expect(err.pop()).toBe('--role needs a value');
    expect(await cli('person', 'create', 'lee@example.com', 'Lee', '--role', '--password-stdin')).toBe(2);
    expect(err.pop()).toBe('--role needs a value');
    expect(await cli('kiosk', 'create', 'Lobby', '--json=yes')).toBe(2);
    expect(err.pop()).toBe('--json takes no value');
    expect(await s.deps.store.findUserByEmail('lee@example.com')).toBeNull();
    expect(await cli('person', 'create', 'lee@example.com', 'Lee', '--role=staff')).toBe(0);
    expect(await s.deps.store.findUserByEmail('lee@example.com')).toMatchObject({
      displayName: 'Lee',
      role: 'staff',
    });
  });

  it('setting a password ends the person’s sessions', async () => {
    const p = await addPerson(s, { role: 'member' });
    const { auth } = await bearer(s, p);
    stdin = 'another long password';
    expect(await cli('person', 'password', p.email, '--password-stdin')).toBe(0);
    const res = await s.app.inject({ method: 'GET', url: '/v1/me', headers: auth });
    expect(res.json().code).toBe('TOKEN_REVOKED');
  });

  it('adds a badge (stored hashed, with its roster hash) and refuses a duplicate', async () => {
    const p = await addPerson(s, { role: 'member' });
    expect(await cli('badge', 'add', p.email, 'NFC:04:A1:B2:C3:D4:E5:F6')).toBe(0);
    expect((await s.deps.store.findUserByBadgeHash(s.deps.hashBadge('nfc:04a1b2c3d4e5f6')))?.id).toBe(p.id);
    expect((await s.deps.store.rosterEntries()).map((e) => e.rosterHash)).toContain(
      s.deps.rosterHash('nfc:04a1b2c3d4e5f6'),
    );
    // Shown on the dashboard by kind and last digits, with no made-up label; audited.
    expect(await s.deps.store.badgesOf(p.id)).toEqual([
      expect.objectContaining({ hint: 'nfc:…e5f6', label: null }),
    ]);
    expect((await s.deps.store.auditLog({ limit: 5 })).find((e) => e.action === 'badge.add')).toMatchObject({
      targetId: p.id,
      via: 'cli',
    });
    expect(await cli('badge', 'add', p.email, 'nfc:04a1b2c3d4e5f6')).toBe(2);
    expect(await cli('badge', 'add', p.email, 'not-a-badge')).toBe(2);
  });

  it('creates an item and a kiosk (with its code), revokes the kiosk', async () => {
    expect(
      await cli(
        'item',
        'create',
        'CM-9',
        'Sony',
        'A7',
        '--category',
        'Cameras',
        '--days',
        '3',
        '--restricted',
        'staff',
      ),
    ).toBe(0);
    expect(await s.deps.store.findItemIdByTag('CM-9')).not.toBeNull();
    expect(await cli('item', 'create', 'CM-10', 'x', '--category', 'c', '--days', 'zero')).toBe(2);
    expect(await cli('kiosk', 'create', 'Front', 'desk', '--json')).toBe(0);
    const created = JSON.parse(out.at(-1)!);
    expect(created.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(created.name).toBe('Front desk');
    // A new code for the same kiosk (its key files were lost): the same id enrols again with it.
    expect(await cli('kiosk', 'rekey', created.kioskId, '--json')).toBe(0);
    const renewed = JSON.parse(out.at(-1)!);
    expect(renewed).toMatchObject({ kioskId: created.kioskId, name: 'Front desk' });
    expect(renewed.code).not.toBe(created.code);
    const enrolled = await s.deps.store.enrollKiosk(hashEnrollmentCode(renewed.code), '{}', s.clock.now());
    expect(enrolled?.id).toBe(created.kioskId);
    expect(await cli('kiosk', 'rekey', 'ksk_nothing')).toBe(1);
    expect(await cli('kiosk', 'revoke', created.kioskId)).toBe(0);
    expect((await s.deps.store.findKiosk(created.kioskId))?.revokedAt).not.toBeNull();
    expect(await cli('kiosk', 'revoke', created.kioskId)).toBe(1);
    expect(await cli('kiosk', 'rekey', created.kioskId)).toBe(1);
  });

  it('prints usage for an unknown command', async () => {
    expect(await cli('frobnicate')).toBe(2);
    expect(err.join('\n')).toContain('usage');
  });
});

describe('CSV import', () => {
  const PEOPLE = [
    'email,name,role,badges',
    'a@example.com,Alice,member,1000001',
    'b@example.com,"Bob, Jr.",staff,',
    'bad-email,Carol,member,',
    'd@example.com,Dan,wizard,',
    'a@example.com,Alice again,member,',
    'e@example.com,Eve,member,kbd:1000001',
  ].join('\r\n');

  it('dry run says what is wrong with each row in sentences, in English or Korean, and writes nothing', async () => {
    expect(await cli('import', 'people', csv('p.csv', PEOPLE), '--dry-run')).toBe(1);
    expect(err).toEqual([
      "Row 4, Email: is not an email address (given: 'bad-email')",
      "Row 5, Role: must be member, staff or admin (given: 'wizard')",
      "Row 6, Email: repeats row 2 (given: 'a@example.com')",
      "Row 7, Badge numbers: repeats row 2 (given: 'kbd:…01')",
    ]);
    expect(out.at(-1)).toBe('Dry run: 2 new, 0 to update, 0 unchanged, 4 with errors. Nothing was written.');
    expect(await s.deps.store.findUserByEmail('a@example.com')).toBeNull();
    err = [];
    out = [];
    expect(await cli('import', 'people', csv('p.csv', PEOPLE), '--dry-run', '--lang', 'ko')).toBe(1);
    expect(err[0]).toBe("4행 이메일: 이메일 주소 형식이 아닙니다 (입력: 'bad-email')");
    expect(err[2]).toBe("6행 이메일: 2행과 겹칩니다 (입력: 'a@example.com')");
    expect(out.at(-1)).toBe('미리 보기: 추가 2, 수정 0, 변경 없음 0, 오류 4. 아무것도 저장하지 않았습니다.');
    expect(await cli('import', 'people', csv('p.csv', PEOPLE), '--lang', 'fr')).toBe(2);
  });

  it('imports nothing while rows are bad, unless told to skip them; audited as the CLI', async () => {
    const file = csv('p.csv', PEOPLE);
    expect(await cli('import', 'people', file)).toBe(1);
    expect(out.at(-1)).toContain('Nothing was imported');
    expect(await s.deps.store.findUserByEmail('a@example.com')).toBeNull();
    expect(await cli('import', 'people', file, '--skip-bad')).toBe(1);
    expect(out.slice(-2)).toEqual([
      'Imported: 2 new, 0 updated, 0 unchanged.',
      '4 row(s) with errors were skipped.',
    ]);
    expect((await s.deps.store.findUserByEmail('b@example.com'))?.displayName).toBe('Bob, Jr.');
    // A bare card number is what a keyboard-wedge reader types: enrolled as kbd:1000001, hashed.
    expect((await s.deps.store.findUserByBadgeHash(s.deps.hashBadge('kbd:1000001')))?.email).toBe(
      'a@example.com',
    );
    const log = await s.deps.store.auditLog({ limit: 10 });
    const created = log.filter((r) => r.action === 'person.create');
    expect(created).toHaveLength(2);
    expect(created[0]).toMatchObject({ actorKind: 'system', via: 'cli' });
    expect(created[0]!.actorName).toMatch(/^admin CLI \(.+\)$/);
    expect(log.find((r) => r.action === 'person.import')?.detail).toBe(
      'CSV: 2 created, 0 updated, 0 unchanged, 4 skipped',
    );
  });

  it('imports items; importing again changes nothing; a Korean Excel (CP949) file is read', async () => {
    const file = csv(
      'i.csv',
      'tag,name,category,loanDays,restrictedTo\nLT-1,Laptop,Laptops,7,\nLB-1,Scope,Lab,1,staff\n',
    );
    expect(await cli('import', 'items', file, '--dry-run')).toBe(0);
    expect(await s.deps.store.findItemIdByTag('LT-1')).toBeNull();
    expect(await cli('import', 'items', file)).toBe(0);
    expect(await s.deps.store.findItemIdByTag('LB-1')).not.toBeNull();
    expect(await cli('import', 'items', file)).toBe(0);
    expect(out.at(-1)).toBe('Imported: 0 new, 0 updated, 2 unchanged.');
    // "태그,물품명,분류,대여 기간 / CAM-1,카메라,촬영,abc" as Korean Excel saves it (CP949).
    const cp949 = Buffer.from(
      'c5c2b1d72cb9b0c7b0b8ed2cbad0b7f92cb4ebbfa920b1e2b0a30d0a43414d2d312cc4abb8deb6f32cc3d4bfb52c6162630d0a',
      'hex',
    );
    const korean = join(s.dir, 'k.csv');
    writeFileSync(korean, cp949);
    expect(await cli('import', 'items', korean, '--lang', 'ko')).toBe(1);
    expect(err.at(-1)).toBe("2행 대여 기간: 1–365 사이의 정수여야 합니다 (입력: 'abc')");
  });
});

describe('keys', () => {
  it('rotation: new tokens use the new key, the old key keeps verifying, files are 0600', async () => {
    const p = await addPerson(s, { role: 'member' });
    const before = await bearer(s, p);
    const oldKid = s.deps.keys.current().kid;
    expect(await cli('keys', 'rotate')).toBe(0);
    const newKid = s.deps.keys.current().kid;
    expect(newKid).not.toBe(oldKid);
    const jwks = (await s.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    expect(jwks.keys.map((k: { kid: string }) => k.kid).sort()).toEqual([oldKid, newKid].sort());
    expect(JSON.stringify(jwks)).not.toContain('"d"');
    expect((await s.app.inject({ method: 'GET', url: '/v1/me', headers: before.auth })).statusCode).toBe(200);
    const after = await bearer(s, p);
    expect(JSON.parse(Buffer.from(after.accessToken.split('.')[0]!, 'base64url').toString()).kid).toBe(
      newKid,
    );
    const keyDir = join(s.dir, 'keys');
    for (const f of readdirSync(keyDir))
      expect((statSync(join(keyDir, f)).mode & 0o777).toString(8), f).toBe('600');
    expect((statSync(keyDir).mode & 0o777).toString(8)).toBe('700');
    expect(await cli('keys', 'list')).toBe(0);
    expect(out.join('\n')).toContain(`${newKid}  (signing)`);
  });

  it('the real CLI process creates a kiosk and rotates keys in a data directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rental-cli-'));
    try {
      const run = (...args: string[]) =>
        spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
          env: { ...process.env, RENTAL_SERVER_DATA: dir, RENTAL_CONFIG: '' },
          encoding: 'utf8',
        });
      const kiosk = run('kiosk', 'create', 'Lab', '--json');
      expect(kiosk.status, kiosk.stderr).toBe(0);
      expect(JSON.parse(kiosk.stdout).code).toMatch(/^[A-Z0-9-]{14}$/);
      expect(run('keys', 'rotate').status).toBe(0);
      const keys = readdirSync(join(dir, 'keys')).filter((f) => f.startsWith('signing-'));
      expect(keys).toHaveLength(2);
      expect(run('nonsense').status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
