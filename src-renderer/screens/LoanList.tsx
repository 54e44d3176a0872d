/**
 * A person's current loans with due dates, overdue ones marked in words, not colour alone.
 * With renewal options (the core's, protocol/renewals.ts): a "Renew" button on each loan that
 * may be renewed, and under one that may not, the rule that stops it with its numbers.
 */
import type { RenewalOption } from '../../protocol/kiosk-api.ts';
import type { LoanSummary } from '../../protocol/wire/kiosk.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import { isOverdue } from '../state/catalog.ts';
import { ruleReasonText } from './CartRefusals.tsx';

type Props = {
  loans: readonly LoanSummary[];
  now: number;
  offline?: boolean;
  renewals?: readonly RenewalOption[];
  onRenew?: (itemIds: string[]) => void;
};

export function LoanList({ loans, now, offline = false, renewals = [], onRenew }: Props) {
  const i18n = useI18n();
  const { t, date } = i18n;
  // Offline, an empty list may only mean the kiosk cannot see them: do not claim "nothing on loan".
  if (loans.length === 0)
    return <p className="muted empty">{offline ? t('loansUnknownOffline') : t('noLoans')}</p>;
  return (
    <ul className="loan-list" data-testid="loan-list">
      {loans.map((loan) => {
        const late = isOverdue(loan.dueAt, now);
        const option = renewals.find((r) => r.itemId === loan.itemId);
        const why =
          option?.refusal &&
          (option.refusal.code === 'RENEWAL_OVERDUE'
            ? t('ruleRenewalOverdue', { date: date(loan.dueAt) })
            : ruleReasonText(i18n, option.refusal));
        return (
          <li
            key={loan.id}
            className={`loan ${late ? 'loan-overdue' : ''} ${option ? 'loan-renewable' : ''}`}
          >
            <span className="loan-main">
              <span className="item-name">{loan.itemName}</span>
              <span className="due">
                {late && <span className="tag tag-danger">{t('overdue')}</span>}{' '}
                {t('dueOn', { date: date(loan.dueAt) })}
              </span>
              {why && (
                <span
                  className="loan-why"
                  data-testid={`renew-why-${loan.itemId}`}
                  data-code={option.refusal!.code}
                >
                  {why}
                </span>
              )}
            </span>
            {option?.newDueAt && onRenew && (
              <button
                type="button"
                className="btn btn-secondary loan-renew"
                onClick={() => onRenew([loan.itemId])}
                data-testid={`renew-${loan.itemId}`}
              >
                {t('renew')}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
