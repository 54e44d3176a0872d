/** Times and durations in the person's language. */
import type { Lang } from './i18n.ts';
import { translate } from './i18n.ts';

const formatters = new Map<Lang, Intl.DateTimeFormat>();

export function when(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '—';
  let f = formatters.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    formatters.set(lang, f);
  }
  return f.format(new Date(iso));
}

export function duration(lang: Lang, seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(Math.abs(seconds));
  if (s < 120) return translate(lang, 'seconds', { n: s });
  if (s < 2 * 3600) return translate(lang, 'minutes', { n: Math.round(s / 60) });
  return translate(lang, 'hours', { n: Math.round(s / 3600) });
}

/** A clock offset with its sign: the kiosk's clock minus the server's. */
export function offset(lang: Lang, ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const sign = ms > 0 ? '+' : ms < 0 ? '−' : '';
  const abs = Math.abs(ms) / 1000;
  return abs < 120
    ? `${sign}${translate(lang, 'seconds', { n: abs.toFixed(1) })}`
    : `${sign}${duration(lang, abs)}`;
}

/** `yyyy-mm-dd` from a date input -> ISO at local midnight (the start of that day where the person is). */
export function dayStartIso(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).toISOString();
}

/** The start of the next day after `day`, for an inclusive "to" date. */
export function dayEndIso(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + 1).toISOString();
}
