/** Audit log: every change and every transaction, newest first: who, what, when, from which kiosk or session. */
import { useEffect, useState } from 'react';
import type { AuditEntry, AuditResponse } from '../../../../protocol/index.ts';
import { api } from '../api.ts';
import { ErrorLine, Loading, Page } from '../components.tsx';
import { useData, useT } from '../context.tsx';
import { when } from '../format.ts';

export function AuditPage() {
  const { t, lang } = useT();
  const first = useData(() => api.get<AuditResponse>('/v1/admin/audit?limit=100'), []);
  const [older, setOlder] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  // A live refresh reloads the first page; pages loaded further down start over from it.
  useEffect(() => {
    setOlder([]);
    setNext(first.data?.next ?? null);
  }, [first.data]);
  const more = async () => {
    if (!next) return;
    try {
      const page = await api.get<AuditResponse>(
        `/v1/admin/audit?limit=100&before=${encodeURIComponent(next)}`,
      );
      setOlder((o) => [...o, ...page.entries]);
      setNext(page.next);
    } catch (e) {
      setError(e);
    }
  };
  const entries = [...(first.data?.entries ?? []), ...older];
  return (
    <Page title={t('navAudit')}>
      <ErrorLine error={first.error ?? error} />
      {!first.data ? (
        <Loading />
      ) : (
        <table data-testid="audit">
          <thead>
            <tr>
              <th>{t('when')}</th>
              <th>{t('who')}</th>
              <th>{t('via')}</th>
              <th>{t('what')}</th>
              <th>{t('detail')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{when(lang, e.at)}</td>
                <td>{e.actorName ?? e.actorId ?? '—'}</td>
                <td className="mono muted">{e.via ?? '—'}</td>
                <td className="mono">{e.action}</td>
                <td>{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next ? <button onClick={() => void more()}>{t('loadMore')}</button> : null}
    </Page>
  );
}
