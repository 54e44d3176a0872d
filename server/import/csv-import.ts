/**
 * Importing people (with their badges) and items from CSV: one set of rules for the
 * dashboard (POST /v1/admin/import/:kind) and the admin CLI (`import people|items`).
 *
 * Each row is checked cell by cell, against the rest of the file (a repeated email, tag or
 * badge) and against what is stored, and comes out as create / update / unchanged / error
 * with every problem as a typed issue (row, column, rule, the value). A dry run stops there
 * and writes nothing. A real run checks again and writes inside one transaction: all rows or,
 * while any row has an error, none (the CLI's --skip-bad writes the rows without errors).
 * Every change is audited with who made it, as a dashboard change is.
 *
 * Badges are normalised as a kiosk reads them (a bare card number is what a keyboard-wedge
 * reader types, kbd:<digits>) and stored only as keyed hashes with a hint, as the People page
 * does. Cells that a spreadsheet would run as a formula (=cmd…) are stored as the text they
 * are; the CSV export guards them. A leading apostrophe that our own export added is dropped.
 */
import {
  columnOfHeader,
  IMPORT_COLUMNS,
  MAX_IMPORT_ROWS,
  REQUIRED_COLUMNS,
  type ImportChange,
  type ImportColumn,
  type ImportCounts,
  type ImportIssue,
  type ImportKind,
  type ImportReport,
  type ImportRowReport,
  type ImportRule,
} from '../../protocol/csv-import.ts';
import { credentialHint, normalizeCredential, type Credential } from '../../protocol/credentials.ts';
import {
  KIT_PART_NAME_MAX,
  KIT_PARTS_SEPARATOR,
  KIT_PARTS_MAX,
  kitPartTooLong,
  normalizeKitParts,
  roleSatisfies,
  type Role,
} from '../../protocol/index.ts';
import { keepAnAdmin } from '../auth/keep-an-admin.ts';
import { PERSON_LIMITS } from '../../protocol/wire/admin.ts';
// Line breaks, other controls and invisible characters: the API's rule for what a person types.
import { lineHasUnsafeChars } from '../../protocol/text.ts';
import type { ServerDeps } from '../deps.ts';
import { CsvSyntaxError, parseCsv } from '../routes/admin/csv.ts';
import type { AuditActor, AuditChange, PersonRow } from '../store/admin-store.ts';
import type { ItemRecord, StoreOps } from '../store/store.ts';

export type ImportDeps = Pick<ServerDeps, 'store' | 'hashBadge' | 'rosterHash' | 'clock'>;

export type ImportOptions = {
  dryRun: boolean;
  /** Who imports, as the audit log records them. */
  actor: AuditActor;
  /** Write the rows without errors and skip the others (the CLI's --skip-bad); default all or nothing. */
  skipBad?: boolean;
};

const ROLES: Record<string, Role> = {
  member: 'member',
  staff: 'staff',
  admin: 'admin',
  회원: 'member',
  담당자: 'staff',
  관리자: 'admin',
};
const YES = /^(yes|y|true|1|예|네|o|폐기)$/i;
const NO = /^(no|n|false|0|아니요|아니오|x)$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
// A person's limits are the edit form's (PERSON_LIMITS); an item's are its create schema's.
const LIMITS = {
  name: PERSON_LIMITS.displayName,
  email: PERSON_LIMITS.email,
  department: PERSON_LIMITS.department,
  employeeNumber: PERSON_LIMITS.employeeNumber,
  tag: 128,
  category: 100,
  lockerSlot: 32,
  serial: 100,
};

