/**
 * Korean particles that depend on the word before them (을/를, 이/가, (으)로): a name or value
 * filled into a sentence takes the one that fits its last sound. Hangul syllables carry it
 * (a final consonant or not; ㄹ takes 로); digits and Latin letters are read aloud as a
 * Korean reader would (1 일, 3 삼, camera -> 카메라…) closely enough for the common cases.
 */

/** The final consonant index of a Hangul syllable (0 none, 8 ㄹ), or null for other characters. */
function finalOf(ch: string): number | null {
  const code = ch.charCodeAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) return (code - 0xac00) % 28;
  // 0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구
  const digit = '0123456789'.indexOf(ch);
  if (digit >= 0) return [21, 8, 0, 16, 0, 0, 1, 8, 8, 0][digit]!;
  // Latin: read by the letter's name or the word's last sound (l -> 엘, m -> 엠, n -> 엔, r -> 알)
  const lower = ch.toLowerCase();
  if ('lr'.includes(lower)) return 8;
  if ('mn'.includes(lower)) return 4;
  return null;
}

/** The last character that is sounded (skipping quotes, brackets and spaces). */
function lastSound(word: string): number | null {
  const m = /[\p{L}\p{N}](?=[^\p{L}\p{N}]*$)/u.exec(word);
  return m ? finalOf(m[0]) : null;
}

const pick = (word: string, withFinal: string, without: string) =>
  (lastSound(word) ?? 0) > 0 ? withFinal : without;

/** word + 을/를 */
export const eul = (word: string) => word + pick(word, '을', '를');
/** word + 이/가 */
export const iGa = (word: string) => word + pick(word, '이', '가');
/** word + 으로/로 (로 after ㄹ too) */
export const ro = (word: string) => {
  const f = lastSound(word) ?? 0;
  return word + (f > 0 && f !== 8 ? '으로' : '로');
};
