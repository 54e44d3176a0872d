/**
 * Overdue reminders (admin): which channels are set up (and, for the others, which server
 * setting turns them on), what a send would do now (how many people and loans, per channel,
 * the first people with their items), then Send after an in-app confirmation. With no channel
 * set up it says so and Send stays off, instead of reporting "0 sent".
 */
import { useState } from 'react';
import type { ReminderPreviewResponse, RunRemindersResponse } from '../../protocol/index.ts';
import { api } from '../api.ts';
import { Chip, ErrorLine, Loading, Page } from '../components.tsx';
import { useData, useT } from '../context.tsx';
import { useAsk } from '../dialog.tsx';
import { when } from '../format.ts';
import type { MessageKey } from '../i18n.ts';

const SAMPLE = 20;

const CHANNEL_WORDS: Record<string, MessageKey> = { email: 'remChannelEmail', webhook: 'remChannelWebhook' };

export function RemindersPage() {
  const { t, lang } = useT();
  const ask = useAsk();
  const { data, error, reload } = useData(
    () => api.get<ReminderPreviewResponse>(`/v1/admin/reminders/preview?limit=${SAMPLE}`),
    [],
  );
  const [result, setResult] = useState<RunRemindersResponse | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const channelName = (name: string) => (CHANNEL_WORDS[name] ? t(CHANNEL_WORDS[name]) : name);

  const send = async (preview: ReminderPreviewResponse) => {
    const on = preview.channels.filter((c) => c.configured).map((c) => channelName(c.name));
    const { ok } = await ask({
      title: t('remConfirmTitle'),
      body: t('remConfirmBody', { people: preview.people, channels: on.join(', ') }),
      confirm: t('remSend'),
    });
    if (!ok) return;
    setSending(true);
    try {
      setResult(await api.post<RunRemindersResponse>('/v1/admin/reminders/run'));
      setActionError(null);
      reload();
    } catch (e) {
      setActionError(e);
    } finally {
      setSending(false);
    }
  };

  if (!data) {
    return (
      <Page title={t('navReminders')}>
        <ErrorLine error={error} />
        {error ? null : <Loading />}
      </Page>
    );
  }
  const nothing = data.people === 0;
  return (
    <Page
      title={t('navReminders')}
      actions={
        <button
          className="primary"
          data-testid="reminders-send"
          disabled={!data.canSend || nothing || sending}
          onClick={() => void send(data)}
        >
          {t('remSend')}
        </button>
      }
    >
      <ErrorLine error={error ?? actionError} />
      {result ? (
        <p className="panel panel-ok" role="status" data-testid="reminders-result">
          {t('remindersSent', { n: result.overdueLoans, s: result.sent, f: result.failed })}
        </p>
      ) : null}
      <div className="panel" data-testid="reminder-channels">
        <h2 className="panel-title">{t('remChannels')}</h2>
        <table>
          <tbody>
            {data.channels.map((c) => (
              <tr key={c.name} data-testid={`channel-${c.name}`} data-configured={c.configured}>
                <td className="nowrap">{channelName(c.name)}</td>
                <td className="nowrap">
                  {c.configured ? (
                    <Chip tone="ok">{t('remConfigured')}</Chip>
                  ) : (
                    <Chip tone="muted">{t('remNotConfigured')}</Chip>
                  )}
                </td>
                <td className="keep">
                  {c.configured ? (
                    <>
                      {t('remReach', { n: c.people })}
                      {c.skipped > 0 ? ` · ${t('remSkipped', { n: c.skipped })}` : ''}
                    </>
                  ) : c.settings.length > 0 ? (
                    <span className="muted">
                      <SettingWords words={t('remHowToSet', { vars: '\u0000' })} settings={c.settings} />
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!data.canSend ? (
          <p className="panel panel-bad" role="alert" data-testid="reminders-no-channel">
            {t('remNoChannel')}
          </p>
        ) : (
          <p className="muted small">{t('remDaily')}</p>
        )}
      </div>
      <div className="panel" data-testid="reminder-preview">
        <h2 className="panel-title">{t('remPreview')}</h2>
        {nothing ? (
          <p className="empty">{t('remNothing')}</p>
        ) : (
          <>
            <p data-testid="reminders-would-send">
              <strong>{t('remWouldSend', { people: data.people, loans: data.loans })}</strong>
            </p>
            {data.inactiveLoans > 0 ? (
              <p className="muted small">{t('remInactive', { n: data.inactiveLoans })}</p>
            ) : null}
            <h3>{t('remFirstPeople', { n: data.sample.length })}</h3>
            <table data-testid="reminder-sample">
              <thead>
                <tr>
                  <th>{t('person')}</th>
                  <th>{t('email')}</th>
                  <th>{t('remOverdueItems')}</th>
                </tr>
              </thead>
              <tbody>
                {data.sample.map((p) => (
                  <tr key={p.userId}>
                    <td className="cut" title={p.userName}>
                      {p.userName}
                    </td>
                    <td className="cut" title={p.email ?? ''}>
                      {p.email ?? '—'}
                    </td>
                    <td>
                      {p.loans.map((l) => (
                        <div key={`${l.itemTag}-${l.dueAt}`} className="keep">
                          <span className="mono">{l.itemTag}</span> {l.itemName} ·{' '}
                          <span className="nowrap">{when(lang, l.dueAt)}</span>{' '}
                          <Chip tone="bad">
                            {t(l.daysOverdue === 1 ? 'remDaysLate1' : 'remDaysLate', { n: l.daysOverdue })}
                          </Chip>
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>
    </Page>
  );
}

/** The sentence with each setting's name set in code type where {vars} stood. */
function SettingWords(props: { words: string; settings: string[] }) {
  const [before, after] = props.words.split('\u0000');
  return (
    <>
      {before}
      {props.settings.map((s, i) => (
        <span key={s}>
          {i > 0 ? ', ' : ''}
          <code className="mono">{s}</code>
        </span>
      ))}
      {after}
    </>
  );
}