/** Undo the export's formula guard: a leading apostrophe before = + - @. */
const unguard = (s: string) => (/^'[=+\-@]/.test(s) ? s.slice(1) : s);
/** A value as the report shows it: at most 40 characters. */
const shown = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** A badge as a kiosk reader would report it, or null when it cannot be one. */
export function badgeCredential(raw: string): Credential | null {
  const s = raw.trim();
  const direct = normalizeCredential(s);
  if (direct) return direct;
  // A card number as printed, typed by a keyboard-wedge reader.
  if (/^\d{4,32}$/.test(s)) return normalizeCredential(`kbd:${s}`);
  // An NFC UID copied from a reader tool: 04:A1:B2:C3 or 04 a1 b2 c3.
  if (/^[0-9a-f]{2}([:\- ]?[0-9a-f]{2})+$/i.test(s)) return normalizeCredential(`nfc:${s}`);
  return null;
}

type Cells = {
  row: number;
  get(column: ImportColumn): string | undefined;
  has(column: ImportColumn): boolean;
};

type ItemDraft = {
  tag: string;
  name: string;
  category: string;
  loanDays: number;
  restrictedTo?: Role | null;
  lockerSlot?: string | null;
  serial?: string | null;
  retired?: boolean;
  /** A kit's parts (normalised); [] makes the item no kit. */
  parts?: string[];
};

/** Reads one row's cells into a draft, or says what is wrong with them. */
class RowReader {
  readonly issues: ImportIssue[] = [];
  constructor(readonly cells: Cells) {}

  private fail(
    column: ImportColumn,
    rule: ImportRule,
    value: string | null,
    more: Partial<ImportIssue> = {},
  ) {
    this.issues.push({
      row: this.cells.row,
      column,
      rule,
      value: value === null ? null : shown(value),
      ...more,
    });
  }

  /** Text of a column: undefined when the file has no such column. */
  text(column: ImportColumn, opts: { required?: boolean; max: number }): string | undefined {
    const v = this.cells.get(column);
    if (v === undefined) return undefined;
    if (opts.required && v === '') this.fail(column, 'required', null);
    else if (lineHasUnsafeChars(v)) this.fail(column, 'controlChars', v);
    else if (v.length > opts.max) this.fail(column, 'tooLong', v, { max: opts.max });
    return v;
  }

  role(column: ImportColumn, orEmpty: boolean): Role | null | undefined {
    const v = this.cells.get(column);
    if (v === undefined) return undefined;
    if (v === '') return null;
    const role = ROLES[v.toLowerCase()];
    if (!role) this.fail(column, orEmpty ? 'roleOrEmpty' : 'role', v);
    return role ?? null;
  }

  integer(column: ImportColumn, min: number, max: number): number | undefined {
    const v = this.cells.get(column);
    if (v === undefined) return undefined;
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (v === '') this.fail(column, 'required', null);
    else if (!Number.isInteger(n) || n < min || n > max) this.fail(column, 'integerRange', v, { min, max });
    return n;
  }

  /** A kit's parts, "a; b; c" in one cell (protocol/lending.ts KIT_PARTS_SEPARATOR). */
  parts(column: ImportColumn): string[] | undefined {
    const v = this.cells.get(column);
    if (v === undefined) return undefined;
    if (lineHasUnsafeChars(v)) {
      this.fail(column, 'controlChars', v);
      return undefined;
    }
    const parts = normalizeKitParts(v.split(KIT_PARTS_SEPARATOR));
    const long = parts.find(kitPartTooLong);
    if (long) this.fail(column, 'tooLong', long, { max: KIT_PART_NAME_MAX });
    else if (parts.length > KIT_PARTS_MAX) this.fail(column, 'tooManyParts', v, { max: KIT_PARTS_MAX });
    return parts;
  }

  yesNo(column: ImportColumn): boolean | undefined {
    const v = this.cells.get(column);
    if (v === undefined || v === '') return undefined;
    if (YES.test(v)) return true;
    if (NO.test(v)) return false;
    this.fail(column, 'yesNo', v);
    return undefined;
  }

  email(column: ImportColumn): string | null | undefined {
    const v = this.text(column, { max: LIMITS.email });
    if (v === undefined || v === '') return v === '' ? null : undefined;
    if (!EMAIL.test(v) && !this.issues.some((i) => i.column === column)) this.fail(column, 'email', v);
    return v.toLowerCase();
  }

  badges(column: ImportColumn): Credential[] {
    const v = this.cells.get(column);
    if (!v) return [];
    const out: Credential[] = [];
    for (const part of v.split(/[;,|\n]/).map((p) => p.trim())) {
      if (!part) continue;
      const c = badgeCredential(part);
      if (!c) this.fail(column, 'badge', part);
      else if (!out.includes(c)) out.push(c);
    }
    return out;
  }
}

const emptyCounts = (): ImportCounts => ({ create: 0, update: 0, unchanged: 0, error: 0 });

type Plan = {
  report: ImportRowReport;
  apply?: (tx: StoreOps, actor: AuditActor, now: number) => Promise<void>;
};

/** Reads, checks and (unless a dry run) writes one CSV file of people or items. */
export async function importCsv(
  deps: ImportDeps,
  kind: ImportKind,
  text: string,
  opts: ImportOptions,
): Promise<ImportReport> {
  const report = (
    rows: ImportRowReport[],
    fileIssues: ImportIssue[],
    ignoredColumns: string[],
    applied = false,
  ) => {
    const counts = emptyCounts();
    for (const r of rows) counts[r.outcome]++;
    return {
      kind,
      dryRun: opts.dryRun,
      applied,
      counts,
      rows,
      fileIssues,
      ignoredColumns,
    } satisfies ImportReport;
  };

  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    return report([], [{ row: err.line, column: null, rule: 'syntax', value: null }], []);
  }
  const [header, ...body] = records;
  if (!header) return report([], [{ row: 1, column: null, rule: 'empty', value: null }], []);
  const columns = header.fields.map((h) => columnOfHeader(kind, h));
  const ignoredColumns = header.fields
    .filter((h, i) => columns[i] === null && h.trim() !== '')
    .map((h) => shown(h.trim()));
  const fileIssues: ImportIssue[] = REQUIRED_COLUMNS[kind]
    .filter((c) => !columns.includes(c))
    .map((c) => ({ row: header.line, column: c, rule: 'missingColumn' as const, value: null }));
  if (kind === 'people' && !columns.includes('email') && !columns.includes('employeeNumber'))
    fileIssues.push({ row: header.line, column: 'email', rule: 'missingColumn', value: null });
  if (body.length > MAX_IMPORT_ROWS)
    fileIssues.push({
      row: header.line,
      column: null,
      rule: 'tooManyRows',
      value: null,
      max: MAX_IMPORT_ROWS,
    });
  if (fileIssues.length) return report([], fileIssues, ignoredColumns);

  const cellsOf = ({ line, fields }: { line: number; fields: string[] }): Cells => ({
    row: line,
    has: (c) => columns.includes(c),
    get(c) {
      const i = columns.indexOf(c);
      return i < 0 ? undefined : unguard((fields[i] ?? '').trim());
    },
  });

  const planAll = async (ops: StoreOps) =>
    kind === 'people'
      ? await planPeople(deps, ops, body.map(cellsOf), opts.actor)
      : await planItems(ops, body.map(cellsOf));

  if (opts.dryRun)
    return report(
      (await planAll(deps.store)).map((p) => p.report),
      [],
      ignoredColumns,
    );

  // Checked again inside the transaction, so what is written is what was checked.
  return await deps.store.withTransaction(async (tx) => {
    const plans = await planAll(tx);
    const bad = plans.some((p) => p.report.outcome === 'error');
    if (bad && !opts.skipBad)
      return report(
        plans.map((p) => p.report),
        [],
        ignoredColumns,
      );
    const now = deps.clock.now();
    // A file may not take away the last active admin (the CLI acts as no one, so its own
    // role is no guard): refused as a whole (LAST_ADMIN), nothing saved, as the edit form does.
    await keepAnAdmin(tx, async () => {
      for (const p of plans) if (p.apply && p.report.outcome !== 'error') await p.apply(tx, opts.actor, now);
    });
    const counts = emptyCounts();
    for (const p of plans) counts[p.report.outcome]++;
    await tx.audit(
      {
        actor: opts.actor,
        action: kind === 'people' ? 'person.import' : 'item.import',
        targetKind: kind === 'people' ? 'person' : 'item',
        targetId: '*',
        detail: `CSV: ${counts.create} created, ${counts.update} updated, ${counts.unchanged} unchanged${counts.error ? `, ${counts.error} skipped` : ''}`,
      },
      now,
    );
    return report(
      plans.map((p) => p.report),
      [],
      ignoredColumns,
      true,
    );
  });
}

