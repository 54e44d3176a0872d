/**
 * Importing people and items from CSV: the columns (with the header names a Korean or
 * English spreadsheet may use), the wire shape of a dry run's report, the words for each
 * outcome and rule in Korean and English, and the sentence a person reads for each problem.
 * One table, used by the dashboard and the admin CLI alike (the server checks the rows in
 * server/import/csv-import.ts); an entry holds both languages so neither can be forgotten.
 */
import { Type, type Static } from '@sinclair/typebox';

type Words = Readonly<{ ko: string; en: string }>;
export type ImportLang = keyof Words;

export const IMPORT_KINDS = ['people', 'items'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The columns of each kind, in the template's order. */
export const IMPORT_COLUMNS = {
  people: ['name', 'email', 'role', 'department', 'employeeNumber', 'badges'],
  items: ['tag', 'name', 'category', 'loanDays', 'serial', 'restrictedTo', 'lockerSlot', 'retired', 'parts'],
} as const satisfies Record<ImportKind, readonly string[]>;
export type ImportColumn = (typeof IMPORT_COLUMNS)[ImportKind][number];

/** Columns a file must have (people also need email or employee number, checked per row). */
export const REQUIRED_COLUMNS: Record<ImportKind, readonly ImportColumn[]> = {
  people: ['name'],
  items: ['tag', 'name', 'category', 'loanDays'],
};

/** Column names as a person reads them (the template's header in that language). */
const COLUMN_WORDS: Record<ImportKind, Record<string, Words>> = {
  people: {
    name: { ko: '이름', en: 'Name' },
    email: { ko: '이메일', en: 'Email' },
    role: { ko: '역할', en: 'Role' },
    department: { ko: '부서', en: 'Department' },
    employeeNumber: { ko: '사번', en: 'Employee number' },
    badges: { ko: '사원증/카드 번호', en: 'Badge numbers' },
  },
  items: {
    tag: { ko: '태그', en: 'Tag' },
    name: { ko: '물품명', en: 'Name' },
    category: { ko: '분류', en: 'Category' },
    loanDays: { ko: '대여 기간', en: 'Loan days' },
    serial: { ko: '일련번호', en: 'Serial number' },
    restrictedTo: { ko: '대여 가능 역할', en: 'Restricted to' },
    lockerSlot: { ko: '보관함 칸', en: 'Locker slot' },
    retired: { ko: '폐기', en: 'Retired' },
    parts: { ko: '구성품', en: 'Parts' },
  },
};

/** Other header spellings read as the same column (besides the key and both words above). */
const MORE_ALIASES: Record<ImportKind, Record<string, string[]>> = {
  people: {
    name: ['displayName', '성명', '이름(필수)'],
    email: ['e-mail', 'mail', '메일', '이메일 주소'],
    role: ['권한'],
    department: ['dept', '소속', '부서명'],
    employeeNumber: ['employee no', 'employeeId', '사원번호', '직원번호'],
    badges: ['badge', 'badge number', '사원증', '카드', '카드 번호', '사원증 번호'],
  },
  items: {
    tag: ['asset tag', '물품 태그', '관리 번호'],
    name: ['이름', '품명'],
    category: ['종류', '카테고리'],
    loanDays: ['loan days', '대여 일수', '대여기간(일)'],
    serial: ['serialNumber', 's/n', 'sn', '시리얼', '시리얼 번호', '제조 번호', '제조번호'],
    restrictedTo: ['restricted', '대여 제한'],
    lockerSlot: ['locker', '보관함'],
    retired: ['폐기 여부'],
    parts: ['kit', 'kit parts', '키트', '키트 구성품', '구성'],
  },
};

const headerKey = (h: string) =>
  h
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s_\-()（）*]/g, '');

