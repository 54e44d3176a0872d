/** Idle: "tap your badge" in both languages, the person's current language first. */
import type { KioskApi, KioskView } from '../../protocol/kiosk-api.ts';
import { BadgeIcon } from '../components/Icons.tsx';
import { SimulatorPanel } from '../components/SimulatorPanel.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';
import { MESSAGES } from '../i18n/messages.ts';

export function IdleScreen({ view, api }: { view: KioskView; api: KioskApi }) {
  const { lang, t } = useI18n();
  const other = lang === 'ko' ? 'en' : 'ko';
  return (
    <main className="screen screen-center idle" data-screen="idle">
      <div className="idle-badge">
        <BadgeIcon />
      </div>
      <h1 className="idle-title">{t('tapBadge')}</h1>
      <p className="idle-other" lang={other}>
        {MESSAGES.tapBadge[other]}
      </p>
      <p className="idle-hint">{t('tapBadgeHint')}</p>
      {!view.status.online && (
        <p className="banner banner-warn" data-testid="offline-banner">
          {t('offlineHonest')}
        </p>
      )}
      {view.status.simulator && <SimulatorPanel api={api} status={view.status} />}
    </main>
  );
}
