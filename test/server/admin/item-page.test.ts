/**
 * The item page's API: a serial number (free text, searchable, not unique; the tag stays the
 * unique asset tag), notes, and a photo that the server checks by its bytes, resizes and
 * serves by hash with a long cache life. Bad uploads get typed codes and change nothing.
 */
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdminItem, AdminItemsPage } from '../../../protocol/index.ts';
import { KIOSK_PROTOCOL_HEADER, type CatalogResponse } from '../../../protocol/index.ts';
import { check } from '../../../protocol/validate.ts';
import { CatalogResponseV4 } from '../../fixtures/wire-v4.ts';
import { bearer, enrollKiosk, startFixture, type Fixture } from './fixture.ts';

const png = (w: number, h: number) =>
  sharp({ create: { width: w, height: h, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer();
const webp = (w: number, h: number) =>
  sharp({ create: { width: w, height: h, channels: 3, background: '#cc6633' } })
    .webp()
    .toBuffer();

/** A PNG that is only its signature, header and end: what a decompression bomb declares. */
function pngHeader(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('item page API', () => {
  let f: Fixture;
  let admin: string;
  let staff: string;
  let item: AdminItem;
  beforeEach(async () => {
    f = await startFixture({ logger: false });
    admin = await f.login('admin');
    staff = await f.login('staff');
    const res = await f.app.inject({
      method: 'POST',
      url: '/v1/admin/items',
      headers: bearer(admin),
      payload: { tag: 'CAM-1', name: 'Canon 카메라', category: 'Photo', loanDays: 7, serial: 'SN-0042-K' },
    });
    expect(res.statusCode, res.body).toBe(200);
    item = (res.json() as { item: AdminItem }).item;
  });
  afterEach(() => f.close());

  const put = (body: Buffer | string, type = 'image/png', token = staff, id = item.id) =>
    f.app.inject({
      method: 'PUT',
      url: `/v1/admin/items/${id}/photo`,
      headers: { ...bearer(token), 'content-type': type },
      payload: body,
    });
  const detail = async () =>
    (
      (
        await f.app.inject({ method: 'GET', url: `/v1/admin/items/${item.id}`, headers: bearer(admin) })
      ).json() as {
        item: AdminItem;
      }
    ).item;

  it('keeps a serial number and notes, finds the item by part of its serial, and lets two items share one', async () => {
    expect(item.serial).toBe('SN-0042-K');
    expect(item.notes).toBeNull();
    const patch = await f.app.inject({
      method: 'PATCH',
      url: `/v1/admin/items/${item.id}`,
      headers: bearer(admin),
      payload: { notes: '삼각대와 배터리 2개 포함' },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    expect((patch.json() as { item: AdminItem }).item).toMatchObject({
      serial: 'SN-0042-K',
      notes: '삼각대와 배터리 2개 포함',
    });
    // The audit keeps only what changed, before and after; a field sent unchanged is not listed.
    await f.app.inject({
      method: 'PATCH',
      url: `/v1/admin/items/${item.id}`,
      headers: bearer(admin),
      payload: { loanDays: item.loanDays + 1, serial: 'SN-0042-K' },
    });
    const { rows } = await f.deps.store.auditPage({ kind: 'item', targetId: item.id, limit: 5 });
    const [edit, notes] = rows.filter((a) => a.action === 'item.update');
    expect(edit!.changes).toEqual([
      { field: 'loanDays', before: String(item.loanDays), after: String(item.loanDays + 1) },
    ]);
    expect(notes!.changes).toEqual([{ field: 'notes', before: null, after: '삼각대와 배터리 2개 포함' }]);
    // A serial is the maker's, not ours: a second item may carry the same one.
    const twin = await f.app.inject({
      method: 'POST',
      url: '/v1/admin/items',
      headers: bearer(admin),
      payload: { tag: 'CAM-2', name: 'Sony', category: 'Photo', loanDays: 7, serial: 'SN-0042-K' },
    });
    expect(twin.statusCode, twin.body).toBe(200);
    // The asset tag stays unique.
    const clash = await f.app.inject({
      method: 'POST',
      url: '/v1/admin/items',
      headers: bearer(admin),
      payload: { tag: 'CAM-1', name: 'Again', category: 'Photo', loanDays: 7 },
    });
    expect(clash.json().code).toBe('ALREADY_EXISTS');
    const found = (
      await f.app.inject({ method: 'GET', url: '/v1/admin/items?q=0042-k', headers: bearer(staff) })
    ).json() as AdminItemsPage;
    expect(found.items.map((i) => i.tag).sort()).toEqual(['CAM-1', 'CAM-2']);
    const none = (
      await f.app.inject({ method: 'GET', url: '/v1/admin/items?q=SN-9', headers: bearer(staff) })
    ).json() as AdminItemsPage;
    expect(none.total).toBe(0);
    // Clearing the serial: null, and a blank or padded one is refused.
    const cleared = await f.app.inject({
      method: 'PATCH',
      url: `/v1/admin/items/${item.id}`,
      headers: bearer(admin),
      payload: { serial: null },
    });
    expect((cleared.json() as { item: AdminItem }).item.serial).toBeNull();
    for (const serial of ['', ' SN', 'x'.repeat(101)]) {
      const bad = await f.app.inject({
        method: 'PATCH',
        url: `/v1/admin/items/${item.id}`,
        headers: bearer(admin),
        payload: { serial },
      });
      expect(bad.statusCode, serial).toBe(400);
      expect(bad.json().code).toBe('BAD_REQUEST');
    }
  });

  it('takes a PNG from staff, stores it at most 640 px as JPEG, serves it by hash for a year, and audits it', async () => {
    const res = await put(await png(1600, 1200));
    expect(res.statusCode, res.body).toBe(200);
    const url = (res.json() as { item: AdminItem }).item.photo!;
    expect(url).toMatch(/^\/v1\/item-photos\/[0-9a-f]{64}$/);
    expect((await detail()).photo).toBe(url);

    // No sign-in needed: an <img> and a kiosk load it by its unguessable URL.
    const image = await f.app.inject({ method: 'GET', url });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    expect(image.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const meta = await sharp(image.rawPayload).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 640, 480]);
    const thumb = await f.app.inject({ method: 'GET', url: `${url}/thumb` });
    expect(thumb.statusCode).toBe(200);
    const tm = await sharp(thumb.rawPayload).metadata();
    expect([tm.format, tm.width, tm.height]).toEqual(['jpeg', 160, 160]);

    const audit = await f.deps.store.auditLog({ limit: 5 });
    expect(audit.map((a) => a.action)).toContain('item.photo');

    // A new photo is a new URL; the old one is gone.
    const again = await put(await webp(300, 500), 'image/webp');
    expect(again.statusCode, again.body).toBe(200);
    const url2 = (again.json() as { item: AdminItem }).item.photo!;
    expect(url2).not.toBe(url);
    expect((await f.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    const small = await sharp((await f.app.inject({ method: 'GET', url: url2 })).rawPayload).metadata();
    // Never enlarged.
    expect([small.width, small.height]).toEqual([300, 500]);

    const removed = await f.app.inject({
      method: 'DELETE',
      url: `/v1/admin/items/${item.id}/photo`,
      headers: bearer(staff),
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect((removed.json() as { item: AdminItem }).item.photo).toBeNull();
    expect((await f.app.inject({ method: 'GET', url: url2 })).statusCode).toBe(404);
  });

  it('reads the type from the bytes, not the content-type header', async () => {
    const res = await put(await png(50, 40), 'application/octet-stream');
    expect(res.statusCode, res.body).toBe(200);
    const res2 = await put(await png(50, 40), 'image/jpeg');
    expect(res2.statusCode, res2.body).toBe(200);
  });

  it('refuses what is not an image, a broken one, a GIF, a text body, or a wrong content type with PHOTO_UNSUPPORTED, keeping the photo before', async () => {
    expect((await put(await png(80, 60))).statusCode).toBe(200);
    const before = (await detail()).photo;
    const good = await png(200, 200);
    const cases: [string, Buffer | string, string][] = [
      ['text', Buffer.from('hello, not a picture'), 'image/png'],
      ['truncated png', good.subarray(0, 60), 'image/png'],
      ['png header on junk', Buffer.concat([good.subarray(0, 8), Buffer.alloc(500, 7)]), 'image/png'],
      ['gif', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'image/gif'],
      ['empty', Buffer.alloc(0), 'image/png'],
      ['json', JSON.stringify({ image: good.toString('base64') }), 'application/json'],
      ['text type', 'plain', 'text/plain'],
    ];
    for (const [what, body, type] of cases) {
      const res = await put(body, type);
      expect(res.statusCode, `${what}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, what).toBeLessThan(500);
      expect(res.json().code, what).toBe('PHOTO_UNSUPPORTED');
    }
    expect((await detail()).photo).toBe(before);
  });

  it('refuses a file over 10 MB and an image over 50 megapixels with PHOTO_TOO_LARGE', async () => {
    const big = Buffer.concat([await png(10, 10), Buffer.alloc(10 * 1024 * 1024)]);
    const res = await put(big);
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().code).toBe('PHOTO_TOO_LARGE');
    // A few bytes of PNG saying 20,000 x 20,000 (1.2 GB unpacked): refused from its header.
    const bomb = pngHeader(20_000, 20_000);
    const res2 = await put(bomb);
    expect(res2.statusCode, res2.body).toBe(413);
    expect(res2.json().code).toBe('PHOTO_TOO_LARGE');
    expect((await detail()).photo).toBeNull();
  });

  it('lets staff but not members upload; an unknown item is NOT_FOUND; a bad photo URL is 400 or 404', async () => {
    const member = await f.login('member');
    expect((await put(await png(20, 20), 'image/png', member)).json().code).toBe('FORBIDDEN');
    expect((await put(await png(20, 20), 'image/png', staff, 'itm_nothing')).json().code).toBe('NOT_FOUND');
    expect((await f.app.inject({ method: 'GET', url: '/v1/item-photos/abc' })).statusCode).toBe(400);
    expect((await f.app.inject({ method: 'GET', url: `/v1/item-photos/${'0'.repeat(64)}` })).statusCode).toBe(
      404,
    );
  });

  it('sends the photo hash to a protocol 5 kiosk, and nothing new to a protocol 4 kiosk', async () => {
    const kiosk = await enrollKiosk(f, 'lobby');
    const catalog = async (version: number, cursor?: string) => {
      const res = await f.app.inject({
        method: 'GET',
        url: `/v1/catalog${cursor ? `?cursor=${cursor}` : ''}`,
        headers: { authorization: await kiosk.auth(), [KIOSK_PROTOCOL_HEADER]: String(version) },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as CatalogResponse;
    };
    const first = await catalog(5);
    expect(first.items.find((i) => i.id === item.id)!.photo).toBeNull();
    const url = ((await put(await png(900, 600))).json() as { item: AdminItem }).item.photo!;
    const hash = url.split('/').pop()!;
    // Only what changed since: the item with its new photo.
    const since = await catalog(5, first.cursor);
    expect(since.items.map((i) => [i.id, i.photo])).toEqual([[item.id, hash]]);
    const v4 = await catalog(4);
    expect(check(CatalogResponseV4, v4)).toBe(true);
    expect(v4.items.every((i) => !('photo' in i))).toBe(true);
    const thumb = await f.app.inject({ method: 'GET', url: `/v1/item-photos/${hash}/thumb` });
    expect(thumb.statusCode).toBe(200);
  });
});
