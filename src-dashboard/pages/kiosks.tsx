/** Kiosks: live health from heartbeats; create (the enrollment code is shown once); revoke. */
import { useState, type FormEvent } from 'react';
import type {
  AdminKiosk,
  AdminKiosksResponse,
  CreateKioskResponse,
  ReaderHealth,
} from '../../protocol/index.ts';
import { api } from '../api.ts';
import { Chip, ErrorLine, Field, Loading, Page } from '../components.tsx';
import { useApp, useData, useT } from '../context.tsx';
import { useAsk } from '../dialog.tsx';
import { duration, offset, when } from '../format.ts';

function StateChip(props: { state: AdminKiosk['state'] }) {
  const { t } = useT();
  switch (props.state) {
    case 'online':
      return <Chip tone="ok">{t('stateOnline')}</Chip>;
    case 'offline':
      return <Chip tone="bad">{t('stateOffline')}</Chip>;
    case 'pending':
      return <Chip tone="info">{t('statePending')}</Chip>;
    case 'revoked':
      return <Chip tone="muted">{t('stateRevoked')}</Chip>;
  }
}

/** Reader kinds the kiosk's hardware reports; a kind added later still shows, by its code. */
const READER_KIND_WORDS = {
  nfc: 'readerNfc',
  'keyboard-wedge': 'readerWedge',
  wiegand: 'readerWiegand',
  simulator: 'readerSimulator',
} as const;

const READER_STATE = {
  ok: { tone: 'ok', words: 'readerOk' },
  absent: { tone: 'warn', words: 'readerAbsent' },
  error: { tone: 'bad', words: 'readerError' },
} as const;

function ReaderChip(props: { reader: ReaderHealth }) {
  const { t } = useT();
  const { kind, status, detail } = props.reader;
  const kindWords = Object.hasOwn(READER_KIND_WORDS, kind)
    ? t(READER_KIND_WORDS[kind as keyof typeof READER_KIND_WORDS])
    : t('readerOther', { kind });
  const state = READER_STATE[status];
  return (
    <span title={detail}>
      <Chip tone={state.tone}>{t('readerState', { reader: kindWords, state: t(state.words) })}</Chip>
    </span>
  );
}

export function KiosksPage() {
  const { t, lang } = useT();
  const ask = useAsk();
  const { me } = useApp();
  const isAdmin = me.role === 'admin';
  const { data, error, reload } = useData(() => api.get<AdminKiosksResponse>('/v1/admin/kiosks'), []);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreateKioskResponse | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setCreated(await api.post<CreateKioskResponse>('/v1/admin/kiosks', { name: name.trim() }));
      setCreating(false);
      setName('');
      reload();
    } catch (err) {
      setActionError(err);
    }
  };
  const revoke = async (k: AdminKiosk) => {
    const { ok } = await ask({
      title: t('revokeConfirm', { name: k.name }),
      body: t('revokeBody'),
      confirm: t('revoke'),
      danger: true,
    });
    if (!ok) return;
    try {
      await api.post(`/v1/admin/kiosks/${k.id}/revoke`);
      reload();
    } catch (err) {
      setActionError(err);
    }
  };

  return (
    <Page
      title={t('navKiosks')}
      actions={
        isAdmin ? (
          <button className="primary" onClick={() => setCreating(true)}>
            {t('newKiosk')}
          </button>
        ) : null
      }
    >
      <ErrorLine error={error ?? actionError} />
      {creating ? (
        <form className="panel inline-form" onSubmit={(e) => void create(e)}>
          <Field label={t('name')}>
            <input
              name="kioskName"
              required
              maxLength={200}
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
        <div className="panel panel-ok code-once" data-testid="enrollment-code">
          <div className="panel-head">
            <h2>
              {created.kiosk.name}: {t('enrollmentCode')}
            </h2>
            <button onClick={() => setCreated(null)}>{t('close')}</button>
          </div>
          <p className="code">{created.enrollmentCode}</p>
          <p>{t('enrollmentCodeOnce', { t: when(lang, created.expiresAt) })}</p>
        </div>
      ) : null}
      {!data ? (
        <Loading />
      ) : (
        <table data-testid="kiosks">
          <thead>
            <tr>
              <th>{t('name')}</th>
              <th>{t('state')}</th>
              <th>{t('lastSeen')}</th>
              <th>{t('queueDepth')}</th>
              <th>{t('oldestUnsynced')}</th>
              <th>{t('readers')}</th>
              <th>{t('clockOffset')}</th>
              <th>{t('appVersion')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.kiosks.map((k) => {
              const h = k.health;
              return (
                <tr key={k.id} data-kiosk={k.id}>
                  <td>{k.name}</td>
                  <td>
                    <StateChip state={k.state} />
                  </td>
                  <td>{k.lastSeenAt ? when(lang, k.lastSeenAt) : t('never')}</td>
                  <td className={h && h.queueDepth > 0 ? 'warn-text' : ''}>{h ? h.queueDepth : '—'}</td>
                  <td>{h ? duration(lang, h.oldestUnsyncedAgeS) : '—'}</td>
                  <td>{h?.readers.map((r) => <ReaderChip key={r.id} reader={r} />) ?? '—'}</td>
                  <td>{h ? offset(lang, h.clockOffsetMs) : '—'}</td>
                  <td>{h?.appVersion ?? '—'}</td>
                  <td>
                    {isAdmin && k.state !== 'revoked' ? (
                      <button className="small danger" onClick={() => void revoke(k)}>
                        {t('revoke')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Page>
  );
}
