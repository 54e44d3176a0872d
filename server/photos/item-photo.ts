/**
 * An item's photo as staff upload it, made safe to keep and to show: the type is read from
 * the bytes (a JPEG, PNG or WebP whatever the request says), the pixel count is bounded
 * before decoding (a small file can unpack to gigabytes), and the picture is re-encoded by
 * libvips (sharp): turned upright from its EXIF, at most 640 px on its long side, metadata
 * (GPS, camera) dropped, plus a square thumbnail for the kiosk's list.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { AppError } from '../../protocol/index.ts';
import type { ItemPhoto } from '../store/admin-store.ts';

/** The largest upload: a phone's full-size JPEG fits; the server resizes it. */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** A 48-megapixel phone photo, and not more: bounds the memory one decode takes. */
export const PHOTO_MAX_PIXELS = 50_000_000;
export const PHOTO_LONG_SIDE = 640;
export const PHOTO_THUMB_SIDE = 160;

export type ImageKind = 'jpeg' | 'png' | 'webp';

/** The image type by its first bytes (magic numbers), or null for anything else. */
export function sniffImage(bytes: Buffer): ImageKind | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10])))
    return 'png';
  if (
    bytes.length >= 12 &&
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'webp';
  return null;
}

/** The photo to store for an item, or PHOTO_UNSUPPORTED / PHOTO_TOO_LARGE. */
export async function preparePhoto(itemId: string, bytes: Buffer, at: number): Promise<ItemPhoto> {
  if (bytes.length > PHOTO_MAX_BYTES) throw new AppError('PHOTO_TOO_LARGE', 'photo file too large');
  const kind = sniffImage(bytes);
  if (!kind) throw new AppError('PHOTO_UNSUPPORTED', 'not a JPEG, PNG or WebP image');
  const input = () => sharp(bytes, { limitInputPixels: PHOTO_MAX_PIXELS, failOn: 'error' });
  let meta: sharp.Metadata;
  try {
    // The header only: the size is judged here, before anything is decoded.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new AppError('PHOTO_UNSUPPORTED', 'image cannot be read');
  }
  // The container must be what the first bytes said (a PNG header on a WebP body is refused).
  if (meta.format !== kind || !meta.width || !meta.height)
    throw new AppError('PHOTO_UNSUPPORTED', 'image cannot be read');
  if (meta.width * meta.height > PHOTO_MAX_PIXELS)
    throw new AppError('PHOTO_TOO_LARGE', 'photo has too many pixels');
  try {
    const upright = () => input().rotate().flatten({ background: '#ffffff' });
    const image = await upright()
      .resize(PHOTO_LONG_SIDE, PHOTO_LONG_SIDE, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    const thumb = await upright()
      .resize(PHOTO_THUMB_SIDE, PHOTO_THUMB_SIDE, { fit: 'cover', position: 'attention' })
      .jpeg({ quality: 78, mozjpeg: true })
      .toBuffer();
    return {
      hash: createHash('sha256').update(itemId).update('\0').update(image.data).digest('hex'),
      image: image.data,
      thumb,
      width: image.info.width,
      height: image.info.height,
      at,
    };
  } catch {
    // A header that reads but a body that does not (a truncated file).
    throw new AppError('PHOTO_UNSUPPORTED', 'image cannot be decoded');
  }
}
