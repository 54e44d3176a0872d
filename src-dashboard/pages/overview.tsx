/** Overview: items out, overdue, kiosks online/offline, conflicts waiting, today's activity. */
import type { OverviewResponse } from '../../protocol/index.ts';
import { api, qs } from '../api.ts';
import { Empty, ErrorLine, Loading, Page, Stat, TxStatus } from '../components.tsx';
import { useData, useT } from '../context.tsx';
import { when } from '../format.ts';
import { dayStartIso } from '../format.ts';
import { ReturnReportLine } from './item-condition.tsx';
import { itemHref } from './item-link.ts';

const todayIso = () => {
  const d = new Date();
  return dayStartIso(
    `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`,
  );
};

export function OverviewPage() {
  const { t, lang } = useT();
  const { data, error } = useData(
    () => api.get<OverviewResponse>(`/v1/admin/overview${qs({ since: todayIso() })}`),
    [],
  );
  return (
    <Page title={t('navOverview')}>
      <ErrorLine error={error} />
      {!data ? (
        <Loading />
      ) : (
        <>
          <div className="stats">
            <Stat
              testId="stat-out"
              label={t('itemsOut')}
              value={data.itemsOut}
              sub={t('ofTotal', { n: data.itemsTotal })}
            />
            <Stat
              testId="stat-overdue"
              label={t('overdue')}
              value={data.overdue}
              tone={data.overdue ? 'bad' : 'ok'}
            />
            <Stat
              testId="stat-kiosks"
              label={t('kiosksOnline')}
              value={data.kiosksOnline}
              sub={t('kiosksOfflineN', { n: data.kiosksOffline })}
              tone={data.kiosksOffline ? 'warn' : 'ok'}
            />
            <Stat
              testId="stat-conflicts"
              label={t('conflictsWaiting')}
              value={data.conflictsOpen}
              tone={data.conflictsOpen ? 'warn' : 'ok'}
            />
            <Stat
              testId="stat-needs-check"
              label={t('itemsNeedingCheck')}
              value={data.itemsNeedingCheck}
              tone={data.itemsNeedingCheck ? 'warn' : 'ok'}
            />
            <Stat
              testId="stat-today"
              label={t('today')}
              value={data.today.borrows + data.today.returns}
              sub={t('todayCounts', { b: data.today.borrows, r: data.today.returns })}
            />
          </div>
          <h2>{t('recentActivity')}</h2>
          {data.recent.length === 0 ? (
            <Empty what="noActivity" />
          ) : (
            <table data-testid="recent">
              <thead>
                <tr>
                  <th>{t('when')}</th>
                  <th>{t('auKind')}</th>
                  <th>{t('item')}</th>
                  <th>{t('person')}</th>
                  <th>{t('kiosk')}</th>
                  <th>{t('state')}</th>
                </tr>
              </thead>
              <tbody>
                {data.recent.map((r) => (
                  <tr key={r.id}>
                    <td className="date">{when(lang, r.occurredAt)}</td>
                    <td>
                      {t(r.kind === 'borrow' ? 'txBorrow' : r.kind === 'renew' ? 'txRenew' : 'txReturn')}
                    </td>
                    <td className="cut" title={r.itemName ?? undefined}>
                      <a href={itemHref(r.itemId)} className="item-link">
                        {r.itemName ?? '—'}
                      </a>
                      {/* A return's report (damaged, parts missing) and note, under the item's name. */}
                      <ReturnReportLine said={r} testId="tx-report" />
                    </td>
                    {/* Someone or a kiosk the server does not know is said so, never shown by its id. */}
                    <td className="cut person" title={r.userName ?? undefined}>
                      {r.userName ?? t('auSomeone')}
                    </td>
                    <td className="cut kiosk" title={r.kioskName ?? undefined}>
                      {r.kioskName ?? '—'}
                    </td>
                    <td>
                      <TxStatus status={r.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Page>
  );
}
