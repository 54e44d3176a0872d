/**
 * The audit log and conflicts said as sentences in the reader's language: who did what to
 * which thing, by names (never ids or codes), and for an edit only the fields that changed,
 * before -> after. Korean particles follow the names filled in (josa.ts). Entries written
 * before the server kept names and changes still read: the target's name is looked up now,
 * and an edit without changes says that the details changed.
 */
import { STAFF_KIOSK_ID, type AuditEntry, type TxKind } from '../protocol/index.ts';
import type { Lang, MessageKey } from './i18n.ts';
import { errorWords, translate } from './i18n.ts';
import { eul, ro } from './josa.ts';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

export type Sentence = {
  text: string;
  /** An edit's changed fields in words: label, before, after. */
  changes: { field: string; before: string; after: string }[];
  /** A note a person wrote with the change (a manual return, a conflict settled). */
  note: string | null;
};

const FIELD_WORDS: Record<string, MessageKey> = {
  displayName: 'fldName',
  name: 'fldName',
  email: 'fldEmail',
  role: 'fldRole',
  department: 'fldDepartment',
  employeeNumber: 'fldEmployeeNumber',
  active: 'fldActive',
  tag: 'fldTag',
  category: 'fldCategory',
  loanDays: 'fldLoanDays',
  restrictedTo: 'fldRestrictedTo',
  lockerSlot: 'fldLockerSlot',
  retired: 'fldRetired',
  serial: 'fldSerial',
  notes: 'fldNotes',
  parts: 'fldParts',
  password: 'fldPassword',
  condition: 'fldCondition',
  badgeLabel: 'fldBadgeLabel',
};

const CONDITION_WORDS: Record<string, MessageKey> = {
  ok: 'conditionOk',
  needs_check: 'conditionNeedsCheck',
  in_repair: 'conditionInRepair',
  lost: 'conditionLost',
};

const ROLE_WORDS: Record<string, MessageKey> = {
  admin: 'roleAdmin',
  staff: 'roleStaff',
  member: 'roleMember',
};

/** A stored value in words: roles and yes/no by their names, free text quoted. */
function valueWords(t: T, lang: Lang, field: string, v: string | null): string {
  if (v === null || v === '') return t('valNone');
  if (field === 'role' || field === 'restrictedTo') {
    // Mid-sentence in English a role is a common noun: "from staff to admin".
    const word = ROLE_WORDS[v] ? t(ROLE_WORDS[v]) : t('valNone');
    return lang === 'en' ? word.toLowerCase() : word;
  }
  if (field === 'condition' && CONDITION_WORDS[v]) return t(CONDITION_WORDS[v]);
  if (field === 'active') return t(v === 'true' ? 'valActive' : 'valInactive');
  if (field === 'retired') return t(v === 'true' ? 'valRetired' : 'valInUse');
  if (field === 'loanDays' && /^\d+$/.test(v)) return t('valDays', { n: v });
  if (field === 'password') return t('valChanged');
  return lang === 'ko' ? `‘${v}’` : `“${v}”`;
}

export function changeWords(t: T, lang: Lang, changes: AuditEntry['changes']) {
  return (changes ?? []).map((c) => ({
    field: t(FIELD_WORDS[c.field] ?? 'fldOther'),
    before: valueWords(t, lang, c.field, c.before),
    after: valueWords(t, lang, c.field, c.after),
  }));
}

const obj = (lang: Lang, word: string) => (lang === 'ko' ? eul(word) : word);
const to = (lang: Lang, word: string) => (lang === 'ko' ? ro(word) : word);

/** What a kiosk transaction that was not applied means, as a sentence (conflicts page, audit). */
export function conflictSentence(
  t: T,
  lang: Lang,
  c: {
    code: string | null;
    kind: TxKind;
    person: string | null;
    item: string | null;
    kiosk: string | null;
    other: string | null;
  },
): string {
  const person = c.person ?? t('auSomeone');
  const item = c.item ?? t('auUnknownItem');
  const kiosk = c.kiosk ?? t('auUnknownKiosk');
  // '김민준 님' or '다른 사람': both take 이 in the sentence.
  const other = c.other ? t('auNamed', { name: c.other }) : t('auSomeoneElse');
  const vars = { person, item, itemObj: obj(lang, item), kiosk, other };
  switch (c.code) {
    case 'RETURNED_BY_OTHER':
      return t('cfReturnedByOther', vars);
    case 'ITEM_UNAVAILABLE':
      return t('cfItemUnavailable', vars);
    case 'ITEM_NOT_ON_LOAN':
      return t('cfItemNotOnLoan', vars);
    case 'ITEM_UNKNOWN':
      return t('cfItemUnknown', vars);
    case 'USER_UNKNOWN':
      return t('cfUserUnknown', vars);
    case 'USER_INACTIVE':
      return t('cfUserInactive', vars);
    default:
      return t('cfGeneric', {
        ...vars,
        action: t(c.kind === 'borrow' ? 'cfActBorrow' : c.kind === 'return' ? 'cfActReturn' : 'cfActRenew'),
        reason: errorWords(lang, c.code ?? 'INTERNAL'),
      });
  }
}

/** A stored reservation target: "<category> (any)" means any one of the category. */
const anyWords = (t: T, what: string) => {
  const any = /^(.*) \(any\)$/.exec(what);
  return any ? t('anyOf', { category: any[1]! }) : what;
};

/** The part of a stored detail after its first ': ' (the note of a manual return or a settled conflict). */
const noteOf = (detail: string | null, sep: string) => {
  if (!detail) return null;
  const i = detail.indexOf(sep);
  return i >= 0 ? detail.slice(i + sep.length).trim() || null : null;
};

