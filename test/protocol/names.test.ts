/** protocol/names.ts: the first name a kiosk may say to someone else. */
import { describe, expect, it } from 'vitest';
import { firstName } from '../../protocol/names.ts';

describe('firstName', () => {
  it.each([
    ['김민준', '민준'],
    ['이서연', '서연'],
    ['박지훈', '지훈'],
    ['김철', '철'],
    ['남궁민수', '민수'],
    ['황보혜정', '혜정'],
    ['김 민준', '민준'],
    ['  최유나  ', '유나'],
    ['Alex Kim', 'Alex'],
    ['Jean-Luc Picard', 'Jean-Luc'],
    ['Madonna', 'Madonna'],
    ['관리자 Admin', '관리자'],
  ])('%s -> %s', (name, first) => expect(firstName(name)).toBe(first));

  it('never gives back the whole of a Korean name of three syllables or more', () => {
    for (const name of ['김민준', '선우정아', '제갈공명']) expect(firstName(name)).not.toBe(name);
  });

  it('an empty name stays empty', () => expect(firstName('   ')).toBe(''));
});
