/**
 * Reading an items CSV for import. Header names pick the columns (any order); tag, name,
 * category and loanDays are required. Each row is checked by the same schema as a single
 * create, so the import cannot let in what the form would refuse.
 */
import { CreateItemRequest, type ImportRowError } from '../../../protocol/index.ts';
import { check, describeErrors } from '../../../protocol/validate.ts';
import { CsvSyntaxError, parseCsv } from './csv.ts';

const REQUIRED = ['tag', 'name', 'category', 'loanDays'] as const;
const NULLABLE = ['restrictedTo', 'lockerSlot'] as const;

/** Undo the export's formula guard: a leading apostrophe before = + - @. */
const unguard = (s: string) => (/^'[=+\-@]/.test(s) ? s.slice(1) : s);

export type ImportRow = CreateItemRequest & { retired?: boolean };

export function parseItemsCsv(text: string): { rows: ImportRow[]; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    return { rows: [], errors: [{ line: err.line, code: 'BAD_REQUEST', message: err.message }] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], errors: [{ line: 1, code: 'BAD_REQUEST', message: 'empty file' }] };
  const names = header.fields.map((f) => f.trim());
  const missing = REQUIRED.filter((r) => !names.includes(r));
  if (missing.length) {
    return {
      rows: [],
      errors: [{ line: header.line, code: 'BAD_REQUEST', message: `missing columns: ${missing.join(', ')}` }],
    };
  }
  const rows: ImportRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of body) {
    const get = (name: string) => {
      const i = names.indexOf(name);
      return i < 0 ? undefined : unguard((fields[i] ?? '').trim());
    };
    const candidate: Record<string, unknown> = {
      tag: get('tag'),
      name: get('name'),
      category: get('category'),
      loanDays: Number(get('loanDays')),
    };
    for (const column of NULLABLE) {
      const v = get(column);
      if (v !== undefined) candidate[column] = v === '' ? null : v;
    }
    if (!check(CreateItemRequest, candidate)) {
      errors.push({
        line,
        code: 'BAD_REQUEST',
        message: describeErrors(CreateItemRequest, candidate).join('; '),
      });
      continue;
    }
    const first = seen.get(candidate.tag);
    if (first !== undefined) {
      errors.push({ line, code: 'ALREADY_EXISTS', message: `tag ${candidate.tag} repeats line ${first}` });
      continue;
    }
    seen.set(candidate.tag, line);
    const retired = get('retired');
    rows.push({ ...candidate, ...(retired ? { retired: /^(yes|true|1)$/i.test(retired) } : {}) });
  }
  return { rows, errors };
}
