/**
 * The dashboard shell: checks the session on load (silently refreshing it if it can), shows
 * the sign-in page or the pages this person's role may see, keeps the live stream open and
 * turns its events into a tick the pages reload on. Routing is by URL hash (#/loans).
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { LiveEvent, Profile, Role } from '../protocol/index.ts';
import { api, whenSignedOut } from './api.ts';
import { RoleName } from './components.tsx';
import { AppContext, type AppState } from './context.tsx';
import { DialogHost } from './dialog.tsx';
import { translate, type Lang, type MessageKey } from './i18n.ts';
import { connectLive, type LiveStatus } from './live.ts';
import { AuditPage } from './pages/audit.tsx';
import { ConflictsPage } from './pages/conflicts.tsx';
import { ItemPage } from './pages/item-page.tsx';
import { ItemsPage } from './pages/items.tsx';
import { KiosksPage } from './pages/kiosks.tsx';
import { LoansPage } from './pages/loans.tsx';
import { LoginPage } from './pages/login.tsx';
import { MyLoansPage } from './pages/my-loans.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { PeoplePage } from './pages/people.tsx';
import { PoliciesPage } from './pages/policies.tsx';
import { RemindersPage } from './pages/reminders.tsx';
import { ReportsPage } from './pages/reports.tsx';
import { ReservationsPage } from './pages/reservations.tsx';
import { SystemPage } from './pages/system.tsx';
import { DirectoryPage } from './pages/directory.tsx';
import { routeOfHash } from './url-state.ts';

/** `page` gets what follows the route in the path (#/items/<id> -> '<id>'), '' for none. */
type Route = { path: string; label: MessageKey; roles: Role[]; page: (sub: string) => ReactNode };

const ROUTES: Route[] = [
  { path: 'overview', label: 'navOverview', roles: ['admin', 'staff'], page: () => <OverviewPage /> },
  { path: 'loans', label: 'navLoans', roles: ['admin', 'staff'], page: () => <LoansPage /> },
  {
    path: 'items',
    label: 'navItems',
    roles: ['admin', 'staff'],
    page: (id) => (id ? <ItemPage id={id} /> : <ItemsPage />),
  },
  {
    path: 'reservations',
    label: 'navReservations',
    roles: ['admin', 'staff'],
    page: () => <ReservationsPage />,
  },
  { path: 'people', label: 'navPeople', roles: ['admin', 'staff'], page: () => <PeoplePage /> },
  { path: 'kiosks', label: 'navKiosks', roles: ['admin', 'staff'], page: () => <KiosksPage /> },
  { path: 'conflicts', label: 'navConflicts', roles: ['admin', 'staff'], page: () => <ConflictsPage /> },
  { path: 'policies', label: 'navPolicies', roles: ['admin', 'staff'], page: () => <PoliciesPage /> },
  { path: 'reports', label: 'navReports', roles: ['admin', 'staff'], page: () => <ReportsPage /> },
  { path: 'reminders', label: 'navReminders', roles: ['admin'], page: () => <RemindersPage /> },
  { path: 'audit', label: 'navAudit', roles: ['admin'], page: () => <AuditPage /> },
  { path: 'system', label: 'navSystem', roles: ['admin', 'staff'], page: () => <SystemPage /> },
  { path: 'directory', label: 'navDirectory', roles: ['admin'], page: () => <DirectoryPage /> },
  { path: 'my-loans', label: 'navMyLoans', roles: ['member'], page: () => <MyLoansPage /> },
];

const LANG_KEY = 'rental-dashboard-lang';

function initialLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === 'ko' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

const currentPath = () => routeOfHash(window.location.hash);

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
};

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [me, setMe] = useState<Profile | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const [path, setPath] = useState(currentPath);
  const [liveTick, setLiveTick] = useState(0);
  const [lastEvent, setLastEvent] = useState<LiveEvent | null>(null);
  const [liveStatus, setLiveStatus] = useState<LiveStatus>('connecting');

  const setLang = (l: Lang) => {
    localStorage.setItem(LANG_KEY, l);
    setLangState(l);
  };
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translate(lang, 'appTitle');
  }, [lang]);

  useEffect(() => {
    whenSignedOut(() => {
      setMe((was) => {
        if (was) setNotice(translate(lang, 'sessionEnded'));
        return null;
      });
    });
    api.get<Profile>('/v1/me').then(setMe, () => setMe(null));
    const onHash = () => setPath(currentPath());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // Members get their own stream (a bare tick; their page reloads what is theirs).
  const liveUrl = !me ? null : me.role === 'member' ? '/v1/people/me/events' : '/v1/admin/events';
  useEffect(() => {
    if (!liveUrl) return;
    return connectLive(
      (e) => {
        setLastEvent(e);
        setLiveTick((n) => n + 1);
      },
      setLiveStatus,
      liveUrl,
    );
  }, [liveUrl]);

  if (me === undefined) return null;
  if (me === null) {
    return (
      <LoginPage
        lang={lang}
        setLang={setLang}
        notice={notice}
        onSignedIn={(p) => {
          setNotice(null);
          setMe(p);
        }}
      />
    );
  }

  const allowed = ROUTES.filter((r) => r.roles.includes(me.role));
  const [base = '', ...rest] = path.split('/');
  const found = allowed.find((r) => r.path === base);
  const route = found ?? allowed[0]!;
  const sub = found ? safeDecode(rest.join('/')) : '';
  const state: AppState = { lang, setLang, me, liveTick, lastEvent };
  const t = (k: MessageKey) => translate(lang, k);

  return (
    <AppContext.Provider value={state}>
      <DialogHost>
        <div className="shell">
          <nav className="sidebar">
            <div className="brand">{t('appTitle')}</div>
            {allowed.map((r) => (
              <a
                key={r.path}
                href={`#/${r.path}`}
                className={r === route ? 'active' : ''}
                aria-current={r === route ? 'page' : undefined}
              >
                {t(r.label)}
              </a>
            ))}
          </nav>
          <div className="main">
            <header className="topbar">
              {liveUrl ? (
                <span className={`live ${liveStatus}`} data-testid="live" data-status={liveStatus}>
                  ● {t(liveStatus === 'open' ? 'live' : 'liveOff')}
                </span>
              ) : (
                <span />
              )}
              <div className="who">
                <span data-testid="me">
                  {me.displayName} · <RoleName role={me.role} />
                </span>
                <button className="link" onClick={() => setLang(lang === 'ko' ? 'en' : 'ko')}>
                  {t('switchLanguage')}
                </button>
                <button
                  data-testid="sign-out"
                  onClick={() => {
                    void api.logout().then(() => setMe(null));
                  }}
                >
                  {t('signOut')}
                </button>
              </div>
            </header>
            <main key={`${route.path}/${sub}`}>{route.page(sub)}</main>
          </div>
        </div>
      </DialogHost>
    </AppContext.Provider>
  );
}