/** The column a header names, or null for a column the import does not read. */
export function columnOfHeader(kind: ImportKind, header: string): ImportColumn | null {
  const key = headerKey(header);
  if (!key) return null;
  for (const column of IMPORT_COLUMNS[kind]) {
    const words = COLUMN_WORDS[kind][column]!;
    const names = [column, words.ko, words.en, ...(MORE_ALIASES[kind][column] ?? [])];
    if (names.some((n) => headerKey(n) === key)) return column as ImportColumn;
  }
  return null;
}

export function columnWords(lang: ImportLang, kind: ImportKind, column: string): string {
  return COLUMN_WORDS[kind][column]?.[lang] ?? column;
}

/** The template file: a BOM (so Excel reads Korean), the header in the chosen language and one example row. */
export function importTemplate(lang: ImportLang, kind: ImportKind): string {
  const header = IMPORT_COLUMNS[kind].map((c) => columnWords(lang, kind, c));
  const example =
    kind === 'people'
      ? lang === 'ko'
        ? ['김민준', 'minjun.kim@example.com', '회원', '연구개발팀', '20240123', '1000234']
        : ['Alex Kim', 'alex.kim@example.com', 'member', 'Research', '20240123', '1000234']
      : lang === 'ko'
        ? ['CAM-001', '소니 A7 IV', '카메라', '7', '4548736132', '', 'A-01', '아니요', '본체; 배터리; 충전기']
        : ['CAM-001', 'Sony A7 IV', 'Cameras', '7', '4548736132', '', 'A-01', 'no', 'Body; Battery; Charger'];
  return `\uFEFF${header.join(',')}\r\n${example.join(',')}\r\n`;
}

// ---------- the wire shape of a report ----------

export const IMPORT_RULES = [
  // a cell
  'required',
  'tooLong',
  'integerRange',
  'email',
  'role',
  'roleOrEmpty',
  'badge',
  'yesNo',
  'controlChars',
  // a row against the file or the data
  'keyRequired',
  'duplicateInFile',
  'badgeTaken',
  'emailTaken',
  'employeeNumberTaken',
  'directoryManaged',
  'retireOnLoan',
  'ownRole',
  'tooManyParts',
  // the file
  'missingColumn',
  'syntax',
  'empty',
  'tooManyRows',
] as const;
export type ImportRule = (typeof IMPORT_RULES)[number];

