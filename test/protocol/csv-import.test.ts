/**
 * The CSV import's shared words and helpers (protocol/csv-import.ts): every rule and outcome
 * reads in Korean and English, the template's headers in either language are read back as
 * the right columns, a sentence names the row, the column and the rule, and a file from
 * Korean Excel (CP949) is decoded as such while UTF-8 (with or without BOM) stays UTF-8.
 */
import { describe, expect, it } from 'vitest';
import {
  columnOfHeader,
  decodeCsvBytes,
  IMPORT_COLUMNS,
  IMPORT_KINDS,
  IMPORT_OUTCOMES,
  IMPORT_RULES,
  IMPORT_WORDS,
  importTemplate,
  issueSentence,
} from '../../protocol/csv-import.ts';
import { parseCsv } from '../../server/routes/admin/csv.ts';

describe('CSV import words', () => {
  it('every rule and outcome has words in both languages, with Hangul in the Korean', () => {
    for (const key of [
      ...IMPORT_RULES.map((r) => `rule_${r}`),
      ...IMPORT_OUTCOMES.map((o) => `outcome_${o}`),
    ]) {
      const words = IMPORT_WORDS[key as keyof typeof IMPORT_WORDS];
      expect(words, key).toBeDefined();
      expect(words.en.trim(), key).not.toBe('');
      expect(words.ko, key).toMatch(/[가-힣]/);
    }
  });

  it("the template's headers, in either language, are read back as its columns", () => {
    for (const kind of IMPORT_KINDS)
      for (const lang of ['ko', 'en'] as const) {
        const [header] = parseCsv(importTemplate(lang, kind));
        expect(header!.fields.map((h) => columnOfHeader(kind, h))).toEqual([...IMPORT_COLUMNS[kind]]);
      }
    expect(columnOfHeader('people', ' E-Mail ')).toBe('email');
    expect(columnOfHeader('people', '사원번호')).toBe('employeeNumber');
    expect(columnOfHeader('items', '대여기간')).toBe('loanDays');
    expect(columnOfHeader('items', 'holder')).toBeNull();
  });

  it('a sentence names the row, the column and the rule, and what was given', () => {
    const issue = {
      row: 3,
      column: 'loanDays',
      rule: 'integerRange' as const,
      value: 'abc',
      min: 1,
      max: 365,
    };
    expect(issueSentence('ko', 'items', issue)).toBe(
      "3행 대여 기간: 1–365 사이의 정수여야 합니다 (입력: 'abc')",
    );
    expect(issueSentence('en', 'items', issue)).toBe(
      "Row 3, Loan days: must be a whole number from 1 to 365 (given: 'abc')",
    );
    expect(issueSentence('ko', 'people', { row: 4, column: null, rule: 'keyRequired', value: null })).toBe(
      '4행: 이메일과 사번 중 하나는 있어야 누구인지 알 수 있습니다',
    );
  });

  it('decodes UTF-8 (dropping a BOM) and, when the bytes are not UTF-8, CP949', () => {
    expect(decodeCsvBytes(Buffer.from('\uFEFF이름,이메일\r\n', 'utf8'))).toEqual({
      text: '이름,이메일\r\n',
      encoding: 'utf-8',
    });
    // "이름,이메일" as Korean Excel saves it.
    expect(decodeCsvBytes(Buffer.from('c0ccb8a72cc0ccb8dec0cf0d0a', 'hex'))).toEqual({
      text: '이름,이메일\r\n',
      encoding: 'euc-kr',
    });
  });
});
