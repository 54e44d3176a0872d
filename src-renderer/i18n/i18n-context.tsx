/** The current language for the component tree, and a `t` bound to it. */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { ErrorCode } from '../../protocol/errors.ts';
import type { Lang, MessageKey } from './messages.ts';
import { errorWords, formatDate, formatDateTime, formatTime, translate, type Vars } from './translate.ts';

export type I18n = {
  lang: Lang;
  t: (key: MessageKey, vars?: Vars) => string;
  err: (code: ErrorCode | string | null | undefined) => string;
  date: (iso: string) => string;
  dateTime: (iso: string) => string;
  time: (date: Date) => string;
};

export function makeI18n(lang: Lang): I18n {
  return {
    lang,
    t: (key, vars) => translate(lang, key, vars),
    err: (code) => errorWords(lang, code),
    date: (iso) => formatDate(lang, iso),
    dateTime: (iso) => formatDateTime(lang, iso),
    time: (date) => formatTime(lang, date),
  };
}

const I18nContext = createContext<I18n>(makeI18n('ko'));

export function I18nProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  const value = useMemo(() => makeI18n(lang), [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
