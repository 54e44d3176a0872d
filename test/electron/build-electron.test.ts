/**
 * The build that makes the packaged app's JavaScript (npm run build:main): the sandboxed
 * preload must be self-contained, the main bundle must leave only Electron, Node built-ins and
 * the native modules outside, and the bundle must actually start.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import type * as Fuses from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIOSK_COMMANDS } from '../../protocol/kiosk-api.ts';
import { NATIVE_MODULES, buildElectronApp } from '../../scripts/build-electron.ts';

const base = mkdtempSync(join(tmpdir(), 'electron-build-'));
const outDir = join(base, 'app');
const rendererDir = join(base, 'renderer');
let natives: string[] = [];

beforeAll(async () => {
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  writeFileSync(join(rendererDir, 'assets', 'a.js'), '');
  ({ natives } = await buildElectronApp({ outDir, rendererDir }));
}, 60_000);
afterAll(() => rmSync(base, { recursive: true, force: true }));

const requires = (file: string) => [
  ...new Set([...readFileSync(file, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!)),
];

describe('build:main', () => {
  it('writes the app directory electron-builder packs', () => {
    const pkg = JSON.parse(readFileSync(join(outDir, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('main/main.cjs');
    expect(existsSync(join(outDir, pkg.main))).toBe(true);
    expect(existsSync(join(outDir, 'main/preload.cjs'))).toBe(true);
    expect(existsSync(join(outDir, 'renderer/index.html'))).toBe(true);
    expect(existsSync(join(outDir, 'renderer/assets/a.js'))).toBe(true);
    // Only the native modules are installed (and rebuilt for Electron); the rest is bundled.
    expect(Object.keys(pkg.dependencies)).toEqual(natives);
    expect(natives).toContain('better-sqlite3');
    // Pinned to the version installed for the tests, so both ABIs build the same source.
    const installed = JSON.parse(readFileSync('node_modules/better-sqlite3/package.json', 'utf8')).version;
    expect(pkg.dependencies['better-sqlite3']).toBe(installed);
    expect(pkg.devDependencies).toBeUndefined();
  });

  it('bundles the preload so that it requires nothing but electron (sandboxed preloads cannot)', () => {
    expect(requires(join(outDir, 'main/preload.cjs'))).toEqual(['electron']);
  });

  it('runs the preload in a bare sandbox and exposes the KioskApi', () => {
    const exposed = new Map<string, Record<string, unknown>>();
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api),
      },
      ipcRenderer: { invoke: async () => ({ ok: true, value: null }), on() {}, removeListener() {} },
    };
    const module = { exports: {} };
    const require = (name: string) => {
      if (name === 'electron') return electron;
      throw new Error(`module not found in sandbox: ${name}`);
    };
    runInNewContext(readFileSync(join(outDir, 'main/preload.cjs'), 'utf8'), {
      require,
      module,
      exports: module.exports,
    });
    expect([...exposed.keys()]).toEqual(['kioskApi']);
    expect(Object.keys(exposed.get('kioskApi')!).sort()).toEqual(
      [...Object.keys(KIOSK_COMMANDS), 'on'].sort(),
    );
  });

  it('leaves only electron, Node built-ins and native modules outside the main bundle', () => {
    const outside = requires(join(outDir, 'main/main.cjs')).filter(
      (name) => name !== 'electron' && !builtinModules.includes(name.replace(/^node:/, '')),
    );
    expect(outside.every((name) => NATIVE_MODULES.includes(name))).toBe(true);
    expect(outside).toContain('better-sqlite3');
  });

  it('starts: the bundle loads its config and reaches the single-instance lock', () => {
    // A stand-in electron whose lock is taken: main.cjs must get that far and quit cleanly.
    const stub = join(base, 'electron-stub.cjs');
    writeFileSync(
      stub,
      `const Module = require('node:module');
       const load = Module._load;
       Module._load = function (request, ...rest) {
         if (request !== 'electron') return load.call(this, request, ...rest);
         return { app: { isPackaged: true, requestSingleInstanceLock: () => false, quit: () => console.log('QUIT') } };
       };`,
    );
    const out = execFileSync(process.execPath, ['--require', stub, join(outDir, 'main/main.cjs')], {
      env: {
        ...process.env,
        NODE_PATH: resolve('node_modules'),
        RENTAL_CONFIG: '',
        RENTAL_LOG_LEVEL: 'info',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(out).toContain('another kiosk instance is running');
    expect(out).toContain('QUIT');
  });

  it('packs with electron-builder: app.asar holds the bundles, natives unpacked, fuses burnt in', async () => {
    // A stand-in Electron binary: just the fuse wire (sentinel, version 1, 9 fuses, all flipped
    // the wrong way) so that electron-builder's fuse step has something real to rewrite.
    const dist = join(base, 'electron-dist');
    mkdirSync(join(dist, 'resources'), { recursive: true });
    const sentinel = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX');
    writeFileSync(
      join(dist, 'electron'),
      Buffer.concat([sentinel, Buffer.from([1, 9]), Buffer.from('101101111')]),
    );
    // The native modules as electron-builder would have installed them in dist/app; the rebuild
    // for Electron's ABI is skipped here (it downloads Electron's headers).
    for (const m of ['better-sqlite3', 'bindings', 'file-uri-to-path'])
      cpSync(join('node_modules', m), join(outDir, 'node_modules', m), { recursive: true });
    const pkgFile = join(outDir, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    pkg.dependencies = { 'better-sqlite3': pkg.dependencies['better-sqlite3'] };
    writeFileSync(pkgFile, JSON.stringify(pkg));
    const out = join(base, 'packages');
    execFileSync(
      resolve('node_modules/.bin/electron-builder'),
      [
        ...['--config', 'electron-builder.yml', '--linux', 'dir', '--x64'],
        `-c.directories.app=${outDir}`,
        `-c.directories.output=${out}`,
        `-c.electronDist=${dist}`,
        '-c.electronVersion=39.8.10',
        '-c.npmRebuild=false',
      ],
      { stdio: 'pipe', timeout: 120_000 },
    );
    const resources = join(out, 'linux-unpacked/resources');
    const req = createRequire(import.meta.url);
    const asar = req('@electron/asar') as { listPackage(path: string): string[] };
    const files = asar.listPackage(join(resources, 'app.asar'));
    expect(files).toEqual(
      expect.arrayContaining([
        '/package.json',
        '/main/main.cjs',
        '/main/preload.cjs',
        '/renderer/index.html',
      ]),
    );
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(
      existsSync(
        join(resources, 'app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
      ),
    ).toBe(true);
    expect(existsSync(join(resources, 'examples/rental-kiosk.service'))).toBe(true);
    const { getCurrentFuseWire, FuseV1Options } = req('@electron/fuses') as typeof Fuses;
    const wire = await getCurrentFuseWire(join(out, 'linux-unpacked/rental-kiosk'));
    const fuse = (option: number) => String.fromCharCode(wire[option as keyof typeof wire] as number);
    expect(fuse(FuseV1Options.RunAsNode)).toBe('0');
    expect(fuse(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe('0');
    expect(fuse(FuseV1Options.EnableNodeCliInspectArguments)).toBe('0');
    expect(fuse(FuseV1Options.OnlyLoadAppFromAsar)).toBe('1');
    expect(fuse(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe('0');
  }, 120_000);
});
