/**
 * People and badges: create (optionally with a first badge and a password), deactivate;
 * add a badge by typing its number or by choosing an unknown badge tapped at a kiosk;
 * remove a badge; a person's loans and history.
 */
import { useState, type FormEvent } from 'react';
import {
  normalizeCredential,
  type AdminPeopleResponse,
  type CreatePersonRequest,
  type PersonDetailResponse,
  type Role,
  type UnknownTapsResponse,
} from '../../../../protocol/index.ts';
import { api } from '../api.ts';
import { Chip, Empty, ErrorLine, Field, Loading, Page, RoleName } from '../components.tsx';
import { useApp, useData, useT } from '../context.tsx';
import { useAsk } from '../dialog.tsx';
import { when } from '../format.ts';
import { SearchBox, useServerList } from '../list-view.tsx';
import { Pager } from '../paging.tsx';
import { LoanTable } from './loans.tsx';
import { CsvImportButton } from './csv-import.tsx';

/** Employee number and department from the directory (SCIM): what tells two people of one name apart. */
const orgLine = (p: { employeeNumber: string | null; department: string | null }) =>
  [p.employeeNumber, p.department].filter(Boolean).join(' · ');

function NewPersonForm(props: { onDone: (id: string) => void; onCancel: () => void }) {
  const { t } = useT();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [password, setPassword] = useState('');
  const [badge, setBadge] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [badgeInvalid, setBadgeInvalid] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const credential = badge.trim() ? normalizeCredential(badge) : null;
    if (badge.trim() && !credential) return setBadgeInvalid(true);
    setBadgeInvalid(false);
    const body: CreatePersonRequest = {
      displayName: name.trim(),
      role,
      ...(email.trim() ? { email: email.trim() } : {}),
      ...(password ? { password } : {}),
      ...(credential ? { badge: credential } : {}),
    };
    try {
      props.onDone((await api.post<{ person: { id: string } }>('/v1/admin/people', body)).person.id);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="panel form-grid" onSubmit={(e) => void submit(e)} data-testid="person-form">
      <Field label={t('displayName')}>
        <input name="displayName" required value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label={`${t('email')} (${t('optional')})`}>
        <input name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      <Field label={t('role')}>
        <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          <option value="member">{t('roleMember')}</option>
          <option value="staff">{t('roleStaff')}</option>
          <option value="admin">{t('roleAdmin')}</option>
        </select>
      </Field>
      <Field label={`${t('password')} (${t('optional')})`} hint={t('passwordHint')}>
        <input
          name="password"
          type="password"
          minLength={10}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      <Field label={`${t('badgeNumber')} (${t('optional')})`} hint={t('badgeNumberHint')}>
        <input name="badge" value={badge} onChange={(e) => setBadge(e.target.value)} autoComplete="off" />
      </Field>
      {badgeInvalid ? <p className="error">{t('badgeNumberInvalid')}</p> : null}
      <ErrorLine error={error} />
      <div className="form-actions">
        <button type="submit" className="primary">
          {t('create')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

function PersonDetail(props: { id: string; onClose: () => void; isAdmin: boolean }) {
  const { t, lang } = useT();
  const ask = useAsk();
  const { data, error, reload } = useData(
    () => api.get<PersonDetailResponse>(`/v1/admin/people/${props.id}`),
    [props.id],
  );
  const unknown = useData(
    () =>
      props.isAdmin
        ? api.get<UnknownTapsResponse>('/v1/admin/badges/unknown')
        : Promise.resolve({ taps: [] }),
    [props.isAdmin],
  );
  const [badge, setBadge] = useState('');
  const [actionError, setActionError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setActionError(null);
      reload();
      unknown.reload();
    } catch (e) {
      setActionError(e);
    }
  };
  const addTyped = (e: FormEvent) => {
    e.preventDefault();
    const credential = normalizeCredential(badge);
    if (!credential) return setActionError('BAD_REQUEST');
    void act(async () => {
      await api.post(`/v1/admin/people/${props.id}/badges`, { credential });
      setBadge('');
    });
  };
  if (!data) return <div className="panel">{error ? <ErrorLine error={error} /> : <Loading />}</div>;
  const p = data.person;
  return (
    <div className="panel" data-testid="person-detail">
      <div className="panel-head">
        <h2>
          {p.displayName} <Chip tone="muted">{<RoleName role={p.role} />}</Chip>{' '}
          {p.active ? null : <Chip tone="bad">{t('inactive')}</Chip>}
        </h2>
        <div className="actions">
          {props.isAdmin ? (
            <button
              onClick={() =>
                void (async () => {
                  if (p.active) {
                    const { ok } = await ask({
                      title: t('deactivateTitle', { name: p.displayName }),
                      body: t('deactivateBody'),
                      confirm: t('deactivate'),
                      danger: true,
                    });
                    if (!ok) return;
                  }
                  await act(() => api.patch(`/v1/admin/people/${p.id}`, { active: !p.active }));
                })()
              }
            >
              {t(p.active ? 'deactivate' : 'activate')}
            </button>
          ) : null}
          <button onClick={props.onClose}>{t('close')}</button>
        </div>
      </div>
      {orgLine(p) ? (
        <p className="muted" data-testid="person-org">
          {orgLine(p)}
        </p>
      ) : null}
      <ErrorLine error={actionError} />
      <h3>{t('badges')}</h3>
      <ul className="badges" data-testid="badges">
        {data.badges.map((b) => (
          <li key={b.id}>
            <span className="mono">{b.hint ?? b.id}</span>{' '}
            {b.label ? <span className="muted">{b.label}</span> : null}
            {props.isAdmin ? (
              <button
                className="small"
                onClick={() => void act(() => api.del(`/v1/admin/people/${p.id}/badges/${b.id}`))}
              >
                {t('removeBadge')}
              </button>
            ) : null}
          </li>
        ))}
        {data.badges.length === 0 ? <li className="muted">{t('none')}</li> : null}
      </ul>
      {props.isAdmin ? (
        <form className="inline-form" onSubmit={addTyped}>
          <input
            aria-label={t('badgeNumber')}
            placeholder={t('badgeNumberHint')}
            value={badge}
            onChange={(e) => setBadge(e.target.value)}
            autoComplete="off"
          />
          <button type="submit">{t('addBadge')}</button>
        </form>
      ) : null}
      {props.isAdmin && unknown.data && unknown.data.taps.length > 0 ? (
        <>
          <h3>{t('unknownBadges')}</h3>
          <ul className="badges" data-testid="unknown-badges">
            {unknown.data.taps.map((tap) => (
              <li key={tap.id}>
                <span className="mono">{tap.hint}</span>{' '}
                <span className="muted">
                  {t('tappedAt', {
                    kiosk: tap.kioskName ?? tap.kioskId,
                    t: when(lang, tap.at),
                    n: tap.count,
                  })}
                </span>
                <button
                  className="small"
                  onClick={() =>
                    void act(() => api.post(`/v1/admin/people/${p.id}/badges`, { unknownTapId: tap.id }))
                  }
                >
                  {t('useThisBadge')}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>{t('history')}</h3>
      <LoanTable loans={data.loans} showPerson={false} />
    </div>
  );
}

const PEOPLE_PAGE_SIZE = 50;
const PEOPLE_VIEW = { q: '', role: '', status: 'active' };

export function PeoplePage() {
  const { t } = useT();
  const { me } = useApp();
  const isAdmin = me.role === 'admin';
  const list = useServerList({
    path: '/v1/admin/people',
    view: PEOPLE_VIEW,
    pageSize: PEOPLE_PAGE_SIZE,
    rows: (r: AdminPeopleResponse) => r.people,
  });
  const { data, error, reload, view, setView } = list;
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <Page
      title={t('navPeople')}
      actions={
        isAdmin ? (
          <>
            <button className="primary" onClick={() => setCreating(true)}>
              {t('newPerson')}
            </button>
            <CsvImportButton kind="people" onImported={reload} />
          </>
        ) : null
      }
    >
      <ErrorLine error={error} />
      {creating ? (
        <NewPersonForm
          onCancel={() => setCreating(false)}
          onDone={(id) => {
            setCreating(false);
            setSelected(id);
            reload();
          }}
        />
      ) : null}
      {selected ? <PersonDetail id={selected} isAdmin={isAdmin} onClose={() => setSelected(null)} /> : null}
      <div className="filters" role="search">
        <SearchBox
          value={list.typed}
          onChange={list.setTyped}
          placeholder={t('searchPeople')}
          testId="people-search"
        />
        <Field label={t('role')}>
          <select
            value={view.role}
            onChange={(e) => setView({ role: e.target.value })}
            data-testid="people-role"
          >
            <option value="">{t('allRoles')}</option>
            <option value="member">{t('roleMember')}</option>
            <option value="staff">{t('roleStaff')}</option>
            <option value="admin">{t('roleAdmin')}</option>
          </select>
        </Field>
        <Field label={t('state')}>
          <select
            value={view.status}
            onChange={(e) => setView({ status: e.target.value })}
            data-testid="people-status"
          >
            <option value="active">{t('active')}</option>
            <option value="inactive">{t('inactive')}</option>
            <option value="all">{t('allPeople')}</option>
          </select>
        </Field>
      </div>
      {!data ? (
        <Loading />
      ) : data.rows.length === 0 ? (
        <Empty what="noMatches" />
      ) : (
        <table data-testid="people">
          <thead>
            <tr>
              <th>{t('displayName')}</th>
              <th>{t('email')}</th>
              <th>{t('role')}</th>
              <th>{t('badges')}</th>
              <th>{t('openLoans')}</th>
              <th>{t('state')}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((p) => (
              <tr
                key={p.id}
                className={`clickable ${p.active ? '' : 'row-muted'}`}
                onClick={() => setSelected(p.id)}
              >
                <td>
                  {p.displayName}
                  {orgLine(p) ? <div className="muted small">{orgLine(p)}</div> : null}
                </td>
                <td>{p.email ?? '—'}</td>
                <td>
                  <RoleName role={p.role} />
                </td>
                <td>{p.badges}</td>
                <td>{p.openLoans}</td>
                <td>
                  {p.active ? (
                    <Chip tone="ok">{t('active')}</Chip>
                  ) : (
                    <Chip tone="muted">{t('inactive')}</Chip>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data ? (
        <Pager
          page={data}
          pageSize={PEOPLE_PAGE_SIZE}
          onBack={list.cursor.back}
          onForward={list.cursor.forward}
        />
      ) : null}
    </Page>
  );
}
