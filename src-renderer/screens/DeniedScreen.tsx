/**
 * A badge was not accepted (or could not be checked): plain words, nothing that helps guessing.
 *
 * BADGE_DENIED (an unknown badge, or a person no longer active: the server answers the same for
 * both, and so does this screen) is said in Korean and English together: nobody has told the
 * kiosk whose language it is. It says what to do and whom to ask (the kiosk's helpContact).
 */
import type { KioskApi, KioskView } from '../../protocol/kiosk-api.ts';
import { StopIcon } from '../components/Icons.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';
import { LANGS } from '../i18n/messages.ts';
import { translate } from '../i18n/translate.ts';

export function DeniedScreen({ view, api }: { view: KioskView; api: KioskApi }) {
  const { t, err } = useI18n();
  const done = () => void api.endSession({}).catch(() => {});
  if ((view.error ?? 'BADGE_DENIED') === 'BADGE_DENIED') {
    return <RefusedBadge helpContact={view.status.helpContact ?? null} onDone={done} />;
  }
  return (
    <main className="screen screen-center denied" data-screen="denied" role="alert">
      <div className="icon-danger">
        <StopIcon />
      </div>
      <h1>{t('deniedTitle')}</h1>
      <p className="lead" data-testid="denied-reason">
        {err(view.error)}
      </p>
      <p className="muted">{t('deniedHint')}</p>
      <button type="button" className="btn btn-secondary btn-big" onClick={done}>
        {t('done')}
      </button>
    </main>
  );
}

function RefusedBadge({ helpContact, onDone }: { helpContact: string | null; onDone: () => void }) {
  return (
    <main className="screen screen-center denied denied-bilingual" data-screen="denied" role="alert">
      <div className="icon-danger">
        <StopIcon />
      </div>
      <div className="bilingual" data-testid="denied-reason">
        {LANGS.map((lang, i) => (
          <section key={lang} lang={lang} data-lang={lang}>
            {i === 0 ? (
              <h1>{translate(lang, 'badgeRefusedTitle')}</h1>
            ) : (
              <h2 className="h1-like">{translate(lang, 'badgeRefusedTitle')}</h2>
            )}
            <p>{translate(lang, 'badgeRefusedWhat')}</p>
            {helpContact === null && <p className="muted">{translate(lang, 'badgeRefusedAskDefault')}</p>}
          </section>
        ))}
      </div>
      {helpContact !== null && (
        <p className="help-contact" data-testid="help-contact">
          <span className="muted">{LANGS.map((l) => translate(l, 'badgeRefusedAsk')).join(' · ')}</span>{' '}
          <strong>{helpContact}</strong>
        </p>
      )}
      <button type="button" className="btn btn-secondary btn-big" onClick={onDone}>
        {LANGS.map((l) => translate(l, 'done')).join(' · ')}
      </button>
    </main>
  );
}
