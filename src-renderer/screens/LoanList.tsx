/** A person's current loans with due dates, overdue ones marked in words, not colour alone. */
import type { LoanSummary } from '../../protocol/wire/kiosk.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import { isOverdue } from '../state/catalog.ts';

type Props = { loans: readonly LoanSummary[]; now: number; offline?: boolean };

export function LoanList({ loans, now, offline = false }: Props) {
  const { t, date } = useI18n();
  // Offline, an empty list may only mean the kiosk cannot see them: do not claim "nothing on loan".
  if (loans.length === 0)
    return <p className="muted empty">{offline ? t('loansUnknownOffline') : t('noLoans')}</p>;
  return (
    <ul className="loan-list" data-testid="loan-list">
      {loans.map((loan) => {
        const late = isOverdue(loan.dueAt, now);
        return (
          <li key={loan.id} className={`loan ${late ? 'loan-overdue' : ''}`}>
            <span className="item-name">{loan.itemName}</span>
            <span className="due">
              {late && <span className="tag tag-danger">{t('overdue')}</span>}{' '}
              {t('dueOn', { date: date(loan.dueAt) })}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
