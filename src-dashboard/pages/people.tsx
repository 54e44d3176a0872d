/**
 * People and badges: create (optionally with a first badge and a password), edit (name,
 * email, role, department, employee number, active; what the directory owns is shown
 * locked), deactivate; add a badge by typing its number or by choosing an unknown badge
 * tapped at a kiosk; label or remove a badge; a person's loans and history.
 *
 * A change that ends or narrows someone's access asks first, in a sentence saying what will
 * happen. A refused field shows its reason beside that field.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import {
  PERSON_FIELD_OF,
  checkPersonFields,
  normalizeCredential,
  roleSatisfies,
  type AdminPeopleResponse,
  type AdminPerson,
  type CreatePersonRequest,
  type ErrorCode,
  type PersonDetailResponse,
  type PersonField,
  type Role,
  type UpdatePersonRequest,
} from '../../protocol/index.ts';
import { api } from '../api.ts';
import { Chip, Empty, ErrorLine, Field, Loading, Page, RoleName } from '../components.tsx';
import { useApp, useData, useT } from '../context.tsx';
import { useAsk } from '../dialog.tsx';
import { when } from '../format.ts';
import { SearchBox, useServerList } from '../list-view.tsx';
import { Pager } from '../paging.tsx';
import { useUrlState } from '../url-state.ts';
import { useBadgeName } from '../badge-name.ts';
import { UnknownBadges } from './unknown-badges.tsx';
import { LoanTable } from './loans.tsx';
import { CsvImportButton } from './csv-import.tsx';

/** Employee number and department from the directory (SCIM): what tells two people of one name apart. */
const orgLine = (p: { employeeNumber: string | null; department: string | null }) =>
  [p.employeeNumber, p.department].filter(Boolean).join(' · ');

