/**
 * WCAG AA for the kiosk's colour pairs: every text colour against the background it is
 * used on (styles.css), read from the stylesheet's own custom properties.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../../src-renderer/styles.css', import.meta.url), 'utf8');
const vars = new Map([...css.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)].map((m) => [m[1]!, m[2]!]));

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** [text, background] as used in styles.css. */
const PAIRS: Array<[string, string]> = [
  ['text', 'bg'],
  ['text', 'surface'],
  ['muted', 'bg'],
  ['muted', 'surface'],
  ['bar-text', 'bar-bg'],
  ['primary-text', 'primary'],
  ['accent-text', 'accent'],
  ['danger-text', 'danger'],
  ['ok-text', 'ok'],
  ['warn-text', 'warn-bg'],
  ['ok-bg-text', 'ok-bg'],
  ['neutral-text', 'neutral-bg'],
  ['text', 'chosen-bg'],
  ['muted', 'chosen-bg'],
  ['blocked-text', 'blocked-bg'],
  ['blocked-text', 'surface'],
  ['danger', 'surface'],
  ['primary', 'bg'],
];

describe('colour contrast (WCAG AA, 4.5:1 for text)', () => {
  it('reads every colour it checks from the stylesheet', () => {
    for (const [fg, bg] of PAIRS) {
      expect(vars.get(fg), fg).toMatch(/^#/);
      expect(vars.get(bg), bg).toMatch(/^#/);
    }
  });

  for (const [fg, bg] of PAIRS) {
    it(`${fg} on ${bg}`, () => {
      expect(contrast(vars.get(fg)!, vars.get(bg)!)).toBeGreaterThanOrEqual(4.5);
    });
  }

  it('computes known ratios', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 1);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 1);
  });
});
