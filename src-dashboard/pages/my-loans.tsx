/**
 * A member's own page (issue 16, 17): what they have on loan now, until when, with a Renew
 * button on each (the new due date is shown in the dialog before they confirm; the rule is
 * protocol/renewals.ts, applied by the server), and their past loans in pages. Live: it
 * reloads when the member's stream says something changed.
 */
import { useState } from 'react';
import type {
  MyCurrentLoan,
  MyCurrentLoansResponse,
  MyPastLoansResponse,
  RenewalPreview,
  RenewResponse,
} from '../../protocol/index.ts';
import { api } from '../api.ts';
import { Chip, Empty, ErrorLine, Loading, Page } from '../components.tsx';
import { useData, useT } from '../context.tsx';
import { useAsk } from '../dialog.tsx';
import { when } from '../format.ts';
import { Pager, usePageCursor } from '../paging.tsx';
import { MyReservations } from './my-reservations.tsx';

const PAST_PAGE_SIZE = 20;

/** Why a loan may not be renewed, in words with the rule's numbers. */
export function renewalWhy(
  t: ReturnType<typeof useT>['t'],
  err: ReturnType<typeof useT>['err'],
  lang: ReturnType<typeof useT>['lang'],
  r: RenewalPreview,
): string | null {
  const refusal = r.refusal;
  if (!refusal) return null;
  switch (refusal.code) {
    case 'RENEWAL_LIMIT_REACHED':
      return t('renewLimitWords', { limit: refusal.limit ?? r.limit, used: refusal.used ?? r.renewals });
    case 'RENEWAL_OVERDUE':
      return t('renewOverdueWords', { date: when(lang, refusal.dueAt ?? r.dueAt) });
    case 'RENEWAL_RESERVED':
      return t('renewReservedWords', { date: when(lang, refusal.dueAt ?? r.dueAt) });
    case 'PERSON_SUSPENDED':
      return t('renewSuspendedWords', { until: refusal.until ?? '' });
    default:
      return err(refusal.code);
  }
}

export function MyLoansPage() {
  const { t, err, lang } = useT();
  const ask = useAsk();
  /** The due date the last renewal gave (said in the page's language, whichever it is now). */
  const [renewedTo, setRenewedTo] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const current = useData(() => api.get<MyCurrentLoansResponse>('/v1/people/me/loans/current'), []);
  const cursor = usePageCursor('past');
  const past = useData(
    () =>
      api.get<MyPastLoansResponse>(
        `/v1/people/me/loans/past?limit=${PAST_PAGE_SIZE}${cursor.after ? `&after=${cursor.after}` : ''}`,
      ),
    [cursor.after],
  );

  const renew = async (loan: MyCurrentLoan) => {
    setRenewedTo(null);
    setFailure(null);
    const r = loan.renewal;
    if (!r.newDueAt) return;
    const { ok } = await ask({
      title: t('renewTitle', { item: loan.itemName }),
      body: t('renewBody', { from: when(lang, loan.dueAt), to: when(lang, r.newDueAt) }),
      confirm: t('renew'),
    });
    if (!ok) return;
    try {
      // The due date shown: a second click, a retry or another tab does not extend it twice.
      const res = await api.post<RenewResponse>(`/v1/people/me/loans/${loan.id}/renew`, {
        dueAt: loan.dueAt,
      });
      setRenewedTo(res.renewal.dueAt);
    } catch (e) {
      setFailure(e);
    }
    current.reload();
  };

  return (
    <Page title={t('navMyLoans')}>
      <ErrorLine error={current.error ?? failure} />
      {renewedTo ? (
        <p className="notice ok" role="status" data-testid="renew-done">
          {t('renewDone', { date: when(lang, renewedTo) })}
        </p>
      ) : null}
      <h2>{t('myCurrentLoans')}</h2>
      {!current.data ? (
        <Loading />
      ) : current.data.loans.length === 0 ? (
        <Empty what="myLoansEmpty" />
      ) : (
        <table data-testid="my-loans">
          <thead>
            <tr>
              <th>{t('item')}</th>
              <th>{t('borrowedAt')}</th>
              <th>{t('dueAt')}</th>
              <th className="nowrap">{t('renewals')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {current.data.loans.map((l) => {
              const why = renewalWhy(t, err, lang, l.renewal);
              return (
                <tr key={l.id} data-loan={l.id}>
                  <td>{l.itemName}</td>
                  <td className="nowrap">{when(lang, l.borrowedAt)}</td>
                  <td className="nowrap">
                    {when(lang, l.dueAt)} {l.overdue ? <Chip tone="bad">{t('overdue')}</Chip> : null}
                  </td>
                  <td className="nowrap">
                    {t('renewalsUsed', { used: l.renewal.renewals, limit: l.renewal.limit })}
                  </td>
                  <td>
                    {l.renewal.newDueAt ? (
                      <button className="small" onClick={() => void renew(l)} data-testid="renew">
                        {t('renew')}
                      </button>
                    ) : (
                      <span className="muted" data-testid="renew-why">
                        {why ?? t('renewNo')}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <MyReservations />
      <h2>{t('myPastLoans')}</h2>
      <ErrorLine error={past.error} />
      {!past.data ? (
        <Loading />
      ) : past.data.loans.length === 0 ? (
        <Empty what="myPastEmpty" />
      ) : (
        <>
          <table data-testid="my-past-loans">
            <thead>
              <tr>
                <th>{t('item')}</th>
                <th>{t('borrowedAt')}</th>
                <th>{t('dueAt')}</th>
                <th>{t('returnedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {past.data.loans.map((l) => (
                <tr key={l.id}>
                  <td>{l.itemName}</td>
                  <td className="nowrap">{when(lang, l.borrowedAt)}</td>
                  <td className="nowrap">{when(lang, l.dueAt)}</td>
                  <td className="nowrap">
                    {when(lang, l.returnedAt)} {l.late ? <Chip tone="warn">{t('overdue')}</Chip> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            page={{ ...past.data, rows: past.data.loans, index: cursor.index }}
            pageSize={PAST_PAGE_SIZE}
            counts="records"
            onBack={cursor.back}
            onForward={cursor.forward}
          />
        </>
      )}
    </Page>
  );
}
