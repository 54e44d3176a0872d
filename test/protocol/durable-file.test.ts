/** writeFileDurably: the new content whole, owner-only, nothing left beside it. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { writeFileDurably } from '../../protocol/node/durable-file.ts';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rental-durable-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('replaces a file whole, 0600, and leaves no temp file, even over one a killed writer left', () => {
  const path = join(dir, 'device-key.jwk.json');
  writeFileDurably(path, '{"v":1}');
  // A writer killed between creating its temp file and the rename, with this very pid.
  writeFileSync(join(dir, `.device-key.jwk.json.${process.pid}.tmp`), '{"v":');
  writeFileDurably(path, '{"v":2}');
  expect(readFileSync(path, 'utf8')).toBe('{"v":2}');
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(readdirSync(dir)).toEqual(['device-key.jwk.json']);
});
