/**
 * Return: the person's own loans to tap, any scanned item, and beside them the items chosen,
 * each with its own "report a problem" (the sheet is ReturnReportSheet, opened by SessionFlow).
 */
import type { KioskItem } from '../../protocol/kiosk-api.ts';
import type { LoanSummary } from '../../protocol/wire/kiosk.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import { isOverdue } from '../state/catalog.ts';
import { hasProblem, type ReturnDraft } from '../state/return-reports.ts';
import { ReportSummary } from './ReportSummary.tsx';

type Props = {
  loans: readonly LoanSummary[];
  items: readonly KioskItem[];
  now: number;
  selected: readonly string[];
  reports: Readonly<Record<string, ReturnDraft>>;
  onToggle: (itemId: string) => void;
  /** Open the report sheet of one chosen item. */
  onReport: (itemId: string) => void;
  onConfirm: () => void;
};

export function ReturnPage({ loans, items, now, selected, reports, onToggle, onReport, onConfirm }: Props) {
  const { t, date } = useI18n();
  const own = new Set(loans.map((l) => l.itemId));
  const scanned = selected.filter((id) => !own.has(id));
  const nameOf = (id: string) =>
    items.find((i) => i.id === id)?.name ?? loans.find((l) => l.itemId === id)?.itemName ?? id;
  const partsOf = (id: string) => items.find((i) => i.id === id)?.parts;

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
              const parts = partsOf(loan.itemId);
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
                      {parts && ` · ${t('kitParts', { n: parts.length })}`}
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
      <aside className="panel cart-panel" aria-label={t('returningTitle')}>
        <h2>{t('returningTitle')}</h2>
        {selected.length === 0 ? (
          <p className="muted empty">{t('returningEmpty')}</p>
        ) : (
          <ul className="cart-list" data-testid="return-chosen">
            {selected.map((id) => {
              const name = nameOf(id);
              const draft = reports[id];
              const reported = hasProblem(draft);
              const parts = partsOf(id);
              return (
                <li key={id} className="return-line" data-testid={`return-line-${id}`}>
                  <span className="return-line-text">
                    <span className="item-name">{name}</span>
                    {reported ? (
                      <ReportSummary draft={draft} />
                    ) : (
                      parts && <span className="item-meta">{t('kitAllHere', { n: parts.length })}</span>
                    )}
                  </span>
                  <button
                    type="button"
                    className={`btn ${reported ? 'btn-quiet' : 'btn-secondary'} report-open`}
                    onClick={() => onReport(id)}
                    aria-label={t(reported ? 'reportChangeFor' : 'reportProblemFor', { name })}
                    data-testid={`report-${id}`}
                  >
                    {t(reported ? 'reportChange' : 'reportProblem')}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
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
