/**
 * A person's session: home (name, loans, borrow/return), the borrow page and the return
 * page. The cart, the page, the items chosen to return and what is reported of each live here
 * (UI state); everything else comes from the view. Keyed by the person, so a new person never sees the last one's cart.
 */
import { useCallback, useEffect, useState } from 'react';
import type {
  CartRefusal,
  CommandResult,
  KioskApi,
  KioskView,
  SessionView,
} from '../../protocol/kiosk-api.ts';
import { Countdown, countdownSeconds } from '../components/Countdown.tsx';
import { Spinner } from '../components/Icons.tsx';
import { useI18n, type I18n } from '../i18n/i18n-context.tsx';
import { availability, findByTag, toggle } from '../state/catalog.ts';
import { NO_PROBLEM, toReports, type ReturnDraft } from '../state/return-reports.ts';
import { useScans } from '../state/use-scans.ts';
import { BorrowPage } from './BorrowPage.tsx';
import { CartRefusals, SessionBlockBanner } from './CartRefusals.tsx';
import { LoanList } from './LoanList.tsx';
import { RenewPage } from './RenewPage.tsx';
import { ReservedForYou } from './ReservedForYou.tsx';
import { ReturnPage } from './ReturnPage.tsx';
import { ReturnReportSheet } from './ReturnReportSheet.tsx';

type Page = 'home' | 'borrow' | 'return' | 'renew';

type Props = {
  view: KioskView;
  session: SessionView;
  api: KioskApi;
  now: number;
  committing: boolean;
};

