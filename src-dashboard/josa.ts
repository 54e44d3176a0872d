/**
 * Korean particles that depend on the word before them (을/를, 이/가, (으)로): a name or value
 * filled into a sentence takes the one that fits its last sound. Hangul syllables carry it
 * (a final consonant or not; ㄹ takes 로). Item names often end in digits or Latin words
 * ("멀티미터 Multimeter", "MacBook Air 13"), which a Korean reader says aloud, so those are
 * read the way they would be spoken; see finalOfDigit and finalOfLatin for the rules.
 */

/** Final consonant indices (as in a Hangul syllable) that matter here: 0 none, 8 ㄹ. */
const NONE = 0;
const G = 1; // ㄱ
const N = 4; // ㄴ
const L = 8; // ㄹ
const M = 16; // ㅁ
const B = 17; // ㅂ
const NG = 21; // ㅇ

/**
 * A number is read in Sino-Korean and ends in its last digit's reading (13 십삼, 12.9 …구);
 * a trailing 0 ends in 영/십/백/천/만, all with a final consonant other than ㄹ.
 */
// 0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구
const DIGIT_FINAL = [NG, L, NONE, M, NONE, NONE, G, L, L, NONE];
/**
 * One digit glued to letters is a model code, said in English (Galaxy S9 에스나인, Sony A7
 * 에이세븐, ThinkPad X1 엑스원).
 */
// 0 제로, 1 원, 2 투, 3 쓰리, 4 포, 5 파이브, 6 식스, 7 세븐, 8 에이트, 9 나인
const ENGLISH_DIGIT_FINAL = [NONE, N, NONE, NONE, NONE, NONE, NONE, N, NONE, N];

/**
 * Letters read by their names, for acronyms and lone letters ("USB" 유에스비, "Tab S" 에스):
 * only L 엘, M 엠, N 엔 and R 알 end in a consonant.
 */
const LETTER_NAME_FINAL: Record<string, number> = { l: L, m: M, n: N, r: L };

/** Common words whose ending breaks the rules below. */
// 마이크; 탭, 웹, 랩 (-b after a short vowel is written ㅂ)
const WORD_FINAL: Record<string, number> = { mic: NONE, tab: B, web: B, lab: B };

const isVowel = (ch: string | undefined) => ch !== undefined && 'aeiou'.includes(ch);

/**
 * The last sound of an English word as written in Korean loanwords, by its ending:
 * -ng ㅇ (스트링); -l, -m, -n ㄹ/ㅁ/ㄴ, also before a silent e (케이블, 게임, 폰);
 * -k, -ck, -c and -p after one short vowel ㄱ/ㅂ (맥북, 스틱, 맥, 랩톱), as the loanword
 * spelling rules write them. Everything else ends in a vowel: -r is silent (멀티미터, 에어),
 * and -t, -d, -s, -x… take an added 으 (키트, 아이패드, 마우스). Words outside these rules
 * (태블릿, 헤드셋) are rare enough in names to accept.
 */
function finalOfWord(word: string): number {
  const w = word.toLowerCase();
  const known = WORD_FINAL[w];
  if (known !== undefined) return known;
  if (w.endsWith('ng')) return NG;
  // a silent e after a consonant leaves that consonant last (cable, game, phone)
  const core = w.length > 2 && w.endsWith('e') && !isVowel(w.at(-2)) ? w.slice(0, -1) : w;
  const last = core.at(-1)!;
  if (last === 'l') return L;
  if (last === 'm') return M;
  if (last === 'n') return N;
  if (core === w) {
    // one short vowel before (book 북 counts: oo is short there; speak 스피크 is not)
    const stem = last === 'k' && core.at(-2) === 'c' ? core.slice(0, -1) : core;
    const v = stem.at(-2);
    const shortVowel = isVowel(v) && (!isVowel(stem.at(-3)) || stem.slice(-3, -1) === 'oo');
    if (shortVowel && 'kc'.includes(last)) return G;
    if (shortVowel && last === 'p') return B;
  }
  return NONE;
}

/**
 * A run of Latin letters: a lone letter or an all-capital acronym is spelled out by letter
 * names (HDMI, USB, IV); anything else is read as an English word.
 */
function finalOfLatin(run: string): number {
  if (run.length === 1 || (run === run.toUpperCase() && run.length <= 5)) {
    return LETTER_NAME_FINAL[run.at(-1)!.toLowerCase()] ?? NONE;
  }
  return finalOfWord(run);
}

/** The final consonant of the last sounded part of a word (skipping quotes, brackets, spaces). */
function lastSound(word: string): number {
  const m = /([\p{L}\p{N}])[^\p{L}\p{N}]*$/u.exec(word);
  if (!m) return NONE;
  const ch = m[1]!;
  const code = ch.charCodeAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) return (code - 0xac00) % 28;
  const digit = '0123456789'.indexOf(ch);
  if (digit >= 0) {
    const modelCode = /[A-Za-z]\d$/.test(word.slice(0, m.index + 1));
    return (modelCode ? ENGLISH_DIGIT_FINAL : DIGIT_FINAL)[digit]!;
  }
  const latin = /[A-Za-z]+$/.exec(word.slice(0, m.index + 1));
  return latin ? finalOfLatin(latin[0]) : NONE;
}

const pick = (word: string, withFinal: string, without: string) =>
  lastSound(word) > 0 ? withFinal : without;

/** word + 을/를 */
export const eul = (word: string) => word + pick(word, '을', '를');
/** word + 이/가 */
export const iGa = (word: string) => word + pick(word, '이', '가');
/** word + 으로/로 (로 after ㄹ too) */
export const ro = (word: string) => {
  const f = lastSound(word);
  return word + (f > 0 && f !== L ? '으로' : '로');
};
