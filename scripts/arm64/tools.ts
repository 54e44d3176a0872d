/**
 * The system pieces the arm64 run needs, and why each one is missing. Split in two: what
 * running the cached arm64 copy needs (the emulator and the arm64 C/C++ runtime it loads),
 * and what building that copy needs on top (the cross compilers, node-gyp's make/python3,
 * the PC/SC headers, and apt/dpkg to fetch Debian's arm64 libpcsclite).
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where Debian's libc6-arm64-cross / libstdc++6-arm64-cross put the arm64 runtime. */
export const CROSS_ROOT = '/usr/aarch64-linux-gnu';

export function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    if (existsSync(p)) return p;
  }
  return null;
}

type Need = { what: string; ok: () => boolean; pkg: string };

const RUN: Need[] = [
  { what: 'qemu-aarch64-static', ok: () => which('qemu-aarch64-static') !== null, pkg: 'qemu-user-static' },
  {
    what: `${CROSS_ROOT}/lib/ld-linux-aarch64.so.1`,
    ok: () => existsSync(`${CROSS_ROOT}/lib/ld-linux-aarch64.so.1`),
    pkg: 'libc6-arm64-cross',
  },
  {
    what: `${CROSS_ROOT}/lib/libstdc++.so.6`,
    ok: () => existsSync(`${CROSS_ROOT}/lib/libstdc++.so.6`),
    pkg: 'libstdc++6-arm64-cross',
  },
];

const BUILD: Need[] = [
  {
    what: 'aarch64-linux-gnu-gcc',
    ok: () => which('aarch64-linux-gnu-gcc') !== null,
    pkg: 'gcc-aarch64-linux-gnu',
  },
  {
    what: 'aarch64-linux-gnu-g++',
    ok: () => which('aarch64-linux-gnu-g++') !== null,
    pkg: 'g++-aarch64-linux-gnu',
  },
  { what: 'make', ok: () => which('make') !== null, pkg: 'make (build-essential)' },
  { what: 'python3', ok: () => which('python3') !== null, pkg: 'python3' },
  {
    what: '/usr/include/PCSC/winscard.h',
    ok: () => existsSync('/usr/include/PCSC/winscard.h'),
    pkg: 'libpcsclite-dev',
  },
  { what: 'apt-get', ok: () => which('apt-get') !== null, pkg: 'apt' },
  { what: 'dpkg-deb', ok: () => which('dpkg-deb') !== null, pkg: 'dpkg' },
];

/** One line naming what is missing and the Debian packages that bring it, or null. */
export function missingTools(opts: { build: boolean }): string | null {
  const needs = opts.build ? [...RUN, ...BUILD] : RUN;
  const missing = needs.filter((n) => !n.ok());
  if (missing.length === 0) return null;
  const pkgs = [...new Set(missing.map((n) => n.pkg))].join(' ');
  return `missing ${missing.map((n) => n.what).join(', ')} (Debian: ${pkgs})`;
}
