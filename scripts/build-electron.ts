/**
 * `npm run build:main`: turns the TypeScript kiosk (run by tsx in development) into the
 * Electron app directory that electron-builder packs (`directories.app` in electron-builder.yml):
 *
 *   dist/app/package.json      name, version, main, and only the native modules as dependencies
 *   dist/app/main/main.cjs     main process: src-main/electron/main.ts + core + protocol, bundled
 *   dist/app/main/preload.cjs  the sandboxed preload, one self-contained CommonJS file
 *   dist/app/renderer/**       copy of dist/renderer (`npm run build:renderer` first)
 *
 * Why a separate app directory: electron-builder rebuilds native modules for Electron's ABI
 * *in the app directory's node_modules*. Were that the repository root, the rebuild would
 * replace the Node-ABI better-sqlite3 that vitest and tsx load. With dist/app, electron-builder
 * installs the few native dependencies into dist/app/node_modules and rebuilds those; the
 * root node_modules stays Node's. (README: "Native modules: Node ABI vs Electron ABI".)
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');

/** Native modules stay out of the bundle: they are installed, rebuilt for Electron and unpacked from the asar. */
export const NATIVE_MODULES = ['better-sqlite3', '@pokusew/pcsclite', 'nfc-pcsc', 'epoll', 'onoff'];

/** Electron 39 ships Node 22 and Chromium 142. */
const NODE_TARGET = 'node22';
const CHROME_TARGET = 'chrome142';

type RootPackage = {
  version: string;
  description?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};

export async function buildElectronApp(opts: { outDir?: string; rendererDir?: string } = {}) {
  const outDir = resolve(opts.outDir ?? join(ROOT, 'dist/app'));
  const rendererDir = resolve(opts.rendererDir ?? join(ROOT, 'dist/renderer'));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'main'), { recursive: true });

  await build({
    entryPoints: [join(ROOT, 'src-main/electron/main.ts')],
    outfile: join(outDir, 'main/main.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: NODE_TARGET,
    external: ['electron', ...NATIVE_MODULES],
    define: { 'import.meta.dirname': '__dirname' },
    sourcemap: true,
    logLevel: 'warning',
  });
  // A sandboxed preload's `require` knows 'electron' and a few polyfills, nothing else:
  // everything it uses must be inside this one file.
  await build({
    entryPoints: [join(ROOT, 'src-main/electron/preload.ts')],
    outfile: join(outDir, 'main/preload.cjs'),
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: CHROME_TARGET,
    external: ['electron'],
    logLevel: 'warning',
  });

  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as RootPackage;
  const declared = { ...root.optionalDependencies, ...root.dependencies };
  const natives = NATIVE_MODULES.filter((m) => declared[m]);
  const app = {
    name: 'rental-kiosk',
    productName: 'Rental Kiosk',
    version: root.version,
    description: root.description ?? 'Badge-tap equipment rental kiosk',
    main: 'main/main.cjs',
    license: 'UNLICENSED',
    // Exactly the versions vitest runs against, not whatever the range resolves to today.
    dependencies: Object.fromEntries(natives.map((m) => [m, installedVersion(m) ?? declared[m]!])),
    allowScripts: Object.fromEntries(natives.map((m) => [m, true])),
  };
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(app, null, 2)}\n`);

  const hasRenderer = existsSync(join(rendererDir, 'index.html'));
  if (hasRenderer) cpSync(rendererDir, join(outDir, 'renderer'), { recursive: true });
  return { outDir, natives, hasRenderer };
}

function installedVersion(name: string): string | undefined {
  const file = join(ROOT, 'node_modules', name, 'package.json');
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
    : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await buildElectronApp();
  console.log(
    `electron app built in ${result.outDir} (native modules: ${result.natives.join(', ') || 'none'})`,
  );
  if (!result.hasRenderer) {
    console.error(
      'warning: dist/renderer/index.html is missing; run `npm run build:renderer` before packaging',
    );
    process.exitCode = 1;
  }
}
