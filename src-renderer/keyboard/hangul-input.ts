/**
 * What one key of the on-screen keyboard does to a search text: a Hangul jamo joins the last
 * syllable as a 두벌식 input method would (ㄱ ㅣ ㅁ -> 김, 김 + ㅣ -> 기미, 오 + ㅏ -> 와), any
 * other character is appended, and backspace takes away one jamo (김 -> 기) or one character.
 * The composition itself is es-hangul's (assemble, removeLastCharacter): pure, no DOM.
 */
import { assemble, disassemble, removeLastCharacter } from 'es-hangul';

const JAMO = /^[\u3131-\u3163]$/;
const SYLLABLE_OR_JAMO = /^[\uAC00-\uD7A3\u3131-\u3163]$/;

export function typeKey(text: string, key: string): string {
  const chars = [...text];
  const last = chars.at(-1);
  if (!JAMO.test(key) || last === undefined || !SYLLABLE_OR_JAMO.test(last)) return text + key;
  // Only the last syllable is recomposed: what was typed before it stays as it was.
  return chars.slice(0, -1).join('') + assemble([...disassemble(last), key]);
}

export function backspace(text: string): string {
  return text === '' ? '' : removeLastCharacter(text);
}

/** Typing a string key by key (tests, and a scanner typed into the field). */
export function typeAll(text: string, keys: Iterable<string>): string {
  let out = text;
  for (const k of keys) out = typeKey(out, k);
  return out;
}
