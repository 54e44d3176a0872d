/** App-wide state the pages read: language, the signed-in person, and a tick that moves on live events. */
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { LiveEvent, Profile } from '../protocol/index.ts';
import { errorWords, translate, type Lang, type MessageKey } from './i18n.ts';

export type AppState = {
  lang: Lang;
  setLang(lang: Lang): void;
  me: Profile;
  /** Increments on every live event the page may care about. */
  liveTick: number;
  lastEvent: LiveEvent | null;
};

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside AppContext');
  return ctx;
}

export function useT() {
  const { lang } = useApp();
  return {
    lang,
    t: (key: MessageKey, vars?: Record<string, string | number>) => translate(lang, key, vars),
    err: (e: unknown) => errorWords(lang, e),
  };
}

/**
 * Load data for a page and load it again when a live event arrives (or `deps` change).
 * Reloads after live events are spaced by at least 300 ms so a burst costs one fetch.
 * `pollMs`: also reload that often, for figures no event announces (the System page).
 */
export function useData<T>(load: () => Promise<T>, deps: unknown[], opts: { pollMs?: number } = {}) {
  const { liveTick } = useApp();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => {
    loadRef.current().then(
      (d) => {
        setData(d);
        setError(null);
      },
      (e: unknown) => setError(e),
    );
  }, []);
  useEffect(reload, deps);
  useEffect(() => {
    if (liveTick === 0) return;
    const t = setTimeout(reload, 300);
    return () => clearTimeout(t);
  }, [liveTick, reload]);
  const { pollMs } = opts;
  useEffect(() => {
    if (!pollMs) return;
    // A hidden tab skips its rounds; it reloads when shown again.
    const tick = setInterval(() => document.hidden || reload(), pollMs);
    const onShow = () => document.hidden || reload();
    document.addEventListener('visibilitychange', onShow);
    return () => {
      clearInterval(tick);
      document.removeEventListener('visibilitychange', onShow);
    };
  }, [pollMs, reload]);
  return { data, error, reload };
}
