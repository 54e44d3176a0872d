/** A member's own page: what they have on loan and until when (GET /v1/people/<me>/loans). */
import type { LoansResponse } from '../../../../protocol/index.ts';
import { api } from '../api.ts';
import { Chip, Empty, ErrorLine, Loading, Page } from '../components.tsx';
import { useApp, useData, useT } from '../context.tsx';
import { when } from '../format.ts';

export function MyLoansPage() {
  const { t, lang } = useT();
  const { me } = useApp();
  const { data, error } = useData(
    () => api.get<LoansResponse>(`/v1/people/${me.id}/loans?status=all`),
    [me.id],
  );
  const now = Date.now();
  return (
    <Page title={t('navMyLoans')}>
      <ErrorLine error={error} />
      {!data ? (
        <Loading />
      ) : data.loans.length === 0 ? (
        <Empty what="myLoansEmpty" />
      ) : (
        <table data-testid="my-loans">
          <thead>
            <tr>
              <th>{t('item')}</th>
              <th>{t('borrowedAt')}</th>
              <th>{t('dueAt')}</th>
              <th>{t('returnedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {data.loans.map((l) => (
              <tr key={l.id}>
                <td>{l.itemName}</td>
                <td>{when(lang, l.borrowedAt)}</td>
                <td>
                  {when(lang, l.dueAt)}{' '}
                  {!l.returnedAt && Date.parse(l.dueAt) < now ? <Chip tone="bad">{t('overdue')}</Chip> : null}
                </td>
                <td>{l.returnedAt ? when(lang, l.returnedAt) : <Chip tone="info">{t('open')}</Chip>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