/** A value as a change shows it; a kit's parts as the audit keeps them ("a, b"), none as null. */
const str = (v: string | number | boolean | readonly string[] | null | undefined) =>
  v === null || v === undefined
    ? null
    : typeof v === 'boolean'
      ? v
        ? 'yes'
        : 'no'
      : Array.isArray(v)
        ? v.length > 0
          ? v.join(', ')
          : null
        : String(v);

function outcomeOf(
  issues: ImportIssue[],
  exists: boolean,
  changes: ImportChange[],
): ImportRowReport['outcome'] {
  return issues.length ? 'error' : !exists ? 'create' : changes.length ? 'update' : 'unchanged';
}

async function planPeople(
  deps: ImportDeps,
  ops: StoreOps,
  rows: Cells[],
  actor: AuditActor,
): Promise<Plan[]> {
  const everyone = await ops.peopleWithCounts();
  const byEmail = new Map<string, PersonRow>();
  const byNumber = new Map<string, PersonRow>();
  for (const p of everyone) {
    if (p.email) byEmail.set(p.email.toLowerCase(), p);
    if (p.employeeNumber) byNumber.set(p.employeeNumber, p);
  }
  const seenEmail = new Map<string, number>();
  const seenNumber = new Map<string, number>();
  const seenBadge = new Map<string, number>();
  const plans: Plan[] = [];

  for (const cells of rows) {
    const r = new RowReader(cells);
    const name = r.text('name', { required: true, max: LIMITS.name }) ?? '';
    const email = r.email('email');
    const role = r.role('role', false);
    const department = r.text('department', { max: LIMITS.department });
    const number = r.text('employeeNumber', { max: LIMITS.employeeNumber });
    const badges = r.badges('badges');
    const issues = r.issues;
    const fail = (
      column: ImportColumn | null,
      rule: ImportRule,
      value: string | null,
      more: Partial<ImportIssue> = {},
    ) => issues.push({ row: cells.row, column, rule, value: value === null ? null : shown(value), ...more });

    if (!email && !number) fail(null, 'keyRequired', null);
    if (email) {
      const other = seenEmail.get(email);
      if (other !== undefined) fail('email', 'duplicateInFile', email, { otherRow: other });
      else seenEmail.set(email, cells.row);
    }
    if (number) {
      const other = seenNumber.get(number);
      if (other !== undefined) fail('employeeNumber', 'duplicateInFile', number, { otherRow: other });
      else seenNumber.set(number, cells.row);
    }
    // Who the row is: by email first, else by employee number.
    const byE = email ? byEmail.get(email) : undefined;
    const byN = number ? byNumber.get(number) : undefined;
    const existing = byE ?? byN ?? null;
    if (byE && byN && byE.id !== byN.id) fail('employeeNumber', 'employeeNumberTaken', number ?? null);
    if (!byE && byN && email && byEmail.has(email)) fail('email', 'emailTaken', email);

    const hashes: { credential: Credential; hash: string }[] = [];
    for (const credential of badges) {
      const other = seenBadge.get(credential);
      // The badge's number is never echoed back: only its hint.
      if (other !== undefined) {
        fail('badges', 'duplicateInFile', credentialHint(credential), { otherRow: other });
        continue;
      }
      seenBadge.set(credential, cells.row);
      const hash = deps.hashBadge(credential);
      const holder = await ops.findUserByBadgeHash(hash);
      if (holder && holder.id !== existing?.id) fail('badges', 'badgeTaken', credentialHint(credential));
      else if (!holder) hashes.push({ credential, hash });
    }

    const want: Partial<Record<'name' | 'email' | 'role' | 'department' | 'employeeNumber', string | null>> =
      {
        name,
        ...(email ? { email } : {}),
        ...(role ? { role } : {}),
        ...(department !== undefined ? { department: department || null } : {}),
        ...(number ? { employeeNumber: number } : {}),
      };
    const changes: ImportChange[] = [];
    if (existing) {
      const now: Record<string, string | null> = {
        name: existing.displayName,
        email: existing.email?.toLowerCase() ?? null,
        role: existing.role,
        department: existing.department,
        employeeNumber: existing.employeeNumber,
      };
      for (const [column, after] of Object.entries(want))
        if (now[column] !== after)
          changes.push({ column, before: column === 'email' ? existing.email : now[column]!, after });
      if (changes.length && (await ops.findDirectoryUser(existing.id))) fail(null, 'directoryManaged', null);
      if (role && role !== existing.role && actor.id === existing.id) fail('role', 'ownRole', role);
    } else {
      // A new person: what they will have (name and email are on the row already).
      for (const [column, after] of Object.entries({ ...want, role: role ?? 'member' }))
        if (after && column !== 'name' && column !== 'email') changes.push({ column, before: null, after });
    }
    for (const { credential } of hashes)
      changes.push({ column: 'badges', before: null, after: credentialHint(credential) });

    const outcome = outcomeOf(issues, !!existing, changes);
    const plan: Plan = {
      report: {
        row: cells.row,
        outcome,
        key: email ?? number ?? '',
        name: shown(name),
        changes: outcome === 'error' ? [] : changes,
        issues,
      },
    };
    if (outcome === 'create' || outcome === 'update') {
      plan.apply = async (tx, who, at) => {
        let id = existing?.id;
        if (!id) {
          const user = await tx.createUser({
            displayName: name,
            email: email ?? null,
            role: role ?? 'member',
            active: true,
            passwordHash: null,
          });
          id = user.id;
          if (department || number)
            await tx.updateUser(id, { department: department || null, employeeNumber: number || null });
        } else {
          const patch = Object.fromEntries(
            changes
              .filter((c) => c.column !== 'badges')
              .map((c) => [c.column === 'name' ? 'displayName' : c.column, c.after]),
          );
          if (Object.keys(patch).length) await tx.updateUser(id, patch);
          // A lowered role ends the person's sign-ins at once, as the edit form does.
          if (existing && role && !roleSatisfies(role, existing.role))
            await tx.revokeSessionsOfUser(id, at, 'role lowered by CSV import');
        }
        for (const { credential, hash } of hashes)
          await tx.addBadgeWithHint(
            id,
            {
              credentialHash: hash,
              rosterHash: deps.rosterHash(credential),
              hint: credentialHint(credential),
              label: null,
            },
            at,
          );
        await tx.audit(
          {
            actor: who,
            action: existing ? 'person.update' : 'person.create',
            ...(existing ? { changes: auditChanges('people', changes) } : {}),
            targetKind: 'person',
            targetId: id,
            detail: existing
              ? `${existing.displayName} (CSV): ${changes.map(describe).join('; ')}`
              : `${name} (${role ?? 'member'}) (CSV)${hashes.length ? ` + badge ${hashes.map((h) => credentialHint(h.credential)).join(', ')}` : ''}`,
          },
          at,
        );
      };
    }
    plans.push(plan);
  }
  return plans;
}

