/** The lint rule that keeps raw ipcMain/ipcRenderer inside the two IPC binding helpers. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(
  code: string,
  filePath: string,
  rule = 'no-restricted-imports',
): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === rule).map((m) => m.message);
}

describe('raw IPC imports', () => {
  it.each([
    "import { ipcMain } from 'electron';",
    "import { app, ipcRenderer } from 'electron';",
    "import { ipcMain } from 'electron/main';",
    "import { ipcRenderer } from 'electron/renderer';",
    "import * as electron from 'electron';",
  ])('are refused elsewhere in the shell: %s', async (line) => {
    const messages = await restrictedImports(`${line}\nexport const x = 1;\n`, 'src-main/electron/shell.ts');
    expect(messages.join('\n')).toMatch(/ipc-main\.ts and preload\.ts only/);
  });

  it('are allowed in ipc-main.ts and preload.ts', async () => {
    expect(
      await restrictedImports(
        "import { ipcMain } from 'electron';\nexport { ipcMain };\n",
        'src-main/electron/ipc-main.ts',
      ),
    ).toEqual([]);
    expect(
      await restrictedImports(
        "import { ipcRenderer } from 'electron';\nexport { ipcRenderer };\n",
        'src-main/electron/preload.ts',
      ),
    ).toEqual([]);
  });

  it('leave the rest of electron to the shell', async () => {
    expect(
      await restrictedImports(
        "import { app } from 'electron';\nexport { app };\n",
        'src-main/electron/shell.ts',
      ),
    ).toEqual([]);
  });

  it('and electron stays out of the core entirely', async () => {
    const messages = await restrictedImports(
      "import { ipcMain } from 'electron';\nexport { ipcMain };\n",
      'src-main/core/x.ts',
      'layers/layer-imports', // the core's allow-list does not name electron (eslint.config.js)
    );
    expect(messages.join('\n')).toMatch(/src-main\/core\/ .* may not import 'electron'/);
  });
});
