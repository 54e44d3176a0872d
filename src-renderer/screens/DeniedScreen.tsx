/** A badge was not accepted (or could not be checked): plain words, nothing that helps guessing. */
import type { KioskApi, KioskView } from '../../protocol/kiosk-api.ts';
import { StopIcon } from '../components/Icons.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';

export function DeniedScreen({ view, api }: { view: KioskView; api: KioskApi }) {
  const { t, err } = useI18n();
  return (
    <main className="screen screen-center denied" data-screen="denied" role="alert">
      <div className="icon-danger">
        <StopIcon />
      </div>
      <h1>{t('deniedTitle')}</h1>
      <p className="lead" data-testid="denied-reason">
        {err(view.error ?? 'BADGE_DENIED')}
      </p>
      <p className="muted">{t('deniedHint')}</p>
      <button
        type="button"
        className="btn btn-secondary btn-big"
        onClick={() => void api.endSession({}).catch(() => {})}
      >
        {t('done')}
      </button>
    </main>
  );
}
