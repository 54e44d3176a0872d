/** CSV in and out: what spreadsheets write is read, with the line each record starts on. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv, toCsv } from '../../../server/routes/admin/csv.ts';

describe('parseCsv', () => {
  it('reads a BOM, mixed line ends, quoted line breaks and quotes, and says where each record starts', () => {
    const text =
      '\uFEFFemail,displayName\r\n"a@x.kr","김, 민준\n(연구실)"\n\n"b@x.kr","say ""hi"""\rc@x.kr,이서연';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['email', 'displayName'] },
      { line: 2, fields: ['a@x.kr', '김, 민준\n(연구실)'] },
      { line: 5, fields: ['b@x.kr', 'say "hi"'] },
      { line: 6, fields: ['c@x.kr', '이서연'] },
    ]);
  });

  it('keeps rows of different lengths and a stray quote inside an unquoted cell', () => {
    expect(parseCsv('a,b,c\n1\n2,3 "inch",4\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1'] },
      { line: 3, fields: ['2', '3 "inch"', '4'] },
    ]);
  });

  it('refuses an unclosed quote, naming the line its record starts on', () => {
    const err = (() => {
      try {
        parseCsv('tag,name\nLT-1,"Laptop\nLT-2,Camera\n');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CsvSyntaxError);
    expect(err).toMatchObject({ line: 2, message: 'unclosed quote in the record starting on line 2' });
  });

  it('reads back what toCsv wrote (formula cells come back with their apostrophe)', () => {
    const cellText = fc.string({ unit: fc.constantFrom('a', '김', ',', '"', '\n', '\r\n', ' ', '=', '1') });
    fc.assert(
      fc.property(fc.array(fc.tuple(cellText, cellText), { minLength: 1, maxLength: 8 }), (rows) => {
        const text = toCsv(rows, [
          ['first', (r) => r[0]],
          ['second', (r) => r[1]],
        ]);
        const back = parseCsv(text).map((r) => r.fields);
        const expected = [
          ['first', 'second'],
          ...rows.map((r) => r.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c))),
        ];
        // A row of two empty cells is written as "," and read back as two empty cells.
        expect(back).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
