/** Service mode for an admin badge: device status, sync queue, force sync, enrol a badge. */
import { useState } from 'react';
import type {
  CommandResult,
  EnrolTarget,
  KioskApi,
  KioskView,
  ServiceView,
} from '../../protocol/kiosk-api.ts';
import { Countdown, countdownSeconds } from '../components/Countdown.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { OnScreenKeyboard } from '../keyboard/OnScreenKeyboard.tsx';
import { matchesText } from '../state/catalog.ts';

/** A reader's kind in words; a kind without words (a newer driver) shows as it is. */
const READER_WORDS: Record<string, MessageKey> = {
  nfc: 'readerNfc',
  wiegand: 'readerWiegand',
  'keyboard-wedge': 'readerKeyboardWedge',
  simulator: 'readerSimulator',
};

const STATE_WORDS: Record<string, MessageKey> = {
  present: 'statePresent',
  gone: 'stateGone',
  error: 'stateError',
  ok: 'stateOk',
  off: 'stateOff',
};

type Props = { view: KioskView; service: ServiceView; api: KioskApi; now: number };

export function ServiceScreen({ view, service, api, now }: Props) {
  const { t, err, dateTime, lang } = useI18n();
  const [note, setNote] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [keyboard, setKeyboard] = useState(false);
  const { status } = view;
  const outputs = status.outputs ?? [];

  const run = (command: Promise<CommandResult>, okText?: string) => {
    setNote(null);
    command.then(
      (r) => setNote(r.ok ? (okText ?? null) : err(r.code)),
      (e: unknown) => setNote(err((e as { code?: string }).code)),
    );
  };

  const people = service.people.filter((p) =>
    matchesText(query, p.displayName, p.department ?? '', p.employeeNumber ?? '', p.email ?? ''),
  );
  const seconds = countdownSeconds(now, [service.idleDeadline]);
  const enrol = service.enrol;

  return (
    <main className="screen service" data-screen="service">
      <div className="session-head">
        <h1 className="session-name">{t('serviceTitle')}</h1>
        <span className="muted">{t('serviceAdmin', { name: service.admin.displayName })}</span>
        <button type="button" className="btn btn-secondary" onClick={() => run(api.endSession({}))}>
          {t('leaveService')}
        </button>
      </div>
      {seconds !== null && (
        <Countdown seconds={seconds} onStay={() => void api.activity({}).catch(() => {})} />
      )}
      {note && (
        <p className="banner banner-neutral" role="status">
          {note}
        </p>
      )}
      <div className="work-area">
        <section className="panel list-panel" aria-label={t('readers')}>
          <div className="scroll">
            <h2>{t('readers')}</h2>
            <ul className="status-list" data-testid="readers">
              {status.readers.length === 0 && <li className="muted">{t('noneConnected')}</li>}
              {status.readers.map((r) => (
                <li key={r.id} className="status-row">
                  <span>
                    {READER_WORDS[r.kind] ? t(READER_WORDS[r.kind]!) : r.kind}
                    {/* The id tells two readers of one kind apart; said once when it is only the kind. */}
                    {r.id !== r.kind && <span className="muted"> ({r.id})</span>}
                  </span>
                  <span className={`tag ${r.state === 'present' ? 'tag-ok' : 'tag-danger'}`}>
                    {t(STATE_WORDS[r.state] ?? 'stateError')}
                  </span>
                </li>
              ))}
            </ul>
            {outputs.length > 0 && (
              <>
                <h2>{t('outputs')}</h2>
                <ul className="status-list">
                  {outputs.map((o) => (
                    <li key={o.id} className="status-row">
                      <span>
                        {o.kind} <span className="muted">({o.id})</span>
                      </span>
                      <span className={`tag ${o.state === 'error' ? 'tag-danger' : 'tag-ok'}`}>
                        {t(STATE_WORDS[o.state] ?? 'stateError')}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
            <h2>{t('queue')}</h2>
            <ul className="status-list">
              <li className="status-row">
                <span data-testid="queue-depth">{t('queueDepth', { n: status.pending })}</span>
                <span className={`tag ${status.online ? 'tag-ok' : 'tag-danger'}`}>
                  {status.online ? t('online') : t('offline')}
                </span>
              </li>
              {status.storageFault && (
                <li className="status-row banner banner-warn" role="alert" data-testid="storage-fault">
                  {t('storageFault')}
                </li>
              )}
              {(status.needsAttention ?? 0) > 0 && (
                <li className="status-row">{t('needsAttention', { n: status.needsAttention ?? 0 })}</li>
              )}
              <li className="status-row">
                {t('lastSync', { time: status.lastSyncAt ? dateTime(status.lastSyncAt) : t('never') })}
              </li>
            </ul>
            <button
              type="button"
              className="btn btn-primary btn-big"
              disabled={status.syncing === true}
              onClick={() => run(api.forceSync({}), t('syncRequested'))}
              data-testid="force-sync"
            >
              {status.syncing ? t('syncing') : t('syncNow')}
            </button>
          </div>
        </section>
        <section className="panel cart-panel enrol-panel" aria-label={t('enrolTitle')}>
          <h2>{t('enrolTitle')}</h2>
          {enrol ? (
            <div className="enrol-state" data-testid="enrol-state" data-state={enrol.state}>
              {enrol.state === 'waiting' && (
                <>
                  <p className="lead">{t('enrolFor', { name: enrol.displayName })}</p>
                  <p className="banner banner-neutral">{t('enrolTapNow')}</p>
                </>
              )}
              {enrol.state === 'enrolled' && (
                <p className="banner banner-ok">{t('enrolDone', { name: enrol.displayName })}</p>
              )}
              {enrol.state === 'failed' && (
                <p className="banner banner-warn" role="alert">
                  {t('enrolFailed')}: {err(enrol.error)}
                </p>
              )}
              <button
                type="button"
                className="btn btn-secondary btn-big"
                onClick={() => run(api.cancelEnrol({}))}
              >
                {enrol.state === 'waiting' ? t('cancel') : t('done')}
              </button>
            </div>
          ) : (
            <>
              <p className="muted">{t('enrolPick')}</p>
              <div className="search-row">
                {/* inputMode none: no system keyboard pops up; a tap opens the kiosk's own. */}
                <input
                  className="input"
                  type="search"
                  inputMode="none"
                  value={query}
                  onChange={(e) => setQuery(e.target.value)}
                  onClick={() => setKeyboard(true)}
                  aria-label={t('search')}
                  placeholder={t('search')}
                  autoComplete="off"
                  spellCheck={false}
                  data-testid="people-search"
                />
                <button
                  type="button"
                  className="btn btn-secondary"
                  aria-expanded={keyboard}
                  onClick={() => setKeyboard((k) => !k)}
                  data-testid="keyboard-open"
                >
                  {t('kbdOpen')}
                </button>
              </div>
              {keyboard && (
                <OnScreenKeyboard
                  value={query}
                  onChange={setQuery}
                  onClose={() => setKeyboard(false)}
                  initialLayout={lang}
                  found={t('kbdFound', { n: people.length })}
                />
              )}
              <div className="scroll">
                {people.length === 0 && <p className="muted empty">{t('noPeople')}</p>}
                <ul className="people-list" data-testid="people">
                  {people.map((p) => (
                    <li key={p.id}>
                      <button
                        type="button"
                        className="item"
                        onClick={() => run(api.startEnrol({ userId: p.id }))}
                      >
                        <span className="item-name">{p.displayName}</span>
                        {distinction(p) && <span className="item-meta person-meta">{distinction(p)}</span>}
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            </>
          )}
        </section>
      </div>
    </main>
  );
}

/** What tells two people of one name apart: department, employee number, email (as known). */
function distinction(p: EnrolTarget): string {
  return [p.department, p.employeeNumber, p.email].filter((x): x is string => Boolean(x)).join(' · ');
}
