/**
 * POST /v1/kiosk/heartbeat: a kiosk's periodic health report (queue depth, oldest unsynced
 * row, readers, clock offset, version), authenticated by device assertion like the other
 * kiosk routes. The latest report is kept and announced to open dashboards.
 */
import { ErrorBody, HeartbeatRequest, HeartbeatResponse, toIso } from '../../protocol/index.ts';
import type { App, FeatureOptions } from '../http/app-type.ts';
import { kioskGuard } from '../http/auth-guards.ts';
import { kioskProtocol } from '../http/kiosk-protocol.ts';

export async function kioskHeartbeatRoutes(app: App, { deps }: FeatureOptions) {
  app.post(
    '/v1/kiosk/heartbeat',
    {
      onRequest: kioskGuard(deps.authenticateKiosk),
      schema: {
        body: HeartbeatRequest,
        response: { 200: HeartbeatResponse, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => {
      const kioskId = request.kiosk!.id;
      const now = deps.clock.now();
      await deps.store.saveHeartbeat({ kioskId, receivedAt: now, ...request.body });
      deps.events.emit({ type: 'kiosk', kioskId });
      if (kioskProtocol(request) < 2) return { serverTime: toIso(now) };
      return {
        serverTime: toIso(now),
        openConflicts: await deps.store.openConflictsOfKiosk(kioskId),
        lastSeq: await deps.store.lastSeqOfKiosk(kioskId),
      };
    },
  );
}
