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

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  return interpolate(MESSAGES[key][lang], vars);
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