export const ImportIssue = Type.Object(
  {
    /** The file's line the row starts on (the header is line 1), as a spreadsheet numbers rows. */
    row: Type.Integer(),
    column: Type.Union([Type.String(), Type.Null()]),
    rule: Type.Union(IMPORT_RULES.map((r) => Type.Literal(r))),
    /** What the cell held (cut to 40 characters), or null. */
    value: Type.Union([Type.String(), Type.Null()]),
    min: Type.Optional(Type.Integer()),
    max: Type.Optional(Type.Integer()),
    otherRow: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);
export type ImportIssue = Static<typeof ImportIssue>;

export const IMPORT_OUTCOMES = ['create', 'update', 'unchanged', 'error'] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

export const ImportChange = Type.Object(
  {
    column: Type.String(),
    before: Type.Union([Type.String(), Type.Null()]),
    after: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type ImportChange = Static<typeof ImportChange>;

export const ImportRowReport = Type.Object(
  {
    row: Type.Integer(),
    outcome: Type.Union(IMPORT_OUTCOMES.map((o) => Type.Literal(o))),
    /** The row's email / employee number or tag, and name, to find it in the file. */
    key: Type.String(),
    name: Type.String(),
    changes: Type.Array(ImportChange),
    issues: Type.Array(ImportIssue),
  },
  { additionalProperties: false },
);
export type ImportRowReport = Static<typeof ImportRowReport>;

export const ImportCounts = Type.Object(
  { create: Type.Integer(), update: Type.Integer(), unchanged: Type.Integer(), error: Type.Integer() },
  { additionalProperties: false },
);
export type ImportCounts = Static<typeof ImportCounts>;

export const ImportReport = Type.Object(
  {
    kind: Type.Union(IMPORT_KINDS.map((k) => Type.Literal(k))),
    dryRun: Type.Boolean(),
    /** True when the rows were written (all of them, in one transaction). */
    applied: Type.Boolean(),
    counts: ImportCounts,
    rows: Type.Array(ImportRowReport),
    /** Problems with the file as a whole (nothing can be imported while there is one). */
    fileIssues: Type.Array(ImportIssue),
    /** Header names the import does not read (e.g. the export's holder column). */
    ignoredColumns: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export type ImportReport = Static<typeof ImportReport>;

export const MAX_IMPORT_ROWS = 20_000;
export const MAX_IMPORT_CHARS = 4_000_000;

export const ImportRequest = Type.Object(
  { csv: Type.String({ minLength: 1, maxLength: MAX_IMPORT_CHARS }), dryRun: Type.Boolean() },
  { additionalProperties: false },
);
export type ImportRequest = Static<typeof ImportRequest>;

export const ImportParams = Type.Object(
  { kind: Type.Union(IMPORT_KINDS.map((k) => Type.Literal(k))) },
  { additionalProperties: false },
);

// ---------- words ----------

export const IMPORT_WORDS = {
  outcome_create: { ko: '추가', en: 'New' },
  outcome_update: { ko: '수정', en: 'Update' },
  outcome_unchanged: { ko: '변경 없음', en: 'No change' },
  outcome_error: { ko: '오류', en: 'Error' },
  rule_required: { ko: '비어 있으면 안 됩니다', en: 'must not be empty' },
  rule_tooLong: { ko: '{max}자 이하여야 합니다', en: 'must be at most {max} characters' },
  rule_integerRange: {
    ko: '{min}–{max} 사이의 정수여야 합니다',
    en: 'must be a whole number from {min} to {max}',
  },
  rule_email: { ko: '이메일 주소 형식이 아닙니다', en: 'is not an email address' },
  rule_role: {
    ko: '회원, 담당자, 관리자 중 하나여야 합니다',
    en: 'must be member, staff or admin',
  },
  rule_roleOrEmpty: {
    ko: '비워 두거나 회원, 담당자, 관리자 중 하나여야 합니다',
    en: 'must be empty, member, staff or admin',
  },
  rule_badge: {
    ko: '사원증/카드 번호로 읽을 수 없습니다 (예: 1000234, nfc:04a1b2c3). 여러 개는 ;로 나눕니다',
    en: 'is not a badge number (for example 1000234 or nfc:04a1b2c3); separate several with ;',
  },
  rule_yesNo: { ko: '예 또는 아니요로 적어 주세요', en: 'must be yes or no' },
  rule_controlChars: {
    ko: '줄바꿈이나 보이지 않는 제어 문자가 들어 있습니다',
    en: 'contains a line break or an invisible control character',
  },
  rule_keyRequired: {
    ko: '이메일과 사번 중 하나는 있어야 누구인지 알 수 있습니다',
    en: 'needs an email or an employee number to tell who it is',
  },
  rule_duplicateInFile: { ko: '{otherRow}행과 겹칩니다', en: 'repeats row {otherRow}' },
  rule_badgeTaken: {
    ko: '이미 다른 사람에게 등록된 사원증/카드입니다',
    en: 'is already enrolled to someone else',
  },
  rule_emailTaken: { ko: '이미 다른 사람이 쓰는 이메일입니다', en: 'is already used by someone else' },
  rule_employeeNumberTaken: {
    ko: '이미 다른 사람의 사번입니다',
    en: "is already someone else's employee number",
  },
  rule_directoryManaged: {
    ko: '조직 디렉터리(SCIM)가 관리하는 사람이라 여기서 바꿀 수 없습니다. 사원증/카드만 추가할 수 있습니다',
    en: 'this person is managed by the directory (SCIM) and cannot be changed here; only badges can be added',
  },
  rule_tooManyParts: {
    ko: '구성품은 {max}개까지 적을 수 있습니다 (세미콜론 ;으로 나눕니다)',
    en: 'may list at most {max} parts (separated by semicolons)',
  },
  rule_retireOnLoan: {
    ko: '대여 중인 물품은 가져오기로 폐기할 수 없습니다. 반납된 뒤에 폐기하세요',
    en: 'an item on loan cannot be retired by an import; retire it once it is returned',
  },
  rule_ownRole: {
    ko: '가져오기로 자신의 역할을 바꿀 수 없습니다',
    en: 'you cannot change your own role by an import',
  },
  rule_missingColumn: { ko: '필요한 열이 파일에 없습니다', en: 'this column is missing from the file' },
  rule_syntax: {
    ko: '이 행부터 CSV로 읽을 수 없습니다 (닫히지 않은 따옴표가 있는지 확인하세요)',
    en: 'the file cannot be read as CSV from this row on (look for a quote that is not closed)',
  },
  rule_empty: { ko: '파일에 제목 행도 내용도 없습니다', en: 'the file has no header row and no rows' },
  rule_tooManyRows: {
    ko: '한 번에 {max}행까지 가져올 수 있습니다. 파일을 나눠 주세요',
    en: 'at most {max} rows can be imported at once; split the file',
  },
  rowColumn: { ko: '{row}행 {column}: {rule}', en: 'Row {row}, {column}: {rule}' },
  rowOnly: { ko: '{row}행: {rule}', en: 'Row {row}: {rule}' },
  given: { ko: " (입력: '{value}')", en: " (given: '{value}')" },
  summaryDry: {
    ko: '미리 보기: 추가 {create}, 수정 {update}, 변경 없음 {unchanged}, 오류 {error}. 아무것도 저장하지 않았습니다.',
    en: 'Dry run: {create} new, {update} to update, {unchanged} unchanged, {error} with errors. Nothing was written.',
  },
  summaryApplied: {
    ko: '가져왔습니다: 추가 {create}, 수정 {update}, 변경 없음 {unchanged}.',
    en: 'Imported: {create} new, {update} updated, {unchanged} unchanged.',
  },
  summarySkipped: {
    ko: '오류가 있는 {error}행은 건너뛰었습니다.',
    en: '{error} row(s) with errors were skipped.',
  },
  summaryRefused: {
    ko: '오류가 있어 아무것도 가져오지 않았습니다. 위의 행을 고쳐 다시 하세요.',
    en: 'Nothing was imported because of the errors above. Fix those rows and try again.',
  },
  ignoredColumns: {
    ko: '읽지 않은 열: {columns}',
    en: 'Columns not read: {columns}',
  },
} as const satisfies Record<string, Words>;
export type ImportWordKey = keyof typeof IMPORT_WORDS;

const fill = (text: string, vars: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));

export function importWords(
  lang: ImportLang,
  key: ImportWordKey,
  vars: Record<string, string | number> = {},
): string {
  return fill(IMPORT_WORDS[key][lang], vars);
}

/** The sentence for one problem: "3행 대여 기간: 1–365 사이의 정수여야 합니다 (입력: 'abc')". */
export function issueSentence(lang: ImportLang, kind: ImportKind, issue: ImportIssue): string {
  const rule = importWords(lang, `rule_${issue.rule}`, {
    min: issue.min ?? '',
    max: issue.max ?? '',
    otherRow: issue.otherRow ?? '',
  });
  const head =
    issue.column === null
      ? importWords(lang, 'rowOnly', { row: issue.row, rule })
      : importWords(lang, 'rowColumn', {
          row: issue.row,
          column: columnWords(lang, kind, issue.column),
          rule,
        });
  return issue.value ? head + importWords(lang, 'given', { value: issue.value }) : head;
}

/**
 * The text of an uploaded file: UTF-8 (a BOM is dropped), or, when the bytes are not valid
 * UTF-8, CP949 / EUC-KR as Korean Excel saves "CSV".
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'euc-kr' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('euc-kr').decode(bytes), encoding: 'euc-kr' };
  }
}
