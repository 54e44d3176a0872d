/**
 * Unknown badges tapped at a kiosk, to give one to the person whose detail is open: newest tap
 * first, filtered by kiosk, in keyset pages kept in the URL (`tapsKiosk`, `taps`) like the
 * other lists, so a busy front desk's taps are all reachable, not only the latest page.
 */
import { useEffect } from 'react';
import type { UnknownTapsResponse } from '../../protocol/index.ts';
import { api, qs } from '../api.ts';
import { useBadgeName } from '../badge-name.ts';
import { useData, useT } from '../context.tsx';
import { when } from '../format.ts';
import { Pager } from '../paging.tsx';
import { KioskSelect } from '../type-ahead.tsx';
import { useUrlList } from '../url-pages.ts';

export const UNKNOWN_TAPS_PAGE_SIZE = 10;

export function UnknownBadges(props: {
  /** Give the tapped badge to the open person. */
  onUse: (tapId: string) => void;
  /** Changes when a badge was given, so the list reloads without it. */
  version: number;
}) {
  const { t, lang } = useT();
  const badgeName = useBadgeName();
  const { view, setFilters, cursor } = useUrlList({ tapsKiosk: '' }, 'taps');
  const index = cursor.index;
  const query = qs({
    kioskId: view.tapsKiosk,
    after: cursor.after,
    limit: String(UNKNOWN_TAPS_PAGE_SIZE),
  });
  const { data, reload } = useData(
    async () => ({ ...(await api.get<UnknownTapsResponse>(`/v1/admin/badges/unknown${query}`)), index }),
    [query],
  );
  useEffect(() => {
    if (props.version > 0) reload();
  }, [props.version, reload]);
  // Nothing tapped anywhere: no heading over an empty list.
  if (!data || (data.taps.length === 0 && index === 0 && !view.tapsKiosk)) return null;
  return (
    <section data-testid="unknown-badges-panel">
      <div className="panel-head">
        <h3>{t('unknownBadges')}</h3>
        <label className="inline-field">
          {t('kiosk')}
          <KioskSelect value={view.tapsKiosk} onChange={(tapsKiosk) => setFilters({ tapsKiosk })} />
        </label>
      </div>
      <ul className="badges" data-testid="unknown-badges">
        {data.taps.map((tap) => (
          <li key={tap.id}>
            <span>{badgeName(tap.hint)}</span>{' '}
            <span className="muted">
              {t('tappedAt', { kiosk: tap.kioskName ?? '—', t: when(lang, tap.at), n: tap.count })}
            </span>
            <button className="small" onClick={() => props.onUse(tap.id)}>
              {t('useThisBadge')}
            </button>
          </li>
        ))}
        {data.taps.length === 0 ? <li className="muted">{t('noMatches')}</li> : null}
      </ul>
      <Pager
        page={{ rows: data.taps, total: data.total ?? data.taps.length, next: data.next ?? null, index }}
        pageSize={UNKNOWN_TAPS_PAGE_SIZE}
        counts="records"
        onBack={cursor.back}
        onForward={cursor.forward}
      />
    </section>
  );
}
