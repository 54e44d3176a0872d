/** Times and durations in the person's language. */
import type { Lang } from './i18n.ts';
import { translate } from './i18n.ts';

const formatters = new Map<Lang, Intl.DateTimeFormat>();

/** A date and time that stays on one line in a table cell (its spaces do not break). */
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
  return f.format(new Date(iso)).replace(/\s/g, '\u00a0');
}

const shortFormatters = new Map<Lang, Intl.DateTimeFormat>();

/**
 * A date and time in a busy table: without the year when it is this year ("12월 2일 오후 7:42",
 * "2 Dec, 19:42"), so a list of loans fits 1366 px; `when` gives the whole for its title.
 */
export function whenThisYear(lang: Lang, iso: string | null | undefined, now = new Date()): string {
  if (!iso) return '—';
  const at = new Date(iso);
  if (at.getFullYear() !== now.getFullYear()) return when(lang, iso);
  let f = shortFormatters.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', {
      month: 'short',
      day: 'numeric',
      // as `when` writes the time: 오후 7:42, 07:42
      hour: lang === 'ko' ? 'numeric' : '2-digit',
      minute: '2-digit',
    });
    shortFormatters.set(lang, f);
  }
  return f.format(at).replace(/\s/g, '\u00a0');
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

/** A size in bytes, in the unit that keeps it short (1024-based, as `ls -h` and `du -h`). */
export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** A latency in ms: tenths below 10 ms, whole above. */
export function ms(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;
}

/** A share 0..1 as a percentage: 0 %, 0.4 %, 12 %. */
export function percent(share: number): string {
  if (share === 0) return '0%';
  const p = share * 100;
  return `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}
