/** src-renderer/keyboard/hangul-input.ts: 두벌식 composition for the on-screen keyboard. */
import fc from 'fast-check';
import { disassemble } from 'es-hangul';
import { describe, expect, it } from 'vitest';
import { backspace, typeAll, typeKey } from '../../../src-renderer/keyboard/hangul-input.ts';

describe('Hangul input', () => {
  it.each([
    [['ㄱ', 'ㅣ', 'ㅁ'], '김'],
    [['ㄱ', 'ㅣ', 'ㅁ', 'ㅣ'], '기미'],
    [['ㅁ', 'ㅣ', 'ㄴ', 'ㅈ', 'ㅜ', 'ㄴ'], '민준'],
    [['ㅇ', 'ㅗ', 'ㅏ'], '와'],
    [['ㄷ', 'ㅏ', 'ㄹ', 'ㄱ'], '닭'],
    [['ㄲ', 'ㅏ', 'ㅊ', 'ㅣ'], '까치'],
    [['k', 'i', 'm', ' ', 'ㄱ', 'ㅣ', 'ㅁ'], 'kim 김'],
    [['1', '2', 'ㄱ'], '12ㄱ'],
    [['ㄱ', 'ㄱ'], 'ㄱㄱ'],
  ])('%j -> %s', (keys, text) => expect(typeAll('', keys)).toBe(text));

  it('backspace takes away one jamo, then one character', () => {
    expect(backspace('김')).toBe('기');
    expect(backspace('기')).toBe('ㄱ');
    expect(backspace('ㄱ')).toBe('');
    expect(backspace('닭')).toBe('달');
    expect(backspace('와')).toBe('오');
    expect(backspace('kim')).toBe('ki');
    expect(backspace('')).toBe('');
  });

  it('only the last syllable is recomposed', () => {
    // 민 + ㅈ is 믽 (a double final) until a vowel takes the ㅈ: as a Korean keyboard does.
    expect(typeKey('김민', 'ㅈ')).toBe('김믽');
    expect(typeKey('김믽', 'ㅜ')).toBe('김민주');
    expect(typeKey('가나', 'ㅏ')).toBe('가나ㅏ');
  });

  const syllable = fc.integer({ min: 0xac00, max: 0xd7a3 }).map((c) => String.fromCharCode(c));
  const word = fc.array(syllable, { minLength: 1, maxLength: 6 }).map((a) => a.join(''));

  it('typing a word jamo by jamo gives the word (the 두벌식 round trip)', () => {
    fc.assert(
      fc.property(word, (w) => {
        // A syllable with no final consonant followed by one that starts with ㅇ... is still
        // exact: every syllable starts with a consonant, so the split is never ambiguous.
        expect(typeAll('', [...disassemble(w)])).toBe(w);
      }),
      { numRuns: 500 },
    );
  });

  it('backspace undoes each jamo typed, back to where it started', () => {
    fc.assert(
      fc.property(word, fc.string({ maxLength: 3 }), (w, before) => {
        const jamo = [...disassemble(w)];
        let text = typeAll(before, jamo);
        for (let i = 0; i < jamo.length; i++) text = backspace(text);
        expect(text).toBe(before);
      }),
      { numRuns: 300 },
    );
  });
});
