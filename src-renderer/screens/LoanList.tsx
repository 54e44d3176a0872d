/** A person's current loans with due dates, overdue ones marked in words, not colour alone. */
import type { LoanSummary } from '../../protocol/wire/kiosk.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import { isOverdue } from '../state/catalog.ts';

export function LoanList({ loans, now }: { loans: readonly LoanSummary[]; now: number }) {
  const { t, date } = useI18n();
  if (loans.length === 0) return <p className="muted empty">{t('noLoans')}</p>;
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