/** An update's changes as the audit log keeps them: the record's own field names, plain values. */
const auditChanges = (kind: ImportKind, changes: ImportChange[]): AuditChange[] => {
  const plain = (column: string, v: string | null) => (column === 'retired' ? String(v === 'yes') : v);
  return changes
    .filter((c) => c.column !== 'badges')
    .map((c) => ({
      field: kind === 'people' && c.column === 'name' ? 'displayName' : c.column,
      before: plain(c.column, c.before),
      after: plain(c.column, c.after),
    }));
};

const describe = (c: ImportChange) =>
  c.column === 'badges' ? `+ badge ${c.after}` : `${c.column} ${c.before ?? '—'} → ${c.after ?? '—'}`;

async function planItems(ops: StoreOps, rows: Cells[]): Promise<Plan[]> {
  const seenTag = new Map<string, number>();
  const plans: Plan[] = [];
  for (const cells of rows) {
    const r = new RowReader(cells);
    const tag = r.text('tag', { required: true, max: LIMITS.tag }) ?? '';
    const draft: ItemDraft = {
      tag,
      name: r.text('name', { required: true, max: LIMITS.name }) ?? '',
      category: r.text('category', { required: true, max: LIMITS.category }) ?? '',
      loanDays: r.integer('loanDays', 1, 365) ?? 0,
    };
    const serial = r.text('serial', { max: LIMITS.serial });
    if (serial !== undefined) draft.serial = serial || null;
    const restrictedTo = r.role('restrictedTo', true);
    if (restrictedTo !== undefined) draft.restrictedTo = restrictedTo;
    const locker = r.text('lockerSlot', { max: LIMITS.lockerSlot });
    if (locker !== undefined) draft.lockerSlot = locker || null;
    const retired = r.yesNo('retired');
    if (retired !== undefined) draft.retired = retired;
    const parts = r.parts('parts');
    if (parts !== undefined) draft.parts = parts;
    const issues = r.issues;

    if (tag) {
      const other = seenTag.get(tag);
      if (other !== undefined)
        issues.push({
          row: cells.row,
          column: 'tag',
          rule: 'duplicateInFile',
          value: shown(tag),
          otherRow: other,
        });
      else seenTag.set(tag, cells.row);
    }
    const existing: ItemRecord | null = tag ? await ops.findItemByTag(tag) : null;
    // The serial number is not on the item record the tag finds; read it only when the file has it.
    const full = existing && 'serial' in draft ? await ops.findItemWithHolder(existing.id) : null;
    const changes: ImportChange[] = [];
    if (existing) {
      for (const column of IMPORT_COLUMNS.items) {
        if (!(column in draft) || column === 'tag') continue;
        const before = str(column === 'serial' ? full?.serial : existing[column]);
        const after = str(draft[column]);
        if (before !== after) changes.push({ column, before, after });
      }
      if (draft.retired && !existing.retired && existing.onLoan)
        issues.push({ row: cells.row, column: 'retired', rule: 'retireOnLoan', value: null });
    } else {
      // A new item: what it will have (tag and name are on the row already).
      for (const column of [
        'category',
        'loanDays',
        'serial',
        'restrictedTo',
        'lockerSlot',
        'retired',
        'parts',
      ] as const) {
        const after = str(draft[column]);
        if (after !== null && !(column === 'retired' && after === 'no'))
          changes.push({ column, before: null, after });
      }
    }
    const outcome = outcomeOf(issues, !!existing, changes);
    const plan: Plan = {
      report: {
        row: cells.row,
        outcome,
        key: shown(tag),
        name: shown(draft.name),
        changes: outcome === 'error' ? [] : changes,
        issues,
      },
    };
    if (outcome === 'create' || outcome === 'update') {
      plan.apply = async (tx, who, at) => {
        let id = existing?.id;
        if (!id) {
          id = (
            await tx.createItem({
              tag: draft.tag,
              name: draft.name,
              category: draft.category,
              loanDays: draft.loanDays,
              restrictedTo: draft.restrictedTo ?? null,
              lockerSlot: draft.lockerSlot ?? null,
              parts: draft.parts ?? [],
            })
          ).id;
          if (draft.retired || draft.serial)
            await tx.updateItem(id, {
              ...(draft.retired ? { retired: true } : {}),
              ...(draft.serial ? { serial: draft.serial } : {}),
            });
        } else {
          const { tag: _tag, ...patch } = draft;
          await tx.updateItem(id, patch);
        }
        await tx.audit(
          {
            actor: who,
            action: existing
              ? draft.retired && !existing.retired
                ? 'item.retire'
                : 'item.update'
              : 'item.create',
            ...(existing ? { changes: auditChanges('items', changes) } : {}),
            targetKind: 'item',
            targetId: id,
            detail: existing
              ? `${draft.tag} ${existing.name} (CSV): ${changes.map(describe).join('; ')}`
              : `${draft.tag} ${draft.name} (CSV)`,
          },
          at,
        );
      };
    }
    plans.push(plan);
  }
  return plans;
}
