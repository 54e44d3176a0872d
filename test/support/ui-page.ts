/**
 * Page-level checks shared by the renderer and e2e suites: screenshots, touch-target
 * sizes, overflow, and "no stack trace on screen".
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS_DIR } from './chromium.ts';

export async function shot(page: Page, suite: string, name: string): Promise<string> {
  const dir = join(ARTIFACTS_DIR, suite);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Visible buttons and inputs smaller than 48 CSS px in either direction, described. The size is
 * the laid-out box, not the painted one: a button just touched keeps `:active` in Chromium until
 * the next touch elsewhere, and its press feedback (`scale(0.97)`) would read as 47 px.
 */
export async function smallTargets(page: Page, min = 48): Promise<string[]> {
  return page.evaluate((minPx) => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('button, input, [role="button"], a[href]')) {
      const { width, height } = el.getBoundingClientRect();
      if (width === 0 || height === 0) continue; // not rendered
      const w = el.offsetWidth;
      const h = el.offsetHeight;
      // Rounding: layout may yield 47.99 for a 48 px min-height (offset sizes are whole pixels).
      if (w < minPx - 0.5 || h < minPx - 0.5)
        out.push(
          `${el.tagName} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim()}" ${w}x${h}`,
        );
    }
    return out;
  }, min);
}

/** Buttons a screen reader could not name. */
export async function unlabelledButtons(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('button')]
      .filter((b) => !(b.getAttribute('aria-label') ?? b.textContent ?? '').trim())
      .map((b) => b.outerHTML.slice(0, 80)),
  );
}

/** True when the page scrolls sideways or the document is taller than the screen. */
export async function overflows(page: Page): Promise<{ x: boolean; y: boolean }> {
  return page.evaluate(() => {
    const d = document.documentElement;
    return { x: d.scrollWidth > d.clientWidth + 1, y: d.scrollHeight > d.clientHeight + 1 };
  });
}

/**
 * Text that looks like a stack trace or a raw error code on screen. `allowed`: names a page
 * must show on purpose (a server setting the admin is told to set), left out of the check.
 */
export async function leakedInternals(page: Page, allowed: readonly string[] = []): Promise<string | null> {
  let text = await page.evaluate(() => document.body.innerText);
  for (const a of allowed) text = text.split(a).join('');
  const m = /(\bat \S+ \(|Error:|TypeError|ReferenceError|\b[A-Z]+_[A-Z_]{3,}\b|undefined|\[object )/.exec(
    text,
  );
  return m ? m[0] : null;
}
