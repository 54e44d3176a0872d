/**
 * A kit's named parts reach the kiosk with the catalog (protocol 7, issue 16), so the return
 * screen can ask which came back, offline too; a kiosk of protocol 6 gets the answer its
 * strict schema takes (no parts). Staff set the parts on the dashboard: trimmed, blanks and
 * repeats dropped, audited, and a change reaches kiosks with their next pull.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KIOSK_PROTOCOL_HEADER, type CatalogResponse } from '../../../protocol/index.ts';
import { check } from '../../../protocol/validate.ts';
import { CatalogResponse as CatalogResponseSchema } from '../../../protocol/wire/kiosk.ts';
import { CatalogResponseV6 } from '../../fixtures/wire-v6.ts';
import { bearer, enrollKiosk, startFixture, type Fixture, type TestKiosk } from '../admin/fixture.ts';

describe("a kit's parts in the catalog pull", () => {
  let f: Fixture;
  let kiosk: TestKiosk;
  beforeEach(async () => {
    f = await startFixture({ logger: false });
    kiosk = await enrollKiosk(f, 'lobby');
  });
  afterEach(async () => {
    await f.close();
  });

  const pull = async (version: number, cursor?: string) => {
    const res = await f.app.inject({
      method: 'GET',
      url: `/v1/catalog${cursor ? `?cursor=${cursor}` : ''}`,
      headers: { authorization: await kiosk.auth(), [KIOSK_PROTOCOL_HEADER]: String(version) },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as CatalogResponse;
  };
  const admin = async (method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>) =>
    f.app.inject({ method, url, headers: bearer(await f.login('admin')), payload });

  it('takes the parts as staff type them, sends them to a kiosk of 7 and none to a kiosk of 6', async () => {
    const created = await admin('POST', '/v1/admin/items', {
      tag: 'KIT-1',
      name: 'Sony A7 IV kit',
      category: 'Camera',
      loanDays: 3,
      parts: [' 카메라 본체 ', '배터리 1', '', '배터리 2', '충전기', '충전기', '  렌즈   24-70 '],
    });
    expect(created.statusCode, created.body).toBe(200);
    const item = (created.json() as { item: { id: string; parts: string[] } }).item;
    expect(item.parts).toEqual(['카메라 본체', '배터리 1', '배터리 2', '충전기', '렌즈 24-70']);
    await admin('POST', '/v1/admin/items', {
      tag: 'LB-1',
      name: 'ThinkPad',
      category: 'Laptop',
      loanDays: 7,
    });

    const v7 = await pull(7);
    expect(check(CatalogResponseSchema, v7)).toBe(true);
    expect(Object.fromEntries(v7.items.map((i) => [i.tag, i.parts]))).toEqual({
      'KIT-1': ['카메라 본체', '배터리 1', '배터리 2', '충전기', '렌즈 24-70'],
      'LB-1': [],
    });
    const v6 = await pull(6);
    expect(v6.items.some((i) => 'parts' in i)).toBe(false);
    expect(check(CatalogResponseV6, v6)).toBe(true);
    // The frozen schema is strict: the protocol 7 answer would be dropped whole by such a kiosk.
    expect(check(CatalogResponseV6, v7)).toBe(false);

    // An edit of the parts is audited with before and after, and reaches the kiosk's next pull.
    const edited = await admin('PATCH', `/v1/admin/items/${item.id}`, { parts: ['카메라 본체', '충전기'] });
    expect(edited.statusCode, edited.body).toBe(200);
    const changed = await pull(7, v7.cursor);
    expect(changed.items.map((i) => [i.tag, i.parts])).toEqual([['KIT-1', ['카메라 본체', '충전기']]]);
    const audit = await f.app.inject({
      method: 'GET',
      url: `/v1/admin/audit?targetId=${item.id}`,
      headers: bearer(await f.login('admin')),
    });
    const entries = (audit.json() as { entries: { action: string; changes?: unknown }[] }).entries;
    expect(entries.find((a) => a.action === 'item.update')?.changes).toEqual([
      {
        field: 'parts',
        before: '카메라 본체, 배터리 1, 배터리 2, 충전기, 렌즈 24-70',
        after: '카메라 본체, 충전기',
      },
    ]);
    // No parts: no longer a kit.
    await admin('PATCH', `/v1/admin/items/${item.id}`, { parts: ['  '] });
    expect((await f.deps.store.findItemByTag('KIT-1'))!.parts).toEqual([]);
  });

  it('refuses too many parts, a part name too long or holding the CSV separator, with a typed error and nothing saved', async () => {
    const many = await admin('POST', '/v1/admin/items', {
      tag: 'KIT-2',
      name: 'Drone kit',
      category: 'Drone',
      loanDays: 3,
      parts: Array.from({ length: 21 }, (_, n) => `배터리 ${n + 1}`),
    });
    expect(many.statusCode).toBe(400);
    expect(many.json()).toMatchObject({ code: 'BAD_REQUEST' });
    const long = await admin('POST', '/v1/admin/items', {
      tag: 'KIT-2',
      name: 'Drone kit',
      category: 'Drone',
      loanDays: 3,
      parts: ['x'.repeat(61)],
    });
    expect(long.statusCode).toBe(400);
    // 31 emoji are 31 characters to the server's validator but 62 to a kiosk's schema check,
    // which would drop every catalog answer carrying them: refused here.
    const emoji = await admin('POST', '/v1/admin/items', {
      tag: 'KIT-2',
      name: 'Drone kit',
      category: 'Drone',
      loanDays: 3,
      parts: ['🔋'.repeat(31)],
    });
    expect(emoji.statusCode).toBe(400);
    expect(emoji.json()).toMatchObject({ code: 'BAD_REQUEST' });
    // A semicolon separates parts in a CSV cell: the export and its import would split it.
    const split = await admin('POST', '/v1/admin/items', {
      tag: 'KIT-2',
      name: 'Drone kit',
      category: 'Drone',
      loanDays: 3,
      parts: ['배터리; 2개'],
    });
    expect(split.statusCode).toBe(400);
    expect(split.json()).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await f.deps.store.findItemByTag('KIT-2')).toBeNull();
  });
});