export function SessionFlow({ view, session, api, now, committing }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const [page, setPage] = useState<Page>('home');
  const [cart, setCart] = useState<string[]>([]);
  const [toReturn, setToReturn] = useState<string[]>([]);
  /** Loans chosen to renew (one from its button, or every one that may be). */
  const [toRenew, setToRenew] = useState<string[]>([]);
  const renewals = session.renewals ?? [];
  const renewable = renewals.filter((r) => r.newDueAt !== null).map((r) => r.itemId);
  const reserved = session.reservedForYou ?? [];
  /** What the person said of each item to return (absent: nothing), kept until it leaves the return. */
  const [reports, setReports] = useState<Readonly<Record<string, ReturnDraft>>>({});
  /** The item whose report sheet is open. */
  const [reporting, setReporting] = useState<string | null>(null);
  /**
   * What the banner says, kept as how to say it rather than as words: a person may switch
   * language while it shows, and it must follow them.
   */
  const [message, setMessage] = useState<{ say: (w: I18n) => string; tone: 'warn' | 'ok' } | null>(null);
  /** Items of the last borrow the lending rules stopped (taken out of the cart), with why. */
  const [refused, setRefused] = useState<CartRefusal[]>([]);

  // A failed borrow/return comes back as view.error on the session screen.
  useEffect(() => {
    if (view.error) setMessage({ say: (w) => w.err(view.error), tone: 'warn' });
  }, [view.error]);

  const onTag = useCallback(
    (tag: string, itemId: string | null) => {
      const item = itemId ? view.items.find((i) => i.id === itemId) : findByTag(view.items, tag);
      if (!item) {
        setMessage({ say: (w) => w.t('scanUnknown', { tag }), tone: 'warn' });
        return;
      }
      const mine = session.loans.some((l) => l.itemId === item.id);
      // A scan on the return page, or of something this person holds, means "return it".
      if (page === 'return' || (page === 'home' && mine)) {
        setPage('return');
        if (!toReturn.includes(item.id)) {
          setToReturn((ids) => (ids.includes(item.id) ? ids : toggle(ids, item.id)));
          // A kit asks at once which parts came back, unless another item's sheet is open.
          if (item.parts && reporting === null) setReporting(item.id);
        }
        setMessage(null);
        return;
      }
      if (availability(item).kind !== 'free') {
        setPage('borrow');
        setMessage({ say: (w) => w.t('scanNotBorrowable', { name: item.name }), tone: 'warn' });
        return;
      }
      setPage('borrow');
      setCart((ids) => (ids.includes(item.id) ? ids : toggle(ids, item.id)));
      setMessage({ say: (w) => w.t('scanAdded', { name: item.name }), tone: 'ok' });
    },
    [view.items, session.loans, page, toReturn, reporting],
  );
  useScans(api, onTag, !committing);

  const run = (command: Promise<CommandResult>) => {
    setMessage(null);
    setRefused([]);
    command.then(
      (r) => {
        if (r.ok) return;
        if (!r.refused) return setMessage({ say: (w) => w.err(r.code), tone: 'warn' });
        // The rules stopped some items: they leave the cart, named with the rule; the rest stay.
        const out = new Set(r.refused.map((x) => x.itemId));
        if (page === 'renew') {
          const left = toRenew.filter((id) => !out.has(id));
          setToRenew(left);
          setRefused(r.refused);
          setMessage({
            say: (w) => w.t(left.length > 0 ? 'ruleRefusedSome' : 'ruleRefusedAll'),
            tone: 'warn',
          });
          return;
        }
        const left = cart.filter((id) => !out.has(id));
        setCart(left);
        setRefused(r.refused);
        setMessage({ say: (w) => w.t(left.length > 0 ? 'ruleRefusedSome' : 'ruleRefusedAll'), tone: 'warn' });
      },
      (e: unknown) => setMessage({ say: (w) => w.err((e as { code?: string }).code), tone: 'warn' }),
    );
  };
  /** A tap on an item of the return list: chosen (a kit asks for its parts) or let go. */
  const toggleReturn = (itemId: string) => {
    if (toReturn.includes(itemId)) {
      setToReturn((ids) => ids.filter((id) => id !== itemId));
      setReports(({ [itemId]: _, ...rest }) => rest);
      return;
    }
    setToReturn((ids) => toggle(ids, itemId));
    if (view.items.find((i) => i.id === itemId)?.parts) setReporting(itemId);
  };
  const reportingItem = reporting && toReturn.includes(reporting) ? reporting : null;

  const goTo = (next: Page) => {
    setPage(next);
    setMessage(null);
    setRefused([]);
    setReporting(null);
  };

  const loansPanel = (
    <section className="panel loans-panel" aria-labelledby="loans-title">
      <div className="loans-head">
        <h2 id="loans-title">{t('yourLoans')}</h2>
        {renewable.length > 1 && (
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => {
              setToRenew(renewable);
              goTo('renew');
            }}
            data-testid="renew-all"
          >
            {t('renewAll')}
          </button>
        )}
      </div>
      <LoanList
        loans={session.loans}
        now={now}
        offline={session.offline}
        renewals={renewals}
        onRenew={(ids) => {
          setToRenew(ids);
          goTo('renew');
        }}
      />
    </section>
  );

  const seconds = countdownSeconds(now, [session.idleDeadline, session.expiresAt], session.idleWarnAt);

  return (
    <main className="screen session" data-screen="session" data-page={page}>
      <div className="session-head">
        {page !== 'home' && (
          <button type="button" className="btn btn-secondary" onClick={() => goTo('home')}>
            ‹ {t('back')}
          </button>
        )}
        <h1 className="session-name" data-testid="session-name">
          {t('hello', { name: session.user.displayName })}
        </h1>
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => run(api.endSession({}))}
          data-testid="finish"
        >
          {t('finish')}
        </button>
      </div>
      {session.offline && (
        <p className="banner banner-warn" data-testid="offline-session">
          {t('offlineSession')}
        </p>
      )}
      {seconds !== null && (
        <Countdown seconds={seconds} onStay={() => void api.activity({}).catch(() => {})} />
      )}
      <SessionBlockBanner block={session.block} />
      {message && (
        <p
          className={`banner banner-${message.tone}`}
          role={message.tone === 'warn' ? 'alert' : 'status'}
          data-testid="session-message"
        >
          {message.say(i18n)}
        </p>
      )}
      <CartRefusals refused={refused} items={view.items} loans={session.loans} />
      {page === 'home' && (
        <div className="session-home">
          {reserved.length > 0 ? (
            <div className="home-main">
              <ReservedForYou
                reservations={reserved}
                onBorrow={(itemId) => run(api.borrow({ itemIds: [itemId] }))}
              />
              {loansPanel}
            </div>
          ) : (
            loansPanel
          )}
          <div className="big-actions">
            <button
              type="button"
              className="btn btn-primary btn-huge"
              onClick={() => goTo('borrow')}
              data-testid="go-borrow"
            >
              {t('borrow')}
            </button>
            <button
              type="button"
              className="btn btn-accent btn-huge"
              onClick={() => goTo('return')}
              data-testid="go-return"
            >
              {t('returnItems')}
            </button>
          </div>
        </div>
      )}
      {page === 'borrow' && (
        <BorrowPage
          items={view.items}
          cart={cart}
          onToggle={(id) => setCart((ids) => toggle(ids, id))}
          onConfirm={() => run(api.borrow({ itemIds: cart }))}
          onScanTag={(tag) => onTag(tag, null)}
        />
      )}
      {page === 'return' && (
        <ReturnPage
          loans={session.loans}
          items={view.items}
          now={now}
          selected={toReturn}
          reports={reports}
          onToggle={toggleReturn}
          onReport={setReporting}
          onConfirm={() => {
            const said = toReports(toReturn, reports, view.items);
            run(api.returnItems({ itemIds: toReturn, ...(said.length > 0 ? { reports: said } : {}) }));
          }}
        />
      )}
      {page === 'return' && reportingItem && (
        <ReturnReportSheet
          key={reportingItem}
          name={
            view.items.find((i) => i.id === reportingItem)?.name ??
            session.loans.find((l) => l.itemId === reportingItem)?.itemName ??
            reportingItem
          }
          parts={view.items.find((i) => i.id === reportingItem)?.parts}
          draft={reports[reportingItem] ?? NO_PROBLEM}
          onDone={(draft) => {
            setReports((r) => ({ ...r, [reportingItem]: draft }));
            setReporting(null);
          }}
          onClear={() => {
            setReports(({ [reportingItem]: _, ...rest }) => rest);
            setReporting(null);
          }}
        />
      )}
      {page === 'renew' && (
        <RenewPage
          loans={session.loans}
          renewals={renewals}
          selected={toRenew}
          onToggle={(id) => setToRenew((ids) => toggle(ids, id))}
          onConfirm={() => run(api.renew({ itemIds: toRenew }))}
        />
      )}
      {committing && (
        <div className="overlay" data-screen="committing" role="status">
          <Spinner />
          <p className="busy-title">{t('saving')}</p>
        </div>
      )}
    </main>
  );
}
