/**
 * Real Chromium for UI tests (playwright-core driving Debian's /usr/bin/chromium), with the
 * launch flags that work on this project's machines (shared/recipes/browser-tests.md).
 *
 * Missing Chromium: suites are skipped with a one-line reason, except under RENTAL_CI=1
 * where they must fail instead (CI installs it, so absence there is a real fault).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Null when the suite may run; otherwise why it is skipped. Throws under RENTAL_CI=1. */
export function chromiumSkipReason(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`;
  if (process.env.RENTAL_CI === '1') throw new Error(`RENTAL_CI=1 and ${reason}`);
  console.warn(`skipped: ${reason}`);
  return reason;
}

export type LaunchedBrowser = { browser: Browser; close: () => Promise<void> };

/** Playwright gives every launch a fresh, empty profile directory of its own. */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

/** The kiosk's three target panels. */
export const VIEWPORTS = {
  pi7: { width: 800, height: 480 },
  landscape: { width: 1280, height: 800 },
  portrait: { width: 1080, height: 1920 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

export const ARTIFACTS_DIR = join(import.meta.dirname, '..', 'artifacts');