export function auditSentence(lang: Lang, e: AuditEntry): Sentence {
  const t: T = (key, vars) => translate(lang, key, vars);
  const who =
    e.actorKind === 'system'
      ? t('auSystem')
      : t('auWho', { name: e.tx ? (e.tx.userName ?? t('auSomeone')) : (e.actorName ?? t('auSomeone')) });
  const target = e.targetName ?? t('auGone');
  const person = e.targetPerson ?? t('auSomeone');
  const base = { who, target, targetObj: obj(lang, target), person };
  const plain = (key: MessageKey): Sentence => ({ text: t(key, base), changes: [], note: null });

  if (e.tx) {
    const item = e.tx.itemName ?? t('auUnknownItem');
    const kiosk = e.tx.kioskName ?? t('auUnknownKiosk');
    const vars = { who, item, itemObj: obj(lang, item), kiosk };
    // A loan staff set right while settling a conflict (staff-correction.ts), not a kiosk's.
    const staff = e.actorId === STAFF_KIOSK_ID;
    const done = staff
      ? t(e.tx.kind === 'borrow' ? 'auTxStaffBorrow' : 'auTxStaffReturn', vars)
      : e.tx.kind === 'borrow'
        ? t('auTxBorrow', vars)
        : e.tx.kind === 'return'
          ? t('auTxReturn', vars)
          : t('auTxRenew', vars);
    if (e.tx.status === 'applied' && !e.tx.code) return { text: done, changes: [], note: null };
    const why = conflictSentence(t, lang, {
      code: e.tx.code,
      kind: e.tx.kind,
      person: e.tx.userName,
      item: e.tx.itemName,
      kiosk: e.tx.kioskName,
      other: null,
    });
    return {
      text: e.tx.status === 'applied' ? `${done} ${t('auTxNote', { why })}` : why,
      changes: [],
      note: null,
    };
  }

  const changes = changeWords(t, lang, e.changes);
  const edit = (one: MessageKey, many: MessageKey): Sentence => {
    const [only] = changes;
    if (changes.length === 1 && only)
      return {
        text: t(one, {
          ...base,
          fieldObj: obj(lang, only.field),
          before: only.before,
          afterTo: to(lang, only.after),
        }),
        changes: [],
        note: null,
      };
    return { text: t(many, base), changes, note: null };
  };

  switch (e.action) {
    case 'person.create':
      return plain('auPersonCreate');
    case 'person.update':
      return edit('auPersonOneChange', 'auPersonUpdate');
    case 'person.deactivate':
      return plain('auPersonDeactivate');
    case 'person.suspend':
      return plain('auPersonSuspend');
    case 'person.unsuspend':
      return plain('auPersonUnsuspend');
    case 'person.adopt':
    case 'person.delete':
    case 'person.detach':
      return plain('auPersonDirectory');
    case 'badge.add':
      return plain('auBadgeAdd');
    case 'badge.remove':
      return plain('auBadgeRemove');
    case 'badge.label':
      return edit('auPersonOneChange', 'auPersonUpdate');
    case 'item.create':
      return plain('auItemCreate');
    case 'item.update':
      return edit('auItemOneChange', 'auItemUpdate');
    case 'item.retire':
      return plain('auItemRetire');
    case 'item.condition':
      // The note is what follows "<tag> <name>: <before> -> <after>: " in the stored detail.
      return {
        ...(changes.length ? edit('auItemOneChange', 'auItemCondition') : plain('auItemCondition')),
        note: /-> [a-z_]+: (.*)$/s.exec(e.detail ?? '')?.[1]?.trim() || null,
      };
    case 'item.import':
      return plain('auItemImport');
    case 'kiosk.create':
      return plain('auKioskCreate');
    case 'kiosk.revoke':
      return plain('auKioskRevoke');
    case 'kiosk.rekey':
      return plain('auKioskRekey');
    case 'loan.close': {
      const parts = (e.detail ?? '').split(' · ');
      return { ...plain('auLoanClose'), note: parts.length >= 3 ? parts.slice(2).join(' · ') : null };
    }
    case 'conflict.resolve':
      return { ...plain('auConflictResolve'), note: noteOf(e.detail, ': ') };
    case 'reservation.create':
    case 'reservation.cancel':
    case 'reservation.expire': {
      // Stored as "<what> · <person> · <from> -> <to>" (server/reservations/reserve.ts).
      const [what = target, holder = person] = (e.detail ?? '').split(' · ');
      const key =
        e.action === 'reservation.create'
          ? 'auResCreate'
          : e.action === 'reservation.cancel'
            ? 'auResCancel'
            : 'auResExpire';
      return { text: t(key, { ...base, what: anyWords(t, what), person: holder }), changes: [], note: null };
    }
    case 'reservation.conflict': {
      // Stored as "<item> · <borrower> · <holder> · <transaction>" (server/sync/reservation-at-borrow.ts).
      const [item = target, borrower = '', holder = ''] = (e.detail ?? '').split(' · ');
      return {
        text: t('auResConflict', { ...base, itemObj: obj(lang, item), borrower, holder }),
        changes: [],
        note: null,
      };
    }
    case 'policies.update':
      return plain('auPolicies');
    case 'reminders.run':
    case 'reminders.trigger':
      return plain('auReminders');
    case 'group.role':
    case 'group.delete':
      return plain('auGroup');
    case 'sso.create':
    case 'sso.link':
    case 'sso.role':
    case 'sso.unlink':
      return plain('auSso');
    case 'scim-token.create':
    case 'scim-token.revoke':
      return plain('auScimToken');
    default:
      return edit('auOtherOneChange', 'auOther');
  }
}
