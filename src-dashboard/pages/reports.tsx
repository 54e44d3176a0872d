/**
 * Reports (admin and staff): what is overdue, by category and by person, and how much each
 * item was used over a period. Each as a table and as bars, each exportable as CSV (the
 * server writes it: headers in this page's language, times in the lending policies' time
 * zone). The period and category stay in the URL, so a link shows the same report.
 */
import type {
  ItemCategoriesResponse,
  OverdueReportResponse,
  UsageReportResponse,
} from '../../protocol/index.ts';
import { api, qs } from '../api.ts';
import { Empty, ErrorLine, Field, Loading, Page } from '../components.tsx';
import { useApp, useData, useT } from '../context.tsx';
import { when } from '../format.ts';
import { useUrlState } from '../url-state.ts';
import { BarChart } from './bar-chart.tsx';
import { useEffect, useState } from 'react';

const CHART_ROWS = 10;
const PRESETS = ['7', '30', '90'] as const;

const dates = new Map<string, Intl.DateTimeFormat>();
/** A date without its time: the days-overdue column beside it says how long ago. */
function day(lang: string, iso: string): string {
  let f = dates.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium' });
    dates.set(lang, f);
  }
  return f.format(new Date(iso));
}

const percent = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;

function OverdueSection() {
  const { t, lang } = useT();
  const [actionError, setActionError] = useState<unknown>(null);
  const { data, error } = useData(() => api.get<OverdueReportResponse>('/v1/admin/reports/overdue'), []);
  const download = (path: string, name: string) =>
    void api.download(`${path}${qs({ lang })}`, name).catch(setActionError);
  return (
    <section data-testid="report-overdue">
      <h2>{t('repOverdueTitle')}</h2>
      <ErrorLine error={error ?? actionError} />
      {!data ? (
        <Loading />
      ) : (
        <>
          <p className="muted" data-testid="overdue-summary">
            {t('repOverdueSummary', { loans: data.loans, people: data.people })}
          </p>
          {data.loans === 0 ? (
            <Empty what="repNoOverdue" />
          ) : (
            <div className="report-grid">
              <div className="panel">
                <div className="panel-head">
                  <h3>{t('repByCategory')}</h3>
                  <button
                    data-testid="csv-overdue-categories"
                    onClick={() =>
                      download('/v1/admin/reports/overdue-by-category.csv', 'overdue-by-category.csv')
                    }
                  >
                    {t('repCsvCategories')}
                  </button>
                </div>
                <BarChart
                  testId="chart-overdue-categories"
                  tone="bad"
                  label={t('repByCategory')}
                  bars={data.byCategory.slice(0, CHART_ROWS).map((c) => ({
                    key: c.category,
                    label: c.category,
                    value: c.loans,
                    display: String(c.loans),
                  }))}
                />
                <table data-testid="table-overdue-categories">
                  <thead>
                    <tr>
                      <th>{t('repCategory')}</th>
                      <th className="num">{t('repOverdueLoans')}</th>
                      <th className="num">{t('repPeople')}</th>
                      <th>{t('repOldestDue')}</th>
                      <th className="num">{t('repDaysOverdue')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.byCategory.map((c) => (
                      <tr key={c.category}>
                        <td className="cut" title={c.category}>
                          {c.category}
                        </td>
                        <td className="num">{c.loans}</td>
                        <td className="num">{c.people}</td>
                        <td className="nowrap" title={when(lang, c.oldestDueAt)}>
                          {day(lang, c.oldestDueAt)}
                        </td>
                        <td className="num">{c.daysOverdue}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div className="panel">
                <div className="panel-head">
                  <h3>{t('repByPerson')}</h3>
                  <button
                    data-testid="csv-overdue-people"
                    onClick={() =>
                      download('/v1/admin/reports/overdue-by-person.csv', 'overdue-by-person.csv')
                    }
                  >
                    {t('repCsvPeople')}
                  </button>
                </div>
                <BarChart
                  testId="chart-overdue-people"
                  tone="bad"
                  label={t('repByPerson')}
                  bars={data.byPerson.slice(0, CHART_ROWS).map((p) => ({
                    key: p.userId,
                    label: p.userName,
                    value: p.daysOverdue,
                    display: t(p.daysOverdue === 1 ? 'remDaysLate1' : 'remDaysLate', { n: p.daysOverdue }),
                  }))}
                />
                <table data-testid="table-overdue-people">
                  <thead>
                    <tr>
                      <th>{t('person')}</th>
                      <th className="num">{t('repOverdueLoans')}</th>
                      <th>{t('repOldestDue')}</th>
                      <th className="num">{t('repDaysOverdue')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.byPerson.map((p) => (
                      <tr key={p.userId}>
                        <td className="cut" title={p.userName}>
                          {p.userName}
                        </td>
                        <td className="num">{p.loans}</td>
                        <td className="nowrap" title={when(lang, p.oldestDueAt)}>
                          {day(lang, p.oldestDueAt)}
                        </td>
                        <td className="num">{p.daysOverdue}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {data.people > data.byPerson.length ? (
                  <p className="muted small">{t('repTopShown', { n: data.byPerson.length })}</p>
                ) : null}
              </div>
            </div>
          )}
          <p className="muted small">{t('repCsvNote', { tz: data.timeZone })}</p>
        </>
      )}
    </section>
  );
}

function UsageSection() {
  const { t, lang } = useT();
  const [view, setView] = useUrlState({ period: '30', from: '', to: '', category: '' });
  const [actionError, setActionError] = useState<unknown>(null);
  const custom = view.period === 'custom';
  const query = custom
    ? qs({ from: view.from, to: view.to, category: view.category })
    : qs({ days: view.period, category: view.category });
  const ready = !custom || Boolean(view.from);
  // Not useData: a slow answer for an earlier period must not land after a newer one.
  const { liveTick } = useApp();
  const [usage, setUsage] = useState<{ data: UsageReportResponse | null; error: unknown }>({
    data: null,
    error: null,
  });
  useEffect(() => {
    if (!ready) return;
    let current = true;
    api.get<UsageReportResponse>(`/v1/admin/reports/usage${query}`).then(
      (data) => current && setUsage({ data, error: null }),
      (error: unknown) => current && setUsage({ data: null, error }),
    );
    return () => {
      current = false;
    };
  }, [query, ready, liveTick]);
  const { data, error } = usage;
  const categories = useData(() => api.get<ItemCategoriesResponse>('/v1/admin/item-categories'), []).data;
  const csvQuery = `${query}${query ? '&' : '?'}lang=${lang}`;
  return (
    <section data-testid="report-usage">
      <div className="page-head">
        <h2>{t('repUsageTitle')}</h2>
        <button
          data-testid="csv-usage"
          disabled={!ready}
          onClick={() =>
            void api.download(`/v1/admin/reports/usage.csv${csvQuery}`, 'usage.csv').catch(setActionError)
          }
        >
          {t('exportCsv')}
        </button>
      </div>
      <div className="filters">
        <Field label={t('repPeriod')}>
          <select
            aria-label={t('repPeriod')}
            data-testid="usage-period"
            value={view.period}
            onChange={(e) => setView({ period: e.target.value })}
          >
            {PRESETS.map((p) => (
              <option key={p} value={p}>
                {t(p === '7' ? 'repLast7' : p === '30' ? 'repLast30' : 'repLast90')}
              </option>
            ))}
            <option value="custom">{t('repCustom')}</option>
          </select>
        </Field>
        {custom ? (
          <>
            <Field label={t('from')}>
              <input
                type="date"
                data-testid="usage-from"
                value={view.from}
                max={view.to || undefined}
                onChange={(e) => setView({ from: e.target.value })}
              />
            </Field>
            <Field label={t('to')}>
              <input
                type="date"
                data-testid="usage-to"
                value={view.to}
                min={view.from || undefined}
                onChange={(e) => setView({ to: e.target.value })}
              />
            </Field>
          </>
        ) : null}
        <Field label={t('repCategory')}>
          <select
            aria-label={t('repCategory')}
            data-testid="usage-category"
            value={view.category}
            onChange={(e) => setView({ category: e.target.value })}
          >
            <option value="">{t('repAllCategories')}</option>
            {(categories?.categories ?? []).map((c) => (
              <option key={c.category} value={c.category}>
                {c.category}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <ErrorLine error={error ?? actionError} />
      {!ready ? null : !data ? (
        error ? null : (
          <Loading />
        )
      ) : (
        <>
          <p className="muted" data-testid="usage-summary">
            {t('repUsageSummary', { items: data.items, used: data.itemsUsed })} · {when(lang, data.from)} –{' '}
            {when(lang, data.to)}
          </p>
          {data.rows.length === 0 ? (
            <Empty what="repNoUsage" />
          ) : (
            <div className="panel">
              <h3>{t('repChartTop', { n: Math.min(CHART_ROWS, data.rows.length) })}</h3>
              <BarChart
                testId="chart-usage"
                label={t('repUsageTitle')}
                max={1}
                bars={data.rows.slice(0, CHART_ROWS).map((r) => ({
                  key: r.itemId,
                  label: `${r.tag} ${r.name}`,
                  value: r.share,
                  display: percent(r.share),
                }))}
              />
              <table data-testid="table-usage">
                <thead>
                  <tr>
                    <th>{t('item')}</th>
                    <th>{t('repCategory')}</th>
                    <th className="num">{t('repLoans')}</th>
                    <th className="num">{t('repDaysOnLoan')}</th>
                    <th className="num">{t('repShare')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((r) => (
                    <tr key={r.itemId}>
                      <td className="cut" title={`${r.tag} ${r.name}`}>
                        <span className="mono">{r.tag}</span> {r.name}
                      </td>
                      <td className="cut" title={r.category}>
                        {r.category}
                      </td>
                      <td className="num">{r.loans}</td>
                      <td className="num">{r.daysOnLoan.toFixed(1)}</td>
                      <td className="num">{percent(r.share)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {data.itemsUsed > data.rows.length ? (
                <p className="muted small">{t('repTopShown', { n: data.rows.length })}</p>
              ) : null}
            </div>
          )}
          <p className="muted small">{t('repUsageHint')}</p>
        </>
      )}
    </section>
  );
}

export function ReportsPage() {
  const { t } = useT();
  return (
    <Page title={t('navReports')}>
      <OverdueSection />
      <UsageSection />
    </Page>
  );
}
