/**
 * Audit log: every change and every kiosk transaction, newest first, each said as a sentence
 * in the reader's language (audit-words.ts), with an edit's changed fields before -> after.
 * Filtered and paged on the server; the filters and the page live in the URL.
 */
import { AUDIT_KINDS, type AuditKind, type AuditResponse } from '../../protocol/index.ts';
import { api, qs } from '../api.ts';
import { auditSentence } from '../audit-words.ts';
import { Empty, ErrorLine, Field, Loading, Page } from '../components.tsx';
import { useData, useT } from '../context.tsx';
import { dayEndIso, dayStartIso, when } from '../format.ts';
import type { MessageKey } from '../i18n.ts';
import { Pager } from '../paging.tsx';
import { ItemPicker, PersonPicker } from '../type-ahead.tsx';
import { useUrlList } from '../url-pages.ts';

const AUDIT_PAGE_SIZE = 50;

const KIND_WORDS: Record<AuditKind, MessageKey> = {
  tx: 'kindTx',
  loan: 'kindLoan',
  conflict: 'kindConflict',
  item: 'kindItem',
  person: 'kindPerson',
  badge: 'kindBadge',
  kiosk: 'kindKiosk',
  policies: 'kindPolicies',
  reminders: 'kindReminders',
  group: 'kindGroup',
  sso: 'kindSso',
  'scim-token': 'kindScimToken',
  reservation: 'navReservations',
};

export function AuditPage() {
  const { t, lang } = useT();
  const { view, setFilters, cursor } = useUrlList({
    kind: '',
    actor: '',
    person: '',
    item: '',
    from: '',
    to: '',
  });
  const index = cursor.index;
  const query = qs({
    kind: view.kind,
    actorId: view.actor,
    targetId: view.item || view.person,
    from: dayStartIso(view.from),
    to: dayEndIso(view.to),
    before: cursor.after,
    limit: String(AUDIT_PAGE_SIZE),
  });
  const { data, error } = useData(
    async () => ({ ...(await api.get<AuditResponse>(`/v1/admin/audit${query}`)), index }),
    [query],
  );
  return (
    <Page title={t('navAudit')}>
      <div className="filters">
        <Field label={t('auKind')}>
          <select
            aria-label={t('auKind')}
            data-testid="audit-kind"
            value={view.kind}
            onChange={(e) => setFilters({ kind: e.target.value })}
          >
            <option value="">{t('anything')}</option>
            {AUDIT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(KIND_WORDS[k])}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('auBy')}>
          <PersonPicker value={view.actor} onChange={(actor) => setFilters({ actor })} label={t('auBy')} />
        </Field>
        <Field label={t('auAboutPerson')}>
          <PersonPicker
            value={view.person}
            onChange={(person) => setFilters({ person, item: '' })}
            label={t('auAboutPerson')}
          />
        </Field>
        <Field label={t('auAboutItem')}>
          <ItemPicker
            value={view.item}
            onChange={(item) => setFilters({ item, person: '' })}
            label={t('auAboutItem')}
          />
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
      <ErrorLine error={error} />
      {!data ? (
        <Loading />
      ) : data.entries.length === 0 ? (
        <Empty what="auNoEntries" />
      ) : (
        <table data-testid="audit" className="audit">
          <thead>
            <tr>
              {/* as narrow as its dates: the sentence takes the rest */}
              <th className="nowrap" style={{ width: '1%' }}>
                {t('when')}
              </th>
              <th>{t('what')}</th>
            </tr>
          </thead>
          <tbody>
            {data.entries.map((e) => {
              const s = auditSentence(lang, e);
              return (
                <tr key={e.id}>
                  <td className="nowrap">{when(lang, e.at)}</td>
                  <td>
                    <span className="sentence" data-testid="audit-sentence">
                      {s.text}
                    </span>
                    {s.changes.length ? (
                      <ul className="changes" aria-label={t('auChanged')}>
                        {s.changes.map((c, n) => (
                          <li key={n}>
                            {c.field}: <del>{c.before}</del> → <ins>{c.after}</ins>
                          </li>
                        ))}
                      </ul>
                    ) : null}
                    {s.note ? <p className="muted note">“{s.note}”</p> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {data ? (
        <Pager
          page={{ ...data, rows: data.entries }}
          pageSize={AUDIT_PAGE_SIZE}
          counts="records"
          onBack={cursor.back}
          onForward={cursor.forward}
        />
      ) : null}
    </Page>
  );
}
