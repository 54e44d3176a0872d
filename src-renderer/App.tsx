/**
 * The kiosk UI: renders purely from the latest KioskView. Local state is only the
 * language (and, inside a session, the cart, search and note).
 */
import { useEffect, useRef, useState } from 'react';
import type { KioskApi, KioskView } from '../protocol/kiosk-api.ts';
import type { ApiSource } from './api/pick-api.ts';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { Spinner } from './components/Icons.tsx';
import { SimulatorPanel } from './components/SimulatorPanel.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { I18nProvider, useI18n } from './i18n/i18n-context.tsx';
import type { Lang } from './i18n/messages.ts';
import { BusyScreen } from './screens/BusyScreen.tsx';
import { DeniedScreen } from './screens/DeniedScreen.tsx';
import { OutOfServiceScreen } from './screens/OutOfServiceScreen.tsx';
import { IdleScreen } from './screens/IdleScreen.tsx';
import { ReceiptScreen } from './screens/ReceiptScreen.tsx';
import { ServiceScreen } from './screens/ServiceScreen.tsx';
import { SessionFlow } from './screens/SessionFlow.tsx';
import { useActivityPing } from './state/use-activity.ts';
import { useKeyboardWedge } from './state/use-keyboard-wedge.ts';
import { useKioskGuards } from './state/use-kiosk-guards.ts';
import { useKioskView } from './state/use-kiosk-view.ts';
import { useNow } from './state/use-now.ts';

export const DEFAULT_LANG: Lang = 'ko';
/** A language chosen before anyone has tapped in: it goes to whoever does next. */
const ARRIVING = Symbol('arriving');

export function App({ source }: { source: ApiSource }) {
  const { view, offsetMs, connection } = useKioskView(source);
  const [lang, setLang] = useState<Lang>(DEFAULT_LANG);
  const now = useNow(offsetMs);
  const screen = view?.screen ?? null;

  // The next person starts in the default language, whatever the last one chose: at the idle
  // screen, and also when someone taps in straight from the last person's receipt or session
  // (the core goes there without passing idle). A choice made before a session (idle, a refused
  // badge) belongs to whoever taps in next.
  const previous = useRef(screen);
  const chosenBy = useRef<string | typeof ARRIVING | null>(null);
  const lastUser = useRef<string | null>(null);
  const userId = view?.session?.user.id ?? view?.service?.admin.id ?? null;
  useEffect(() => {
    if (screen === 'idle' && previous.current !== null && previous.current !== 'idle') {
      setLang(DEFAULT_LANG);
      chosenBy.current = null;
      lastUser.current = null;
    }
    previous.current = screen;
  }, [screen]);
  useEffect(() => {
    if (userId === null || userId === lastUser.current) return;
    if (chosenBy.current === ARRIVING) chosenBy.current = userId;
    else if (chosenBy.current !== null && chosenBy.current !== userId) {
      setLang(DEFAULT_LANG);
      chosenBy.current = null;
    }
    lastUser.current = userId;
  }, [userId]);
  const toggleLanguage = () => {
    // On a receipt the choice is still the last person's; before any session, the next one's.
    chosenBy.current = userId ?? (screen === 'receipt' ? lastUser.current : ARRIVING);
    setLang((l) => (l === 'ko' ? 'en' : 'ko'));
  };

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  useKioskGuards(view?.status.simulator === true);
  useActivityPing(source.api, screen === 'session' || screen === 'service');
  // Badge readers and scanners that type into this window, on every screen.
  useKeyboardWedge(source.api);

  return (
    <I18nProvider lang={lang}>
      <div className="kiosk" data-connection={connection}>
        <StatusBar
          status={view ? honestStatus(view) : null}
          now={now}
          onToggleLanguage={toggleLanguage}
          simulator={
            view?.status.simulator && view.screen !== 'idle' ? (
              <SimulatorPanel api={source.api} status={view.status} placement="bar" />
            ) : null
          }
        />
        {connection !== 'open' && <ConnectionBanner />}
        <ErrorBoundary>
          {view ? <Screen view={view} api={source.api} now={now} /> : <Starting />}
        </ErrorBoundary>
      </div>
    </I18nProvider>
  );
}

/** An offline-roster session means the server is away, even before a sync round has failed. */
function honestStatus(view: KioskView): KioskView['status'] {
  return view.session?.offline && view.status.online ? { ...view.status, online: false } : view.status;
}

function Screen({ view, api, now }: { view: KioskView; api: KioskApi; now: number }) {
  switch (view.screen) {
    case 'idle':
      return <IdleScreen view={view} api={api} />;
    case 'identifying':
      return <BusyScreen message="checkingBadge" screen="identifying" />;
    case 'session':
    case 'committing':
      if (!view.session) return <BusyScreen message="saving" screen={view.screen} />;
      return (
        <SessionFlow
          key={view.session.user.id}
          view={view}
          session={view.session}
          api={api}
          now={now}
          committing={view.screen === 'committing'}
        />
      );
    case 'receipt':
      if (!view.receipt) return <BusyScreen message="saving" screen="receipt" />;
      return <ReceiptScreen view={view} receipt={view.receipt} api={api} />;
    case 'denied':
      return <DeniedScreen view={view} api={api} />;
    case 'outOfService':
      return <OutOfServiceScreen />;
    case 'service':
      if (!view.service) return <BusyScreen message="starting" screen="service" />;
      return <ServiceScreen view={view} service={view.service} api={api} now={now} />;
    default:
      // A screen this build does not know (a newer core): say something calm rather than crash.
      return <BusyScreen message="starting" screen="unknown" />;
  }
}

function Starting() {
  const { t } = useI18n();
  return (
    <main className="screen screen-center" data-screen="starting">
      <Spinner />
      <p className="busy-title">{t('starting')}</p>
    </main>
  );
}

function ConnectionBanner() {
  const { t } = useI18n();
  return (
    <p className="banner banner-warn connection-banner" role="alert" data-testid="connection-banner">
      {t('kioskUnreachable')}
    </p>
  );
}
