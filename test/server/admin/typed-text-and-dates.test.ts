/**
 * What a person types and the dates a filter names (protocol/text.ts, server/http/request-time.ts):
 * control and invisible characters are refused on every path that stores text, as the CSV
 * import refuses them; a search holding a NUL is a 400, not a 500 from the full-text index;
 * a filter date that is no real moment, or a range that runs backwards, is a 400 instead of
 * an empty list that says "nothing found".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, startFixture, type Fixture } from './fixture.ts';

describe('typed text and filter dates', () => {
  let f: Fixture;
  let admin: string;
  beforeEach(async () => {
    f = await startFixture({ logger: false });
    admin = await f.login('admin');
  });
  afterEach(() => f.close());

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    f.app.inject({ method, url, headers: bearer(admin), ...(payload ? { payload } : {}) });
  const item = (fields: Record<string, unknown>) =>
    call('POST', '/v1/admin/items', {
      tag: 'CAM-1',
      name: '캐논 EOS R6',
      category: '카메라',
      loanDays: 7,
      ...fields,
    });

  // NUL, a right-to-left override, zero-width, BOM, line breaks (\n and U+2028), a tab, spaces
  // alone and a Hangul filler alone (it looks blank and is no space).
  const unsafeLines = [
    'a\u0000b',
    '\u202Egnp.exe',
    '\u200b',
    '\uFEFFx',
    'a\nb',
    'a\u2028b',
    '\tx',
    '   ',
    '\u3164',
  ];

  it('refuses control and invisible characters in an item, and stores ordinary Korean text and line breaks in notes', async () => {
    for (const name of unsafeLines) {
      const res = await item({ name });
      expect([res.statusCode, res.json().code], JSON.stringify(name)).toEqual([400, 'BAD_REQUEST']);
    }
    for (const fields of [
      { tag: 'CAM\u200b-1' },
      { category: '카메라\u0007' },
      { parts: ['배터리\u202e'] },
    ]) {
      const res = await item(fields);
      expect([res.statusCode, res.json().code], JSON.stringify(fields)).toEqual([400, 'BAD_REQUEST']);
    }
    expect((await call('GET', '/v1/admin/items')).json().items).toEqual([]);

    const made = await item({ notes: '렌즈 캡 포함\n배터리 2개', parts: ['본체', '배터리'] });
    expect(made.statusCode, made.body).toBe(200);
    const { id } = made.json().item;
    expect(made.json().item).toMatchObject({ name: '캐논 EOS R6', notes: '렌즈 캡 포함\n배터리 2개' });
    const noteWithNul = await call('PATCH', `/v1/admin/items/${id}`, { notes: '렌즈\u0000캡' });
    expect(noteWithNul.statusCode).toBe(400);
    const renamed = await call('PATCH', `/v1/admin/items/${id}`, { name: '\u202E6R SOE nonaC' });
    expect(renamed.statusCode).toBe(400);
    expect((await call('GET', `/v1/admin/items/${id}`)).json().item.name).toBe('캐논 EOS R6');
  });

  it('refuses them in a kiosk’s name and in a person’s name, email, number and department', async () => {
    expect((await call('POST', '/v1/admin/kiosks', { name: '1층\u200b키오스크' })).statusCode).toBe(400);
    expect((await call('POST', '/v1/admin/kiosks', { name: '1층 키오스크' })).statusCode).toBe(200);
    const create = await call('POST', '/v1/admin/people', { displayName: '김\u202e민준', role: 'member' });
    expect(create.statusCode).toBe(400);
    const person = await call('POST', '/v1/admin/people', { displayName: '이서연', role: 'member' });
    expect(person.statusCode, person.body).toBe(200);
    const id = person.json().person.id;
    for (const [field, value, code] of [
      ['displayName', '이서연\u200b', 'PERSON_NAME_INVALID'],
      ['email', 'seo\u0000yeon@example.org', 'EMAIL_INVALID'],
      ['employeeNumber', 'E-1\u0085', 'EMPLOYEE_NUMBER_INVALID'],
      ['department', '연구\u2066소', 'DEPARTMENT_INVALID'],
      // An invisible "tag" character beyond the Basic Multilingual Plane (any \p{Cf} in code).
      ['displayName', '이서연\u{E0041}', 'PERSON_NAME_INVALID'],
    ] as const) {
      const res = await call('PATCH', `/v1/admin/people/${id}`, { [field]: value });
      expect([res.statusCode, res.json().code], field).toEqual([400, code]);
    }
    expect((await call('GET', `/v1/admin/people/${id}`)).json().person.displayName).toBe('이서연');
  });

  it('answers a search holding a NUL with a 400, not a 500', async () => {
    expect((await item({})).statusCode).toBe(200);
    for (const q of ['ab\u0000c', 'abc\u0000', '\u0000\u0000\u0000', '가\u0000나']) {
      const res = await call('GET', `/v1/admin/items?q=${encodeURIComponent(q)}`);
      expect([res.statusCode, res.json().code], JSON.stringify(q)).toEqual([400, 'BAD_REQUEST']);
      expect((await call('GET', `/v1/admin/people?limit=10&q=${encodeURIComponent(q)}`)).statusCode).toBe(
        400,
      );
    }
    const found = await call('GET', `/v1/admin/items?q=${encodeURIComponent('캐논')}`);
    expect(found.json().items.map((i: { tag: string }) => i.tag)).toEqual(['CAM-1']);
  });

  it('refuses a filter date that is no real moment, or a range that runs backwards', async () => {
    const lists = ['/v1/admin/conflicts', '/v1/admin/loans', '/v1/admin/audit', '/v1/admin/badges/unknown'];
    for (const list of lists) {
      for (const query of [
        'from=2026-13-45T99:99:99.000Z',
        'to=2026-13-45T99:99:99.000Z',
        'from=2026-02-30T00:00:00.000Z',
      ]) {
        const res = await call('GET', `${list}?${query}`);
        expect([res.statusCode, res.json().code], `${list}?${query}`).toEqual([400, 'BAD_REQUEST']);
      }
      const backwards = await call(
        'GET',
        `${list}?from=2026-03-02T00:00:00.000Z&to=2026-03-01T00:00:00.000Z`,
      );
      expect([backwards.statusCode, backwards.json().code], list).toEqual([400, 'DATE_RANGE_INVALID']);
      const ok = await call('GET', `${list}?from=2026-03-01T00:00:00.000Z&to=2026-03-02T00:00:00.000Z`);
      expect(ok.statusCode, `${list}: ${ok.body}`).toBe(200);
    }
    expect((await call('GET', '/v1/admin/overview?since=2026-02-30T00:00:00.000Z')).statusCode).toBe(400);
    expect((await call('GET', '/v1/admin/overview?since=2026-03-02T00:00:00.000Z')).statusCode).toBe(200);
  });
});
