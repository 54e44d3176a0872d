/** GET /v1/admin/overview: the dashboard's first page, in one call. */
import { OverviewQuery, OverviewResponse, toIso } from '../../../protocol/index.ts';
import type { App } from '../../http/app-type.ts';
import { ERRORS, type AdminFeatureOptions } from './guards.ts';
import { presentKiosk, presentTx } from './present.ts';
import { requestMoment } from '../../http/request-time.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function overviewRoutes(app: App, { deps, guards }: AdminFeatureOptions) {
  app.get(
    '/v1/admin/overview',
    {
      onRequest: guards.staff,
      schema: { querystring: OverviewQuery, response: { 200: OverviewResponse, ...ERRORS } },
    },
    async (request) => {
      const now = deps.clock.now();
      const since = request.query.since ? requestMoment(request.query.since, 'since') : now - DAY_MS;
      const counts = await deps.store.overviewCounts(now, since);
      const kiosks = (await deps.store.listKiosks()).map((k) => presentKiosk(k, now));
      return {
        itemsOut: counts.itemsOut,
        itemsTotal: counts.itemsTotal,
        overdue: counts.overdue,
        kiosksOnline: kiosks.filter((k) => k.state === 'online').length,
        kiosksOffline: kiosks.filter((k) => k.state === 'offline').length,
        conflictsOpen: counts.conflictsOpen,
        itemsNeedingCheck: counts.needsAttention,
        today: { borrows: counts.borrowsSince, returns: counts.returnsSince },
        recent: (await deps.store.recentTransactions(15)).map(presentTx),
        serverTime: toIso(now),
      };
    },
  );
}
