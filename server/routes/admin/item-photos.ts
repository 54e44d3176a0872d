/**
 * An item's photo: staff put one (the image's own bytes as the body, any of JPEG, PNG, WebP)
 * or remove it; anyone with its URL reads it. The URL carries the photo's hash, so it never
 * changes meaning: browsers and proxies keep it for a year, and a new photo is a new URL.
 * It is served without a sign-in so a kiosk and an <img> can load it; the hash (of the item
 * and the re-encoded image, 256 bits) cannot be guessed, and is handed out only to staff and
 * to enrolled kiosks.
 */
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError } from 'fastify';
import { AppError, IdParams, ItemResponse } from '../../../protocol/index.ts';
import type { App } from '../../http/app-type.ts';
import { PHOTO_MAX_BYTES, preparePhoto } from '../../photos/item-photo.ts';
import { ERRORS, type AdminFeatureOptions } from './guards.ts';
import { presentItem } from './present.ts';

const PhotoParams = Type.Object({ hash: Type.String({ pattern: '^[0-9a-f]{64}$' }) });
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'];

/** What a refused upload is called before the handler runs (Fastify's own body errors). */
function photoError(err: FastifyError): Error {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new AppError('PHOTO_TOO_LARGE', 'photo file too large');
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return new AppError('PHOTO_UNSUPPORTED', 'not a JPEG, PNG or WebP image');
  return err;
}

export async function itemPhotoRoutes(app: App, { deps, guards, record }: AdminFeatureOptions) {
  const { store } = deps;

  app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    // Only in this scope: the rest of the API still takes JSON alone.
    scope.addContentTypeParser(
      IMAGE_TYPES,
      { parseAs: 'buffer', bodyLimit: PHOTO_MAX_BYTES },
      (_r, body, done) => done(null, body),
    );

    scope.put(
      '/v1/admin/items/:id/photo',
      {
        onRequest: guards.staff,
        bodyLimit: PHOTO_MAX_BYTES,
        schema: { params: IdParams, response: { 200: ItemResponse, ...ERRORS } },
        // Thrown on to the server's handler, which answers with the code.
        errorHandler: (err) => {
          throw photoError(err);
        },
      },
      async (request) => {
        const item = await store.findItemWithHolder(request.params.id);
        if (!item) throw new AppError('NOT_FOUND', 'no such item');
        const bytes = request.body;
        if (!Buffer.isBuffer(bytes)) throw new AppError('PHOTO_UNSUPPORTED', 'not a JPEG, PNG or WebP image');
        const photo = await preparePhoto(item.id, bytes, deps.clock.now());
        if (!(await store.setItemPhoto(item.id, photo))) throw new AppError('NOT_FOUND', 'no such item');
        await record(request, {
          action: 'item.photo',
          targetKind: 'item',
          targetId: item.id,
          detail: `${item.tag} ${item.name}: photo ${photo.width}x${photo.height}`,
        });
        return { item: presentItem((await store.findItemWithHolder(item.id))!) };
      },
    );
  });

  app.delete(
    '/v1/admin/items/:id/photo',
    {
      onRequest: guards.staff,
      schema: { params: IdParams, response: { 200: ItemResponse, ...ERRORS } },
    },
    async (request) => {
      const item = await store.findItemWithHolder(request.params.id);
      if (!item) throw new AppError('NOT_FOUND', 'no such item');
      if (item.photo !== null) {
        await store.setItemPhoto(item.id, null);
        await record(request, {
          action: 'item.photo',
          targetKind: 'item',
          targetId: item.id,
          detail: `${item.tag} ${item.name}: photo removed`,
        });
      }
      return { item: presentItem((await store.findItemWithHolder(item.id))!) };
    },
  );

  for (const size of ['image', 'thumb'] as const) {
    app.get(
      `/v1/item-photos/:hash${size === 'thumb' ? '/thumb' : ''}`,
      { config: { public: true }, schema: { params: PhotoParams } },
      async (request, reply) => {
        const photo = await store.itemPhoto(request.params.hash);
        if (!photo) throw new AppError('NOT_FOUND', 'no such photo');
        return reply
          .type('image/jpeg')
          .header('cache-control', 'public, max-age=31536000, immutable')
          .header('etag', `"${photo.hash}${size === 'thumb' ? '-t' : ''}"`)
          .header('x-content-type-options', 'nosniff')
          .send(size === 'thumb' ? photo.thumb : photo.image);
      },
    );
  }
}
