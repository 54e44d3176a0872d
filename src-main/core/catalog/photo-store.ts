/**
 * Thumbnails of the catalog's item photos, kept as files beside the kiosk's database so the
 * list shows them offline and after a restart. A photo is named by its hash (protocol 5,
 * CatalogItem.photo): a file never changes, a new photo is a new file, and files no item
 * names any more are deleted. The renderer loads them from its own origin
 * (`item-photos/<hash>.jpg`, served by the shell from this folder), since its
 * Content-Security-Policy allows no other.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const HASH = /^[0-9a-f]{64}$/;
/** At most this many downloads per catalog pull: a kiosk that was off a long time catches up over a few. */
const PER_PULL = 40;
const MAX_BYTES = 512 * 1024;

/** The folder under the kiosk's data directory. */
export const PHOTO_DIR = 'item-photos';

/** Where the renderer finds a photo's thumbnail, relative to its page. */
export const photoUrl = (hash: string) => `item-photos/${hash}.jpg`;

export type PhotoStore = ReturnType<typeof createPhotoStore>;

export function createPhotoStore(dir: string) {
  mkdirSync(dir, { recursive: true });
  const file = (hash: string) => join(dir, `${hash}.jpg`);
  const present = new Set(
    readdirSync(dir)
      .filter((f) => f.endsWith('.jpg') && HASH.test(f.slice(0, -4)))
      .map((f) => f.slice(0, -4)),
  );
  return {
    /** The folder the shells serve thumbnails from (static-files.ts photoFile). */
    dir,
    has: (hash: string) => present.has(hash),
    /** The thumbnail's bytes, or null: not a hash, or not downloaded (yet). */
    read(hash: string): Buffer | null {
      if (!HASH.test(hash) || !present.has(hash)) return null;
      try {
        return readFileSync(file(hash));
      } catch {
        return null;
      }
    },
    /**
     * Keeps exactly the photos of `wanted`: fetches the missing ones (a failure waits for the
     * next pull) and deletes the rest. True when something changed.
     */
    async keep(wanted: Set<string>, fetchThumb: (hash: string) => Promise<Buffer>): Promise<boolean> {
      let changed = false;
      for (const hash of [...present]) {
        if (wanted.has(hash)) continue;
        rmSync(file(hash), { force: true });
        present.delete(hash);
        changed = true;
      }
      const missing = [...wanted].filter((h) => HASH.test(h) && !present.has(h)).slice(0, PER_PULL);
      for (const hash of missing) {
        let bytes: Buffer;
        try {
          bytes = await fetchThumb(hash);
        } catch {
          continue;
        }
        // A JPEG of sensible size, as the server makes them; anything else is not kept.
        if (bytes.length > MAX_BYTES || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) continue;
        const tmp = `${file(hash)}.part`;
        writeFileSync(tmp, bytes);
        renameSync(tmp, file(hash));
        present.add(hash);
        changed = true;
      }
      return changed;
    },
    /** For tests: whether the file is on disk. */
    onDisk: (hash: string) => existsSync(file(hash)),
  };
}
