/**
 * electron-builder.yml checked against electron-builder's own configuration schema (the file
 * it validates with at packaging time), plus the settings the kiosk depends on, and the
 * autostart files shipped next to it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// Loaded untyped: @types/js-yaml would be one more package for every worktree to install.
const yaml = require('js-yaml') as { load(text: string): unknown };
/** The parts of the configuration these tests read. */
type BuilderConfig = {
  executableName: string;
  directories: { app: string };
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  buildDependenciesFromSource: boolean;
  electronFuses: Record<string, boolean>;
  linux: { target: unknown; extraResources: Array<{ filter: string[] }> };
  deb: { depends: string[] };
};
const config = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;
const validate = new Ajv({ allErrors: true, strict: false }).compile(require('app-builder-lib/scheme.json'));

describe('electron-builder.yml', () => {
  it("validates against electron-builder's configuration schema", () => {
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('is refused by the same schema when a key is misspelled (the check has teeth)', () => {
    expect(validate({ ...config, electronFuse: { runAsNode: false } })).toBe(false);
    expect(validate({ ...config, electronFuses: { runAsNod: false } })).toBe(false);
  });

  it("passes electron-builder's own validateConfiguration", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    await expect(
      validateConfiguration(structuredClone(config), new DebugLogger(false)),
    ).resolves.toBeUndefined();
  });

  it('builds .deb packages for arm64 and x64 from the staged app directory', () => {
    expect(config.linux.target).toEqual([{ target: 'deb', arch: ['arm64', 'x64'] }]);
    expect(config.directories.app).toBe('dist/app');
    expect(config.files).toEqual(
      expect.arrayContaining(['package.json', 'main/**', 'renderer/**', 'node_modules/**']),
    );
    expect(config.deb.depends).toEqual(
      expect.arrayContaining(['pcscd', 'libpcsclite1', 'libnss3', 'libgtk-3-0']),
    );
  });

  it('unpacks and rebuilds the native modules for Electron', () => {
    expect(config.asar).toBe(true);
    for (const pattern of [
      '**/*.node',
      'node_modules/better-sqlite3/**',
      'node_modules/@pokusew/pcsclite/**',
      'node_modules/epoll/**',
    ])
      expect(config.asarUnpack).toContain(pattern);
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(true);
  });

  it('sets the Electron fuses: no run-as-node, no NODE_OPTIONS, no inspect arguments, app only from asar', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('ships the autostart examples, and they start the installed executable', () => {
    const filter = config.linux.extraResources[0]!.filter;
    const unit = readFileSync('build/linux/rental-kiosk.service', 'utf8');
    const autostart = readFileSync('build/linux/labwc-autostart.example', 'utf8');
    expect(filter).toEqual(
      expect.arrayContaining([
        'rental-kiosk.service',
        'labwc-autostart.example',
        'rental.config.example.json',
      ]),
    );
    expect(unit).toMatch(new RegExp(`^ExecStart=/usr/bin/${config.executableName} `, 'm'));
    expect(unit).toMatch(/^Restart=always$/m);
    expect(autostart).toMatch(/systemctl --user start rental-kiosk\.service/);
    const example = JSON.parse(readFileSync('build/linux/rental.config.example.json', 'utf8'));
    expect(example.kiosk).toHaveProperty('disableGpu', false);
  });
});
