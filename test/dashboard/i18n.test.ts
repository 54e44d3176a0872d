import { describe, expect, it } from 'vitest';
import { ALL_ERROR_CODES } from '../../protocol/errors.ts';
import { ERROR_WORDS, LANGS, MESSAGES, errorWords, translate } from '../../src-dashboard/i18n.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dashboard words', () => {
  it('has both languages, non-empty, with the same placeholders, for every key', () => {
    for (const [key, words] of Object.entries(MESSAGES)) {
      for (const lang of LANGS) expect(words[lang].trim(), `${key}.${lang}`).toBeTruthy();
      expect(placeholders(words.ko), key).toEqual(placeholders(words.en));
    }
  });

  it('has words in both languages for every error code', () => {
    expect(Object.keys(ERROR_WORDS).sort()).toEqual([...ALL_ERROR_CODES].sort());
    for (const code of ALL_ERROR_CODES)
      for (const lang of LANGS) expect(ERROR_WORDS[code][lang].trim(), `${code}.${lang}`).toBeTruthy();
  });

  it('never shows a raw code: unknown codes become the generic apology', () => {
    expect(errorWords('en', { code: 'NO_SUCH_CODE' })).toBe(ERROR_WORDS.INTERNAL.en);
    expect(errorWords('ko', new Error('boom'))).toBe(ERROR_WORDS.INTERNAL.ko);
    expect(errorWords('ko', { code: 'FORBIDDEN' })).toBe(ERROR_WORDS.FORBIDDEN.ko);
    expect(translate('en', 'onLoanTo', { name: '한지민' })).toBe('With 한지민');
  });
});
