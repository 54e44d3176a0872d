/**
 * The header rows of the report CSV exports, in the language the dashboard shows (Korean and
 * English side by side, so neither can be left out), and times written in the lending
 * policies' time zone as a spreadsheet reads them ("2026-03-02 18:00").
 */
import { localDate, type ReportLang } from '../../protocol/index.ts';

type Words = Readonly<Record<ReportLang, string>>;

export const CSV_HEADERS = {
  personId: { ko: '사용자 ID', en: 'Person ID' },
  person: { ko: '이름', en: 'Name' },
  email: { ko: '이메일', en: 'Email' },
  category: { ko: '분류', en: 'Category' },
  overdueLoans: { ko: '연체 건수', en: 'Overdue loans' },
  people: { ko: '인원', en: 'People' },
  oldestDue: { ko: '가장 오래된 반납 기한', en: 'Oldest due' },
  daysOverdue: { ko: '연체 일수', en: 'Days overdue' },
  tag: { ko: '자산 태그', en: 'Tag' },
  item: { ko: '물품', en: 'Item' },
  loans: { ko: '대여 건수', en: 'Loans' },
  daysOnLoan: { ko: '대여 일수', en: 'Days on loan' },
  share: { ko: '대여 비율(%)', en: 'Time on loan (%)' },
  periodFrom: { ko: '기간 시작', en: 'Period from' },
  periodTo: { ko: '기간 끝', en: 'Period to' },
} as const satisfies Record<string, Words>;

export type CsvHeader = keyof typeof CSV_HEADERS;

export const header = (lang: ReportLang, key: CsvHeader): string => CSV_HEADERS[key][lang];

const clock = new Map<string, Intl.DateTimeFormat>();

/** "YYYY-MM-DD HH:mm" in the time zone (24-hour clock). */
export function localDateTime(ms: number, timeZone: string): string {
  let f = clock.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clock.set(timeZone, f);
  }
  return `${localDate(ms, timeZone)} ${f.format(new Date(ms))}`;
}
