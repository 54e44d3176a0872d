/** Identifying a badge: a short wait with words, so a person knows the tap was felt. */
import { Spinner } from '../components/Icons.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';
import type { MessageKey } from '../i18n/messages.ts';

export function BusyScreen({ message, screen }: { message: MessageKey; screen: string }) {
  const { t } = useI18n();
  return (
    <main className="screen screen-center" data-screen={screen} aria-busy="true">
      <Spinner />
      <h1 className="busy-title" role="status">
        {t(message)}
      </h1>
    </main>
  );
}
