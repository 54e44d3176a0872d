/**
 * Files a process cannot live without (the kiosk's device key and enrolment, the server's
 * signing keys) are written so that a power cut leaves either the old file or the new one,
 * never a 0-byte or half file: write a temp file, fsync it, rename it over the old one, and
 * fsync the directory so the rename itself is on disk. A rename without the fsyncs is not
 * enough on ext4 with delayed allocation (seen: both identity files 0 bytes after a power
 * cut shortly after enrolment). This is what the file-systems people (LWN's "ext4 and data
 * loss", SQLite's atomic commit, etcd's fileutil) describe as the only safe sequence.
 *
 * Shared by the kiosk and the server (protocol/node/: Node helpers, not exported to the renderer).
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeFileDurably(path: string, data: string, mode = 0o600): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  rmSync(tmp, { force: true }); // left by a process killed mid-write with the same pid
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
