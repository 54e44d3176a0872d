/**
 * The kiosk's database failed: nothing can be recorded here, so nobody is offered a borrow
 * the kiosk could not keep. Plain words for the person at the screen; the detail is on the
 * service screen (an admin badge still opens it) and on the dashboard.
 */
import { StopIcon } from '../components/Icons.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';

export function OutOfServiceScreen() {
  const { t } = useI18n();
  return (
    <main className="screen screen-center denied" data-screen="outOfService" role="alert">
      <div className="icon-danger">
        <StopIcon />
      </div>
      <h1>{t('outOfServiceTitle')}</h1>
      <p className="lead">{t('outOfServiceLead')}</p>
      <p className="muted">{t('outOfServiceHint')}</p>
    </main>
  );
}
