/** The top bar on every screen: title, sync state, clock, language switch. */
import type { ReactNode } from 'react';
import type { KioskStatus } from '../../protocol/kiosk-api.ts';
import { useI18n } from '../i18n/i18n-context.tsx';

type Props = {
  status: KioskStatus | null;
  now: number;
  onToggleLanguage: () => void;
  /** Development only: the simulator's toggle, on screens other than idle. */
  simulator?: ReactNode;
};

export function StatusBar({ status, now, onToggleLanguage, simulator }: Props) {
  const { t, time } = useI18n();
  return (
    <header className="status-bar">
      <span className="status-title">{t('appTitle')}</span>
      <span className="status-chips">
        {status && (
          <span className={`chip ${status.online ? 'chip-ok' : 'chip-warn'}`} data-testid="online-state">
            {status.online ? t('online') : t('offline')}
          </span>
        )}
        {status && status.pending > 0 && (
          <span className="chip chip-neutral" data-testid="pending">
            {t('pendingSync', { n: status.pending })}
          </span>
        )}
      </span>
      <time className="status-clock" dateTime={new Date(now).toISOString()}>
        {time(new Date(now))}
      </time>
      {simulator}
      <button
        type="button"
        className="btn btn-quiet lang-switch"
        onClick={onToggleLanguage}
        aria-label={t('switchLanguageLabel')}
      >
        {t('switchLanguage')}
      </button>
    </header>
  );
}
