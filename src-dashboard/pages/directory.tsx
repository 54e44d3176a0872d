/**
 * Directory (admins): what an IT admin needs to connect the organisation's directory over
 * SCIM — the base URL, provisioning tokens (made here and shown once, named, last use seen,
 * revoked) and the directory's groups, each of which may be given a role.
 */
import { useState, type FormEvent } from 'react';
import type {
  CreateScimTokenResponse,
  DirectoryGroupsResponse,
  Role,
  ScimTokenInfo,
  ScimTokensResponse,
} from '../../protocol/index.ts';
import { api } from '../api.ts';
import { Chip, Empty, ErrorLine, Field, Loading, Page } from '../components.tsx';
import { useData, useT } from '../context.tsx';
import { useAsk } from '../dialog.tsx';
import { when } from '../format.ts';

function Tokens(props: { data: ScimTokensResponse; reload(): void; onError(e: unknown): void }) {
  const { t, lang } = useT();
  const ask = useAsk();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreateScimTokenResponse | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setCreated(await api.post<CreateScimTokenResponse>('/v1/admin/scim-tokens', { name: name.trim() }));
      setCreating(false);
      setName('');
      props.reload();
    } catch (err) {
      props.onError(err);
    }
  };
  const revoke = async (tk: ScimTokenInfo) => {
    const { ok } = await ask({
      title: t('dirRevokeTitle', { name: tk.name }),
      body: t('dirRevokeBody'),
      confirm: t('revoke'),
      danger: true,
    });
    if (!ok) return;
    try {
      await api.del(`/v1/admin/scim-tokens/${tk.id}`);
      props.reload();
    } catch (err) {
      props.onError(err);
    }
  };

  return (
    <>
      <div className="panel-head">
        <h2>{t('dirTokens')}</h2>
        <button className="primary" onClick={() => setCreating(true)}>
          {t('dirNewToken')}
        </button>
      </div>
      {creating ? (
        <form className="panel inline-form" onSubmit={(e) => void create(e)}>
          <Field label={t('dirTokenName')}>
            <input
              name="tokenName"
              required
              maxLength={80}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </Field>
          <button type="submit" className="primary">
            {t('create')}
          </button>
          <button type="button" onClick={() => setCreating(false)}>
            {t('cancel')}
          </button>
        </form>
      ) : null}
      {created ? (
        <div className="panel panel-ok code-once" data-testid="scim-token-once">
          <div className="panel-head">
            <h2>{created.token.name}</h2>
            <button onClick={() => setCreated(null)}>{t('close')}</button>
          </div>
          <p className="code secret">{created.secret}</p>
          <p>{t('dirTokenOnce')}</p>
        </div>
      ) : null}
      {props.data.tokens.length === 0 ? (
        <Empty what="dirNoTokens" />
      ) : (
        <table data-testid="scim-tokens">
          <thead>
            <tr>
              <th>{t('name')}</th>
              <th>{t('dirCreatedAt')}</th>
              <th>{t('dirLastUsed')}</th>
              <th>{t('state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {props.data.tokens.map((tk) => (
              <tr key={tk.id} data-token={tk.id} className={tk.revokedAt ? 'row-muted' : ''}>
                <td>{tk.name}</td>
                <td>{when(lang, tk.createdAt)}</td>
                <td>{tk.lastUsedAt ? when(lang, tk.lastUsedAt) : t('never')}</td>
                <td>
                  {tk.revokedAt ? (
                    <Chip tone="muted">{t('dirRevoked')}</Chip>
                  ) : (
                    <Chip tone="ok">{t('active')}</Chip>
                  )}
                </td>
                <td>
                  {tk.revokedAt ? null : (
                    <button className="small danger" onClick={() => void revoke(tk)}>
                      {t('revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Groups(props: { data: DirectoryGroupsResponse; reload(): void; onError(e: unknown): void }) {
  const { t } = useT();
  const setRole = async (id: string, role: Role | null) => {
    try {
      await api.put(`/v1/admin/scim-groups/${id}/role`, { role });
      props.reload();
    } catch (err) {
      props.onError(err);
    }
  };
  return (
    <>
      <h2>{t('dirGroups')}</h2>
      <p className="muted">{t('dirGroupsHint')}</p>
      {props.data.groups.length === 0 ? (
        <Empty what="dirNoGroups" />
      ) : (
        <table data-testid="scim-groups">
          <thead>
            <tr>
              <th>{t('dirGroup')}</th>
              <th className="num">{t('dirMembers')}</th>
              <th>{t('role')}</th>
            </tr>
          </thead>
          <tbody>
            {props.data.groups.map((g) => (
              <tr key={g.id} data-group={g.id}>
                <td>{g.displayName}</td>
                <td className="num">{g.members}</td>
                <td>
                  <select
                    aria-label={`${t('role')}: ${g.displayName}`}
                    value={g.role ?? ''}
                    onChange={(e) => void setRole(g.id, (e.target.value || null) as Role | null)}
                  >
                    <option value="">{t('dirRoleNone')}</option>
                    <option value="member">{t('roleMember')}</option>
                    <option value="staff">{t('roleStaff')}</option>
                    <option value="admin">{t('roleAdmin')}</option>
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function DirectoryPage() {
  const { t } = useT();
  const tokens = useData(() => api.get<ScimTokensResponse>('/v1/admin/scim-tokens'), []);
  const groups = useData(() => api.get<DirectoryGroupsResponse>('/v1/admin/scim-groups'), []);
  const [actionError, setActionError] = useState<unknown>(null);
  return (
    <Page title={t('navDirectory')}>
      <ErrorLine error={tokens.error ?? groups.error ?? actionError} />
      <p>{t('dirIntro')}</p>
      {tokens.data ? (
        <div className="panel" data-testid="scim-base-url">
          <div className="field-label">{t('dirBaseUrl')}</div>
          <p className="code mono">{tokens.data.baseUrl}</p>
        </div>
      ) : null}
      {!tokens.data ? (
        <Loading />
      ) : (
        <Tokens data={tokens.data} reload={tokens.reload} onError={setActionError} />
      )}
      {!groups.data ? (
        <Loading />
      ) : (
        <Groups data={groups.data} reload={groups.reload} onError={setActionError} />
      )}
    </Page>
  );
}