function NewPersonForm(props: { onDone: (id: string) => void; onCancel: () => void }) {
  const { t, err } = useT();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [password, setPassword] = useState('');
  const [badge, setBadge] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [fieldError, setFieldError] = useState<{ field: PersonField; code: string } | null>(null);
  const [badgeInvalid, setBadgeInvalid] = useState(false);
  const errorOf = (f: PersonField) => (fieldError?.field === f ? err(fieldError.code) : null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // The same rules the server applies, so the reason shows beside the field at once.
    const checked = checkPersonFields({ displayName: name, email });
    if (!checked.ok) return setFieldError({ field: checked.field, code: checked.code });
    setFieldError(null);
    const credential = badge.trim() ? normalizeCredential(badge) : null;
    if (badge.trim() && !credential) return setBadgeInvalid(true);
    setBadgeInvalid(false);
    const body: CreatePersonRequest = {
      displayName: checked.edit.displayName!,
      role,
      ...(checked.edit.email ? { email: checked.edit.email } : {}),
      ...(password ? { password } : {}),
      ...(credential ? { badge: credential } : {}),
    };
    try {
      props.onDone((await api.post<{ person: { id: string } }>('/v1/admin/people', body)).person.id);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      const field = typeof code === 'string' ? PERSON_FIELD_OF[code as ErrorCode] : undefined;
      if (field && typeof code === 'string') setFieldError({ field, code });
      else setError(e);
    }
  };
  return (
    <form className="panel form-grid" onSubmit={(e) => void submit(e)} noValidate data-testid="person-form">
      <EditField label={t('displayName')} error={errorOf('displayName')} locked={false} lockedHint="">
        <input
          name="displayName"
          value={name}
          aria-invalid={fieldError?.field === 'displayName'}
          onChange={(e) => setName(e.target.value)}
        />
      </EditField>
      <EditField
        label={`${t('email')} (${t('optional')})`}
        error={errorOf('email')}
        locked={false}
        lockedHint=""
      >
        <input
          name="email"
          type="email"
          value={email}
          aria-invalid={fieldError?.field === 'email'}
          onChange={(e) => setEmail(e.target.value)}
        />
      </EditField>
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

/** A line of a form grid that spans every column (a note, the buttons). */
const WHOLE_ROW = { gridColumn: '1 / -1' } as const;
/** A field the directory owns: plainly not editable, not merely grey text in a box. */
const LOCKED = { background: 'transparent', borderStyle: 'dashed', color: 'var(--muted)' } as const;

type EditForm = {
  displayName: string;
  email: string;
  role: Role;
  active: boolean;
  department: string;
  employeeNumber: string;
};

const formOf = (p: AdminPerson): EditForm => ({
  displayName: p.displayName,
  email: p.email ?? '',
  role: p.role,
  active: p.active,
  department: p.department ?? '',
  employeeNumber: p.employeeNumber ?? '',
});

/** A labelled field with its refusal, if any, beside it (announced to screen readers). */
function EditField(props: {
  label: string;
  error: string | null;
  locked: boolean;
  lockedHint: string;
  children: ReactNode;
}) {
  return (
    <label className="field">
      <span className="field-label">{props.label}</span>
      {props.children}
      {props.locked ? <span className="field-hint">{props.lockedHint}</span> : null}
      {props.error ? (
        <span className="field-hint error" role="alert" data-testid="field-error">
          {props.error}
        </span>
      ) : null}
    </label>
  );
}

type TextField = 'displayName' | 'email' | 'department' | 'employeeNumber';

function EditPersonForm(props: {
  person: AdminPerson;
  owned: PersonField[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t, err } = useT();
  const ask = useAsk();
  const p = props.person;
  const [form, setForm] = useState<EditForm>(() => formOf(p));
  const [fieldError, setFieldError] = useState<{ field: PersonField; code: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [nothing, setNothing] = useState(false);
  const set = (patch: Partial<EditForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setNothing(false);
  };
  const locked = (f: PersonField) => props.owned.includes(f);
  const errorOf = (f: PersonField) => (fieldError?.field === f ? err(fieldError.code) : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const before = formOf(p);
    const body: UpdatePersonRequest = {};
    if (form.displayName !== before.displayName) body.displayName = form.displayName;
    if (form.email.trim() !== before.email) body.email = form.email.trim() || null;
    if (form.role !== before.role) body.role = form.role;
    if (form.active !== before.active) body.active = form.active;
    if (form.department.trim() !== before.department) body.department = form.department.trim() || null;
    if (form.employeeNumber.trim() !== before.employeeNumber)
      body.employeeNumber = form.employeeNumber.trim() || null;
    if (Object.keys(body).length === 0) return setNothing(true);

    // Say what ending or narrowing someone's access does, and let them think again.
    if (body.active === false) {
      const { ok } = await ask({
        title: t('deactivateTitle', { name: p.displayName }),
        body: t('endAccessBody', { name: p.displayName }),
        confirm: t('deactivate'),
        danger: true,
      });
      if (!ok) return;
    } else if (body.role && !roleSatisfies(body.role, p.role)) {
      const { ok } = await ask({
        title: t('lowerRoleTitle', { name: p.displayName }),
        body: t(body.role === 'member' ? 'lowerToMemberBody' : 'lowerToStaffBody', { name: p.displayName }),
        confirm: t('lowerRole'),
        danger: true,
      });
      if (!ok) return;
    }
    try {
      await api.patch(`/v1/admin/people/${p.id}`, body);
      props.onDone();
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      const field =
        typeof code === 'string' ? PERSON_FIELD_OF[code as keyof typeof PERSON_FIELD_OF] : undefined;
      if (field && typeof code === 'string') {
        setFieldError({ field, code });
        setError(null);
      } else {
        setFieldError(null);
        setError(e);
      }
    }
  };

  const lockedHint = t('fromDirectory');
  /** One text field of the form: locked when the directory owns it, its refusal beside it. */
  const textField = (field: TextField, label: string, type = 'text') => (
    <EditField label={label} error={errorOf(field)} locked={locked(field)} lockedHint={lockedHint}>
      <input
        name={field}
        type={type}
        value={form[field]}
        disabled={locked(field)}
        style={locked(field) ? LOCKED : undefined}
        aria-invalid={fieldError?.field === field}
        onChange={(e) => set({ [field]: e.target.value })}
      />
    </EditField>
  );
  return (
    <form
      className="panel form-grid"
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid="person-edit"
      aria-label={t('editPersonTitle', { name: p.displayName })}
    >
      <h3 style={{ ...WHOLE_ROW, margin: 0 }}>{t('editPerson')}</h3>
      {props.owned.length > 0 ? (
        <p className="muted" style={{ ...WHOLE_ROW, margin: 0 }} data-testid="directory-note">
          {t('fromDirectoryNote')}
        </p>
      ) : null}
      {textField('displayName', t('displayName'))}
      {textField('email', t('email'), 'email')}
      <EditField label={t('role')} error={null} locked={locked('role')} lockedHint={t('roleFromGroups')}>
        <select
          name="role"
          value={form.role}
          disabled={locked('role')}
          style={locked('role') ? LOCKED : undefined}
          onChange={(e) => set({ role: e.target.value as Role })}
        >
          <option value="member">{t('roleMember')}</option>
          <option value="staff">{t('roleStaff')}</option>
          <option value="admin">{t('roleAdmin')}</option>
        </select>
      </EditField>
      {textField('department', `${t('department')} (${t('optional')})`)}
      {textField('employeeNumber', `${t('employeeNumber')} (${t('optional')})`)}
      <EditField label={t('state')} error={null} locked={locked('active')} lockedHint={lockedHint}>
        <span className="check">
          <input
            name="active"
            type="checkbox"
            checked={form.active}
            disabled={locked('active')}
            onChange={(e) => set({ active: e.target.checked })}
          />{' '}
          {t('accountActive')}
        </span>
      </EditField>
      <div style={WHOLE_ROW}>
        <ErrorLine error={error} />
        {nothing ? <p className="muted">{t('noChanges')}</p> : null}
      </div>
      <div className="form-actions" style={WHOLE_ROW}>
        <button type="submit" className="primary" data-testid="save-person">
          {t('save')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

function PersonDetail(props: { id: string; onClose: () => void; onChanged: () => void; isAdmin: boolean }) {
  const { t, lang } = useT();
  const ask = useAsk();
  const { data, error, reload } = useData(
    () => api.get<PersonDetailResponse>(`/v1/admin/people/${props.id}`),
    [props.id],
  );
  const badgeName = useBadgeName();
  const [editing, setEditing] = useState(false);
  const [tapsVersion, setTapsVersion] = useState(0);
  const [badge, setBadge] = useState('');
  const [actionError, setActionError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setActionError(null);
      reload();
      setTapsVersion((v) => v + 1);
      props.onChanged();
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
  const owned = data.directory?.owned ?? [];
  const label = async (b: { id: string; hint: string | null }) => {
    const { ok, note } = await ask({
      title: `${t('badgeLabel')}: ${badgeName(b.hint)}`,
      body: t('badgeLabelHint'),
      confirm: t('save'),
      note: { label: t('badgeLabel'), required: false },
    });
    if (ok) await act(() => api.patch(`/v1/admin/people/${p.id}/badges/${b.id}`, { label: note || null }));
  };
  return (
    <div className="panel" data-testid="person-detail">
      <div className="panel-head">
        <h2>
          {p.displayName} <Chip tone="muted">{<RoleName role={p.role} />}</Chip>{' '}
          {p.active ? null : <Chip tone="bad">{t('inactive')}</Chip>}{' '}
          {data.directory ? <Chip tone="info">{t('directoryPerson')}</Chip> : null}
        </h2>
        <div className="actions">
          {props.isAdmin && !editing ? (
            <button className="primary" onClick={() => setEditing(true)} data-testid="edit-person">
              {t('editPerson')}
            </button>
          ) : null}
          {props.isAdmin && !owned.includes('active') ? (
            <button
              onClick={() =>
                void (async () => {
                  if (p.active) {
                    const { ok } = await ask({
                      title: t('deactivateTitle', { name: p.displayName }),
                      body: t('endAccessBody', { name: p.displayName }),
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
      {editing ? (
        <EditPersonForm
          key={`${p.id}:${p.displayName}:${p.email}:${p.role}:${p.active}`}
          person={p}
          owned={owned}
          onCancel={() => setEditing(false)}
          onDone={() => {
            setEditing(false);
            props.onChanged();
            reload();
          }}
        />
      ) : null}
      <ErrorLine error={actionError} />
      <h3>{t('badges')}</h3>
      <ul className="badges" data-testid="badges">
        {data.badges.map((b) => (
          <li key={b.id}>
            <span>{badgeName(b.hint)}</span>
            {b.label ? <Chip tone="muted">{b.label}</Chip> : null}
            {b.addedAt ? (
              <span className="muted small">{t('badgeAdded', { t: when(lang, b.addedAt) })}</span>
            ) : null}
            {props.isAdmin ? (
              <button className="small" onClick={() => void label(b)}>
                {t('renameBadge')}
              </button>
            ) : null}
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
      {props.isAdmin ? (
        <UnknownBadges
          version={tapsVersion}
          onUse={(tapId) =>
            void act(() => api.post(`/v1/admin/people/${p.id}/badges`, { unknownTapId: tapId }))
          }
        />
      ) : null}
      <h3>{t('history')}</h3>
      <LoanTable loans={data.loans} showPerson={false} empty="noLoansYet" />
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
  // The open person in the URL too (#/people?person=…&taps=…): a link shows the same detail and
  // the same page of unknown badges; closing it forgets that page.
  const [open, setOpen] = useUrlState({ person: '', taps: '', tapsKiosk: '' });
  const selected = open.person || null;
  const setSelected = (id: string | null) =>
    setOpen(id ? { person: id } : { person: '', taps: '', tapsKiosk: '' });
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
      {selected ? (
        <PersonDetail id={selected} isAdmin={isAdmin} onClose={() => setSelected(null)} onChanged={reload} />
      ) : null}
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
          counts="people"
          onBack={list.cursor.back}
          onForward={list.cursor.forward}
        />
      ) : null}
    </Page>
  );
}
