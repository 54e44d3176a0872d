/**
 * Pure lookup and formatting: a message key or error code plus a language gives words.
 * Kept apart from React so tests and non-React code (document title, aria) use the same path.
 */
import { isErrorCode } from '../../protocol/errors.ts';
import { ERROR_WORDS, MESSAGES, type Lang, type MessageKey } from './messages.ts';

export type Vars = Readonly<Record<string, string | number>>;

/** Replace {name} placeholders; a missing variable stays visible rather than vanishing silently. */
export function interpolate(template: string, vars: Vars = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : whole,
  );
}

/**
 * A message may have plural forms, `one|other` ("{n} day|{n} days"), chosen by the
 * language's plural rule for `vars.n`; Korean needs only one form.
 */
export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const template = MESSAGES[key][lang];
  const forms = template.split('|');
  const n = vars?.n;
  const form =
    forms.length > 1 && typeof n === 'number'
      ? forms[new Intl.PluralRules(LOCALE[lang]).select(n) === 'one' ? 0 : forms.length - 1]!
      : forms.at(-1)!;
  return interpolate(form, vars);
}

/** Words for any code; anything that is not a known code reads as the generic apology. */
export function errorWords(lang: Lang, code: unknown): string {
  return ERROR_WORDS[isErrorCode(code) ? code : 'INTERNAL'][lang];
}

const LOCALE: Record<Lang, string> = { ko: 'ko-KR', en: 'en-GB' };

export function formatDate(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { month: 'short', day: 'numeric', weekday: 'short' }).format(
    new Date(iso),
  );
}

export function formatTime(lang: Lang, date: Date): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { hour: '2-digit', minute: '2-digit' }).format(date);
}

export function formatDateTime(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(LOCALE[lang], {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}
