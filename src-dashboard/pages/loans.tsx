/** Loans: filter by status, person, item, kiosk and date; export what is shown as CSV. */
import { useState } from 'react';
import type {
  RenewalPreviewResponse,
  AdminLoan,
  AdminLoansResponse,
  AdminLoanStatus,
} from '../../protocol/index.ts';
import { api, qs } from '../api.ts';
import { Chip, Empty, ErrorLine, Field, Loading, Page } from '../components.tsx';
import { useApp, useData, useT } from '../context.tsx';
import { dayEndIso, dayStartIso, when, whenThisYear } from '../format.ts';
import { useAsk } from '../dialog.tsx';
import { ItemPicker, KioskSelect, PersonPicker } from '../type-ahead.tsx';
import { Pager } from '../paging.tsx';
import { useUrlList } from '../url-pages.ts';
import { ReturnReportLine } from './item-condition.tsx';
import { itemHref } from './item-link.ts';

const LOAN_PAGE_SIZE = 100;

export function LoanTable(props: {
  loans: AdminLoan[];
  onClose?: (loan: AdminLoan) => void;
  /** Staff renew a loan still out (the new due date is shown before they confirm). */
  onRenew?: (loan: AdminLoan) => void;
  showPerson?: boolean;
  /** False on an item's own page, where every row is that item. */
  showItem?: boolean;
  /** What an empty table says: "no loans match" under filters, "not borrowed yet" as a history. */
  empty?: 'noLoans' | 'noLoansYet';
}) {
  const { t, lang } = useT();
  if (props.loans.length === 0) return <Empty what={props.empty ?? 'noLoans'} />;
  return (
    <table data-testid="loans">
      <thead>
        <tr>
          {props.showItem !== false ? <th>{t('item')}</th> : null}
          {props.showPerson !== false ? <th>{t('person')}</th> : null}
          <th>{t('kiosk')}</th>
          <th>{t('borrowedAt')}</th>
          <th>{t('dueAt')}</th>
          <th>{t('returnedAt')}</th>
          {props.onClose ? <th /> : null}
        </tr>
      </thead>
      <tbody>
        {props.loans.map((l) => (
          <tr key={l.id} className={l.overdue ? 'row-bad' : ''}>
            {props.showItem !== false ? (
              <td className="cut" title={`${l.itemTag} ${l.itemName}`}>
                <a href={itemHref(l.itemId)} className="item-link">
                  <span className="mono">{l.itemTag}</span> {l.itemName}
                </a>
              </td>
            ) : null}
            {/* A name with a role ("관리자 Admin") stays on one line, cut with the whole of it on hover. */}
            {props.showPerson !== false ? (
              <td className="cut person" title={l.userName} data-testid="loan-person">
                {l.userName}
              </td>
            ) : null}
            <td className="cut kiosk" title={l.kioskName ?? undefined}>
              {l.kioskName ?? '—'}
            </td>
            <td className="date" title={when(lang, l.borrowedAt)}>
              {whenThisYear(lang, l.borrowedAt)}
            </td>
            <td className="date" title={when(lang, l.dueAt)}>
              {whenThisYear(lang, l.dueAt)} {l.overdue ? <Chip tone="bad">{t('overdue')}</Chip> : null}
            </td>
            <td className="date" title={l.returnedAt ? when(lang, l.returnedAt) : undefined}>
              {l.returnedAt ? whenThisYear(lang, l.returnedAt) : <Chip tone="info">{t('open')}</Chip>}
              {/* What the return said of the item (damaged, parts missing, a note), under its date. */}
              <ReturnReportLine
                said={{ report: l.returnReport, missingParts: l.returnMissingParts, note: l.returnNote }}
                testId="return-report"
              />
            </td>
            {props.onClose ? (
              <td>
                {l.returnedAt ? null : (
                  <span className="row-actions">
                    {props.onRenew ? (
                      <button className="small" onClick={() => props.onRenew!(l)} data-testid="staff-renew">
                        {t('renew')}
                      </button>
                    ) : null}
                    <button className="small" onClick={() => props.onClose!(l)}>
                      {t('closeLoan')}
                    </button>
                  </span>
                )}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const STATUSES: AdminLoanStatus[] = ['open', 'overdue', 'returned', 'all'];

export function LoansPage() {
  const { t, lang } = useT();
  // The filters and the page live in the URL (#/loans?status=overdue&person=…), so a link shows the same view.
  const { view, setFilters, cursor } = useUrlList({
    status: 'open',
    person: '',
    item: '',
    kiosk: '',
    from: '',
    to: '',
  });
  const status = (STATUSES as string[]).includes(view.status) ? (view.status as AdminLoanStatus) : 'open';
  const [actionError, setActionError] = useState<unknown>(null);
  const filters = {
    status,
    userId: view.person,
    itemId: view.item,
    kioskId: view.kiosk,
    from: dayStartIso(view.from),
    to: dayEndIso(view.to),
  };
  // The filters alone: the CSV export's query.
  const query = qs(filters);
  const index = cursor.index;
  const pageQuery = qs({ ...filters, after: cursor.after, limit: String(LOAN_PAGE_SIZE) });
  const { data, error, reload } = useData(
    async () => ({ ...(await api.get<AdminLoansResponse>(`/v1/admin/loans${pageQuery}`)), index }),
    [pageQuery],
  );

  const { me } = useApp();
  const ask = useAsk();

  const closeLoan = async (loan: AdminLoan) => {
    const { ok, note } = await ask({
      title: t('closeLoanTitle', { item: loan.itemName }),
      body: t('closeLoanBody', { name: loan.userName }),
      confirm: t('closeLoan'),
      note: { label: t('closeLoanNote'), required: true },
    });
    if (!ok) return;
    try {
      await api.post(`/v1/admin/loans/${loan.id}/close`, { note });
      setActionError(null);
      reload();
    } catch (e) {
      setActionError(e);
    }
  };

  const renewLoan = async (loan: AdminLoan) => {
    try {
      const { renewal } = await api.get<RenewalPreviewResponse>(`/v1/admin/loans/${loan.id}/renewal`);
      if (!renewal.newDueAt) return setActionError({ code: renewal.refusal?.code ?? 'BAD_REQUEST' });
      const { ok } = await ask({
        title: t('renewTitle', { item: loan.itemName }),
        body: t('renewBodyFor', {
          name: loan.userName,
          from: when(lang, renewal.dueAt),
          to: when(lang, renewal.newDueAt),
        }),
        confirm: t('renew'),
      });
      if (!ok) return;
      // The due date shown: a second click or a retry does not extend it twice.
      await api.post(`/v1/admin/loans/${loan.id}/renew`, { dueAt: renewal.dueAt });
      setActionError(null);
      reload();
    } catch (e) {
      setActionError(e);
    }
  };

  return (
    <Page
      title={t('navLoans')}
      actions={
        <>
          {me.role === 'admin' ? (
            <a className="button" href="#/reminders" data-testid="open-reminders" title={t('remindersHint')}>
              {t('remOpenPage')}
            </a>
          ) : null}
          <button
            onClick={() =>
              void api.download(`/v1/admin/loans.csv${query}`, 'loans.csv').catch(setActionError)
            }
          >
            {t('exportCsv')}
          </button>
        </>
      }
    >
      <div className="filters">
        <Field label={t('loanStatus')}>
          <select
            aria-label={t('loanStatus')}
            value={status}
            onChange={(e) => setFilters({ status: e.target.value })}
          >
            <option value="open">{t('open')}</option>
            <option value="overdue">{t('overdue')}</option>
            <option value="returned">{t('returned')}</option>
            <option value="all">{t('all')}</option>
          </select>
        </Field>
        <Field label={t('person')}>
          <PersonPicker
            value={view.person}
            onChange={(person) => setFilters({ person })}
            label={t('person')}
          />
        </Field>
        <Field label={t('item')}>
          <ItemPicker value={view.item} onChange={(item) => setFilters({ item })} label={t('item')} />
        </Field>
        <Field label={t('kiosk')}>
          <KioskSelect value={view.kiosk} onChange={(kiosk) => setFilters({ kiosk })} />
        </Field>
        <Field label={t('from')}>
          <input
            type="date"
            value={view.from}
            max={view.to || undefined}
            onChange={(e) => setFilters({ from: e.target.value })}
          />
        </Field>
        <Field label={t('to')}>
          <input
            type="date"
            value={view.to}
            min={view.from || undefined}
            onChange={(e) => setFilters({ to: e.target.value })}
          />
        </Field>
      </div>
      <ErrorLine error={error ?? actionError} />
      {data ? (
        <LoanTable loans={data.loans} onClose={(l) => void closeLoan(l)} onRenew={(l) => void renewLoan(l)} />
      ) : (
        <Loading />
      )}
      {data ? (
        <Pager
          page={{ ...data, rows: data.loans }}
          pageSize={LOAN_PAGE_SIZE}
          counts="records"
          onBack={cursor.back}
          onForward={cursor.forward}
        />
      ) : null}
    </Page>
  );
}
