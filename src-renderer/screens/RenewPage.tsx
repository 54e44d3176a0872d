/**
 * Renew: the loans chosen on the session home (one, or all that may be renewed), each with
 * its due date now and the one a renewal gives, shown before the person confirms. Which loans
 * may be renewed, and until when, is the core's (protocol/renewals.ts); this only shows it.
 */
import type { RenewalOption } from '../../protocol/kiosk-api.ts';
import type { LoanSummary } from '../../protocol/wire/kiosk.ts';
import { useI18n } from '../i18n/i18n-context.tsx';

// Stand-ins for the two dates in the sentence, so each can be set as a whole (never split).
const FROM = '\uE000from\uE000';
const TO = '\uE000to\uE000';

/** The sentence with each date kept on one line: "12월 5일 오전 07:55" never breaks before 오전. */
function wholeDates(sentence: string, dates: Record<string, string>) {
  return sentence.split(/(\uE000\w+\uE000)/).map((part, i) =>
    Object.hasOwn(dates, part) ? (
      <span key={i} className="date">
        {dates[part]}
      </span>
    ) : (
      part
    ),
  );
}

type Props = {
  loans: readonly LoanSummary[];
  renewals: readonly RenewalOption[];
  selected: readonly string[];
  onToggle: (itemId: string) => void;
  onConfirm: () => void;
};

export function RenewPage({ loans, renewals, selected, onToggle, onConfirm }: Props) {
  const { t, dateTime } = useI18n();
  const renewable = renewals.filter((r) => r.newDueAt !== null);
  return (
    <div className="work-area">
      <section className="panel list-panel" aria-label={t('renewTitle')}>
        <p className="muted hint">{t('renewHint')}</p>
        <div className="scroll">
          {renewable.length === 0 && <p className="muted empty">{t('renewNone')}</p>}
          <ul className="item-grid renew-grid" data-testid="renew-list">
            {renewable.map((r) => {
              const loan = loans.find((l) => l.itemId === r.itemId);
              if (!loan) return null;
              const chosen = selected.includes(r.itemId);
              return (
                <li key={r.itemId}>
                  <button
                    type="button"
                    className={`item ${chosen ? 'item-chosen' : ''}`}
                    aria-pressed={chosen}
                    onClick={() => onToggle(r.itemId)}
                    aria-label={t('renewSelect', { name: loan.itemName })}
                    data-testid={`renew-pick-${r.itemId}`}
                  >
                    <span className="item-name">{loan.itemName}</span>
                    <span className="item-meta renew-dates">
                      {wholeDates(t('renewFromTo', { from: FROM, to: TO }), {
                        [FROM]: dateTime(loan.dueAt),
                        [TO]: dateTime(r.newDueAt!),
                      })}
                    </span>
                    {chosen && <span className="tag tag-ok">✓</span>}
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      </section>
      <aside className="panel cart-panel" aria-label={t('renewConfirmTitle')}>
        <h2>{t('renewConfirmTitle')}</h2>
        <ul className="cart-list" data-testid="renew-summary">
          {selected.map((id) => {
            const loan = loans.find((l) => l.itemId === id);
            const r = renewals.find((x) => x.itemId === id);
            if (!loan || !r?.newDueAt) return null;
            return (
              <li key={id} className="cart-line renew-line">
                <span className="item-name">{loan.itemName}</span>
                <span className="due renew-new-due">{t('renewNewDue', { date: dateTime(r.newDueAt) })}</span>
              </li>
            );
          })}
        </ul>
        <button
          type="button"
          className="btn btn-primary btn-big confirm"
          disabled={selected.length === 0}
          onClick={onConfirm}
          data-testid="confirm-renew"
        >
          {selected.length === 0 ? t('renew') : t('renewN', { n: selected.length })}
        </button>
      </aside>
    </div>
  );
}
