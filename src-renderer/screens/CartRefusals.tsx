/**
 * Which items of a cart the lending rules stopped, each with its rule and numbers ("You may
 * have 5 items at once; you have 4, so you can take 1 more"); the cart keeps the rest. And
 * what stops a person borrowing anything (a suspension, overdue loans), said as they tap in.
 */
import type { CartRefusal, KioskItem, SessionBlock } from '../../protocol/kiosk-api.ts';
import { useI18n, type I18n } from '../i18n/i18n-context.tsx';

export function CartRefusals({
  refused,
  items,
  loans = [],
}: {
  refused: CartRefusal[];
  items: KioskItem[];
  /** Names of the person's loans (a renewal may be of an item the list does not show). */
  loans?: readonly { itemId: string; itemName: string }[];
}) {
  const i18n = useI18n();
  if (refused.length === 0) return null;
  return (
    <ul className="refusals" data-testid="cart-refusals">
      {refused.map((r) => (
        <li key={r.itemId} data-code={r.code}>
          <strong>
            {items.find((i) => i.id === r.itemId)?.name ??
              loans.find((l) => l.itemId === r.itemId)?.itemName ??
              r.itemId}
          </strong>
          <span>{ruleReasonText(i18n, r)}</span>
        </li>
      ))}
    </ul>
  );
}

/** A rule's refusal in words, with its numbers. */
export function ruleReasonText({ t, err, lang, dateTime }: I18n, r: SessionBlock): string {
  const limit = r.limit ?? 0;
  const have = r.have ?? 0;
  const n = r.canTake ?? 0;
  switch (r.code) {
    case 'LOAN_LIMIT_REACHED':
      return r.limit === undefined
        ? err(r.code)
        : t(n > 0 ? 'ruleLoanLimit' : 'ruleLoanLimitFull', { limit, have, n });
    case 'CATEGORY_LIMIT_REACHED':
      return t(n > 0 ? 'ruleCategoryLimit' : 'ruleCategoryLimitFull', {
        category: r.category ?? '',
        limit,
        have,
        n,
      });
    case 'CATEGORY_NOT_ALLOWED':
      return t('ruleCategoryNotAllowed', { category: r.category ?? '' });
    case 'OVERDUE_BLOCK':
      return t('ruleOverdue', { n: r.overdue ?? 1 });
    case 'RENEWAL_LIMIT_REACHED':
      return r.limit === undefined ? err(r.code) : t('ruleRenewalLimit', { limit, n: r.used ?? limit });
    case 'ITEM_RESERVED':
      return r.freeAt ? t('ruleReserved', { time: dateTime(r.freeAt) }) : err(r.code);
    case 'PERSON_SUSPENDED': {
      const until = r.until ? calendarDate(lang, r.until) : '';
      const main = t('ruleSuspended', { until });
      return r.note ? `${main}. ${t('ruleSuspendedNote', { note: r.note })}` : main;
    }
    default:
      return err(r.code);
  }
}

/** A calendar date of the lending room (YYYY-MM-DD) in words, the same wherever the kiosk's clock is set. */
function calendarDate(lang: string, date: string): string {
  const at = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(at.getTime())) return date;
  return new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  }).format(at);
}

/** What stops this person borrowing anything now, said as the session opens. */
export function SessionBlockBanner({ block }: { block: SessionBlock | null | undefined }) {
  const i18n = useI18n();
  if (!block) return null;
  return (
    <p className="banner banner-warn" role="status" data-testid="session-block" data-code={block.code}>
      {ruleReasonText(i18n, block)}
    </p>
  );
}
