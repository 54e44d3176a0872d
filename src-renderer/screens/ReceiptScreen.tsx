/** What was just borrowed or returned, shown only after the core committed it to the outbox. */
import type { KioskApi, KioskView, ReceiptView } from '../../protocol/kiosk-api.ts';
import { CheckIcon } from '../components/Icons.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';

export function ReceiptScreen({
  view,
  receipt,
  api,
}: {
  view: KioskView;
  receipt: ReceiptView;
  api: KioskApi;
}) {
  const { t, dateTime } = useI18n();
  const pending = receipt.pendingSync || !view.status.online;
  return (
    <main className="screen receipt" data-screen="receipt">
      <div className="receipt-head">
        <div className="icon-ok">
          <CheckIcon size={72} />
        </div>
        <div>
          <h1>
            {receipt.kind === 'borrow'
              ? t('receiptBorrowed')
              : receipt.kind === 'renew'
                ? t('receiptRenewed')
                : t('receiptReturned')}
          </h1>
          <p className="muted">{t('at', { time: dateTime(receipt.at) })}</p>
        </div>
      </div>
      <ul className="receipt-lines" data-testid="receipt-lines">
        {receipt.lines.map((line) => (
          <li key={line.itemId} className="receipt-line">
            <span className="item-name">{line.itemName}</span>
            {/* With the time: a loan falls due at the room's closing time (lending policies). */}
            {line.dueAt && <span className="due">{t('dueOn', { date: dateTime(line.dueAt) })}</span>}
          </li>
        ))}
      </ul>
      <p className={`banner ${pending ? 'banner-warn' : 'banner-ok'}`} data-testid="receipt-sync">
        {pending ? t('recordedWillSync') : t('recordedSynced')}
      </p>
      <div className="receipt-foot">
        <span className="muted">{t('backToStartSoon')}</span>
        <button
          type="button"
          className="btn btn-primary btn-big"
          onClick={() => void api.endSession({}).catch(() => {})}
        >
          {t('done')}
        </button>
      </div>
    </main>
  );
}
