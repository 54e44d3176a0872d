/** Return: the person's own loans to tap, any scanned item, and what state they came back in. */
import type { ReturnCondition } from '../../protocol/lending.ts';
import type { KioskItem } from '../../protocol/kiosk-api.ts';
import type { LoanSummary } from '../../protocol/wire/kiosk.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { isOverdue } from '../state/catalog.ts';

/** One choice for the whole return: such items wait for a check by staff before anyone borrows them. */
const CONDITIONS: ReadonlyArray<{ value: ReturnCondition; key: MessageKey }> = [
  { value: 'damaged', key: 'noteDamaged' },
  { value: 'incomplete', key: 'noteMissingPart' },
];

type Props = {
  loans: readonly LoanSummary[];
  items: readonly KioskItem[];
  now: number;
  selected: readonly string[];
  condition: ReturnCondition | null;
  onToggle: (itemId: string) => void;
  onCondition: (condition: ReturnCondition | null) => void;
  onConfirm: () => void;
};

export function ReturnPage({
  loans,
  items,
  now,
  selected,
  condition,
  onToggle,
  onCondition,
  onConfirm,
}: Props) {
  const { t, date } = useI18n();
  const own = new Set(loans.map((l) => l.itemId));
  const scanned = selected.filter((id) => !own.has(id));

  return (
    <div className="work-area">
      <section className="panel list-panel" aria-label={t('returnTitle')}>
        <p className="muted hint">{t('tapOrScanReturn')}</p>
        <div className="scroll">
          {loans.length === 0 && scanned.length === 0 && <p className="muted empty">{t('noLoans')}</p>}
          <ul className="item-grid" data-testid="return-list">
            {loans.map((loan) => {
              const chosen = selected.includes(loan.itemId);
              const late = isOverdue(loan.dueAt, now);
              return (
                <li key={loan.id}>
                  <button
                    type="button"
                    className={`item ${chosen ? 'item-chosen' : ''}`}
                    aria-pressed={chosen}
                    onClick={() => onToggle(loan.itemId)}
                    aria-label={t('selectForReturn', { name: loan.itemName })}
                  >
                    <span className="item-name">{loan.itemName}</span>
                    <span className="item-meta">
                      {late && <span className="tag tag-danger">{t('overdue')}</span>}{' '}
                      {t('dueOn', { date: date(loan.dueAt) })}
                    </span>
                    {chosen && <span className="tag tag-ok">✓</span>}
                  </button>
                </li>
              );
            })}
          </ul>
          {scanned.length > 0 && (
            <>
              <h3 className="category-title">{t('scannedForReturn')}</h3>
              <ul className="item-grid">
                {scanned.map((id) => {
                  const item = items.find((i) => i.id === id);
                  const name = item?.name ?? id;
                  // Someone else's loan: whose it was, before the return is committed.
                  const heldBy = item && !item.available ? (item.heldBy ?? null) : undefined;
                  return (
                    <li key={id}>
                      <button
                        type="button"
                        className="item item-chosen"
                        aria-pressed
                        onClick={() => onToggle(id)}
                        aria-label={t('selectForReturn', { name })}
                      >
                        <span className="item-name">{name}</span>
                        {heldBy !== undefined && (
                          <span className="item-meta held-by" data-testid="held-by">
                            {heldBy === null ? t('heldBySomeone') : t('heldByName', { name: heldBy })}
                          </span>
                        )}
                        <span className="tag tag-ok">✓</span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </div>
      </section>
      <aside className="panel cart-panel" aria-label={t('conditionNote')}>
        <h2>{t('conditionNote')}</h2>
        <div className="note-chips">
          {CONDITIONS.map((c) => (
            <button
              key={c.value}
              type="button"
              className={`btn btn-toggle ${condition === c.value ? 'on' : ''}`}
              aria-pressed={condition === c.value}
              onClick={() => onCondition(condition === c.value ? null : c.value)}
            >
              {t(c.key)}
            </button>
          ))}
        </div>
        {condition && <p className="muted hint">{t('conditionCheckHint')}</p>}
        <button
          type="button"
          className="btn btn-accent btn-big confirm"
          disabled={selected.length === 0}
          onClick={onConfirm}
          data-testid="confirm-return"
        >
          {selected.length === 0 ? t('returnItems') : t('returnN', { n: selected.length })}
        </button>
      </aside>
    </div>
  );
}
