/**
 * The house rules lint checks (eslint.config.js, lint/): each layer imports only what it
 * names, a folder no layer names is refused, core logic takes no ambient time, tests mock
 * only electron, and no module reaches itself at run time. Each case is real code linted as
 * if it sat at a real path of this repository.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer allow-lists', () => {
  it.each([
    ['src-renderer/App.tsx', "import { createHash } from 'node:crypto';"],
    ['src-renderer/App.tsx', "import { jwtVerify } from 'jose';"],
    ['src-renderer/App.tsx', "import { writeFileDurably } from '../protocol/node/durable-file.ts';"],
    ['src-renderer/App.tsx', "import { createKioskCore } from '../src-main/core/kiosk-core.ts';"],
    ['src-dashboard/main.tsx', "import { openStore } from '../server/store/store.ts';"],
    ['src-main/core/kiosk-core.ts', "import { createApp } from '../../server/app.ts';"],
    ['src-main/core/kiosk-core.ts', "import { app } from 'electron';"],
    ['hardware/badge-hub.ts', "import { createOutbox } from '../src-main/core/outbox/outbox.ts';"],
    ['protocol/lending.ts', "import { readFileSync } from 'node:fs';"],
    ['protocol/lending.ts', "import pg from 'pg';"],
    ['server/app.ts', "import { BadgeHub } from '../hardware/badge-hub.ts';"],
  ])('%s may not: %s', async (file, code) => {
    const found = (await problems(file, code)).filter((m) => m.startsWith('layers/'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^layers\/layer-imports: .* may not import '.*'( \([^)]*\))?\. It may import only: /,
    );
  });

  it('allows what each layer names', async () => {
    expect(
      await problems('src-renderer/App.tsx', "import { useState } from 'react';\nexport const x = useState;"),
    ).toEqual([]);
    expect(
      await problems(
        'src-main/core/kiosk-core.ts',
        "import Database from 'better-sqlite3';\nexport const d = Database;",
      ),
    ).toEqual([]);
  });

  it('refuses a dynamic import it cannot check, and checks a literal one', async () => {
    expect(
      await problems('src-renderer/App.tsx', 'export const load = (name: string) => import(name);'),
    ).toEqual([expect.stringMatching(/must name a literal module/)]);
    expect(await problems('src-renderer/App.tsx', "export const load = () => import('node:fs');")).toEqual([
      expect.stringMatching(/may not import 'node:fs'/),
    ]);
  });

  it('refuses a folder no layer names', async () => {
    expect(await problems('src-main/updater/check.ts', 'export const x = 1;')).toEqual([
      expect.stringMatching(/src-main\/updater\/check\.ts is in no layer/),
    ]);
  });
});

describe('STYLE.md rules that lint now checks', () => {
  it('core logic takes time from the injected clock and timers from the port', async () => {
    const found = await problems(
      'src-main/core/kiosk-core.ts',
      'export const a = Date.now();\nexport const b = new Date();\nsetTimeout(() => {}, 1);\nexport const c = new Date(0);',
    );
    expect(found).toEqual([
      expect.stringMatching(/Date\.now.*injected clock/),
      expect.stringMatching(/injected clock/),
      expect.stringMatching(/setTimeout.*injected port/),
    ]);
  });

  it('tests mock only electron', async () => {
    const found = await problems(
      'test/lint/house-rules.test.ts',
      "import { vi } from 'vitest';\nvi.mock('electron');\nvi.mock('electron/main');\nvi.mock('../../server/app.ts');",
    );
    expect(found).toEqual([expect.stringMatching(/vi\.mock is for electron only/)]);
  });

  it('no module reaches itself at run time (type-only imports are erased and allowed)', async () => {
    // protocol/index.ts re-exports clock.ts, so clock.ts importing the index closes a circle.
    expect(
      await problems('protocol/clock.ts', "import { DAY_MS } from './index.ts';\nexport const d = DAY_MS;"),
    ).toEqual([
      expect.stringMatching(
        /^cycles\/no-import-cycle: import cycle: protocol\/clock\.ts -> protocol\/index\.ts -> protocol\/clock\.ts$/,
      ),
    ]);
    expect(
      await problems('protocol/clock.ts', "import type { Role } from './index.ts';\nexport type R = Role;"),
    ).toEqual([]);
  });
});
