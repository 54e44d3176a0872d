/**
 * The kiosk core's public surface (STYLE.md rule 13): composition roots — the Electron
 * main, the web host, scripts/ — import src-main/core/index.ts and nothing else of the
 * core; lint refuses the rest. Real code linted as if it sat at a real path.
 */
import { ESLint } from 'eslint';
import { expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

it.each([
  ['src-main/web-host/main.ts', '../core/load-config.ts'],
  ['src-main/electron/main.ts', '../core/create-kiosk.ts'],
  ['src-main/electron/shell.ts', '../core/ports.ts'],
  ['scripts/tap.ts', '../src-main/core/load-config.ts'],
  ['scripts/start.ts', '../src-main/core/session/machine.ts'],
])('%s may not reach into the core: %s', async (file, source) => {
  const found = await problems(file, `import * as core from '${source}';\nexport const c = core;`);
  expect(found).toHaveLength(1);
  expect(found[0]).toMatch(/^(layers\/layer-imports|no-restricted-imports): .*src-main\/core\/index\.ts/);
});

it.each([
  ['src-main/web-host/main.ts', '../core/index.ts'],
  ['src-main/electron/main.ts', '../core/index.ts'],
  ['scripts/tap.ts', '../src-main/core/index.ts'],
])('%s imports the core through its index', async (file, source) => {
  expect(await problems(file, `import * as core from '${source}';\nexport const c = core;`)).toEqual([]);
});
