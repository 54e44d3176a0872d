/**
 * A person's first name, as a kiosk may say it to someone else ("민준 님이 빌린 물품"): enough
 * to hand an item back to a colleague, not their whole name on a shared screen.
 *
 * Korean names are written family name first with no space: the given name is what follows a
 * one-syllable family name (김민준 -> 민준), or a two-syllable one for the few common ones in a
 * four-syllable name (남궁민수 -> 민수). Other names: the first word (Alex Kim -> Alex).
 */
const HANGUL = /^[\uAC00-\uD7A3]+$/;
const TWO_SYLLABLE_FAMILY = ['남궁', '황보', '제갈', '선우', '독고', '사공', '서문', '동방'];

export function firstName(displayName: string): string {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '';
  // "김 민준": a family name written apart.
  if (words.length === 2 && HANGUL.test(first) && first.length === 1 && HANGUL.test(words[1]!))
    return words[1]!;
  // One word of Hangul: a Korean name written whole. Several words: the first is the name
  // ("관리자 Admin" is a label, not 관 + 리자).
  if (words.length === 1 && HANGUL.test(first)) {
    if (first.length === 4 && TWO_SYLLABLE_FAMILY.includes(first.slice(0, 2))) return first.slice(2);
    if (first.length >= 2 && first.length <= 4) return first.slice(1);
  }
  return first;
}
