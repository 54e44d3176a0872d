/**
 * CSV in and out (RFC 4180: comma, double quotes, CRLF). Exports start with a UTF-8 BOM so
 * spreadsheet programs read Korean names correctly, and cells that a spreadsheet would run
 * as a formula (= + - @ at the start) are prefixed with an apostrophe.
 */
import { parse } from 'csv-parse/sync';

const FORMULA = /^[=+\-@\t\r]/;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv<T>(rows: T[], columns: [header: string, get: (row: T) => unknown][]): string {
  const lines = [columns.map(([h]) => cell(h)).join(',')];
  for (const row of rows) lines.push(columns.map(([, get]) => cell(get(row))).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export type CsvRecord = { line: number; fields: string[] };

/** A file that is not CSV; `line` is where the broken record starts. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * Parse CSV text into records with the line each starts on (csv-parse, the maintained
 * parser). Lenient where spreadsheets are: any mix of CRLF, LF and CR line ends, a BOM,
 * rows of different lengths, a stray quote inside an unquoted cell. Blank lines are skipped.
 * Throws CsvSyntaxError on what cannot be read, such as an unclosed quote.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  // csv-parse tells the line a record ends on; the next one starts on the line after.
  let lastEnd = 0;
  try {
    parse(text, {
      bom: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      on_record: (fields: string[], context) => {
        const line = lastEnd + 1;
        lastEnd = context.lines;
        if (!(fields.length === 1 && fields[0] === '')) records.push({ line, fields });
        return null; // kept here, not in csv-parse's own array
      },
    });
  } catch (err) {
    const line = lastEnd + 1;
    const code = (err as { code?: string }).code;
    if (code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new CsvSyntaxError(`unclosed quote in the record starting on line ${line}`, line);
    }
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      throw new CsvSyntaxError(
        `the record starting on line ${line} cannot be read: ${(err as Error).message}`,
        line,
      );
    }
    throw err;
  }
  return records;
}
