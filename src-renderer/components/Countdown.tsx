/** The visible inactivity countdown at the end of a session or service mode. */
import { useI18n } from '../i18n/i18n-context.tsx';

const DEFAULT_WARN_MS = 15_000;

/** Seconds left to show, or null while no warning is due. */
export function countdownSeconds(now: number, deadlines: string[], warnAt?: string): number | null {
  const deadline = Math.min(...deadlines.map((d) => Date.parse(d)));
  if (!Number.isFinite(deadline)) return null;
  const warnFrom = warnAt ? Date.parse(warnAt) : deadline - DEFAULT_WARN_MS;
  if (now < warnFrom) return null;
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

export function Countdown({ seconds, onStay }: { seconds: number; onStay: () => void }) {
  const { t } = useI18n();
  return (
    <div className="countdown" role="status" aria-live="polite" data-testid="countdown">
      <span className="countdown-text">{t('endingIn', { s: seconds })}</span>
      <button type="button" className="btn btn-primary" onClick={onStay}>
        {t('stay')}
      </button>
    </div>
  );
}
