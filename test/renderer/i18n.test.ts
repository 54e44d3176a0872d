import { describe, expect, it } from 'vitest';
import { ALL_ERROR_CODES } from '../../protocol/errors.ts';
import { ERROR_WORDS, LANGS, MESSAGES } from '../../src-renderer/i18n/messages.ts';
import { errorWords, interpolate, translate } from '../../src-renderer/i18n/translate.ts';

/** The set of placeholders a message uses, over all its plural forms. */
const placeholders = (s: string | undefined) =>
  [...new Set([...(s ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('i18n table', () => {
  it('has non-empty words in every language for every key', () => {
    for (const [key, words] of Object.entries(MESSAGES)) {
      for (const lang of LANGS) {
        expect(typeof (words as Record<string, unknown>)[lang], `${key}.${lang}`).toBe('string');
        expect((words as Record<string, string>)[lang]?.trim(), `${key}.${lang}`).toBeTruthy();
      }
      expect(Object.keys(words).sort(), key).toEqual([...LANGS].sort());
    }
  });

  it('uses the same placeholders in both languages', () => {
    for (const [key, words] of Object.entries(MESSAGES)) {
      const [first, ...rest] = LANGS.map((l) =>
        placeholders((words as Record<string, string | undefined>)[l]),
      );
      for (const other of rest) expect(other, key).toEqual(first);
    }
  });

  it('has words in both languages for every error code in protocol/errors.ts', () => {
    for (const code of ALL_ERROR_CODES) {
      for (const lang of LANGS) {
        expect(ERROR_WORDS[code]?.[lang]?.trim(), `${code}.${lang}`).toBeTruthy();
      }
    }
    expect(Object.keys(ERROR_WORDS).sort()).toEqual([...ALL_ERROR_CODES].sort());
  });

  it('never shows a raw code or stack for an unknown code', () => {
    expect(errorWords('en', 'NO_SUCH_CODE')).toBe(ERROR_WORDS.INTERNAL.en);
    expect(errorWords('ko', new Error('boom'))).toBe(ERROR_WORDS.INTERNAL.ko);
  });

  it('interpolates variables and leaves unknown placeholders visible', () => {
    expect(translate('en', 'hello', { name: 'Yuna' })).toBe('Hello, Yuna');
    expect(translate('ko', 'hello', { name: '최유나' })).toBe('최유나님, 안녕하세요');
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it('chooses the plural form by the language rule ("1 day", "7 days"; Korean has one form)', () => {
    expect(translate('en', 'loanDays', { n: 1 })).toBe('1 day');
    expect(translate('en', 'loanDays', { n: 7 })).toBe('7 days');
    expect(translate('en', 'loanDays', { n: 0 })).toBe('0 days');
    expect(translate('ko', 'loanDays', { n: 1 })).toBe('1일');
    expect(translate('en', 'needsAttention', { n: 1 })).toBe('1 needs attention (dashboard)');
    // No message shows the raw form separator.
    for (const n of [0, 1, 2])
      for (const key of Object.keys(MESSAGES) as (keyof typeof MESSAGES)[])
        for (const lang of ['ko', 'en'] as const) expect(translate(lang, key, { n })).not.toContain('|');
  });
});
