/**
 * The live stream (server-sent events on /v1/admin/events, authenticated by the session
 * cookie). The server ends a stream when its access token expires; on any close this
 * refreshes the session if needed and reconnects, so pages keep updating without a reload.
 */
import type { LiveEvent } from '../protocol/index.ts';
import { refresh } from './api.ts';

export type LiveStatus = 'connecting' | 'open' | 'closed';

export function connectLive(
  onEvent: (e: LiveEvent) => void,
  onStatus: (s: LiveStatus) => void,
  /** Staff: every event; a member: /v1/people/me/events, a bare tick on which their page reloads. */
  url = '/v1/admin/events',
): () => void {
  let source: EventSource | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    if (stopped) return;
    onStatus('connecting');
    source = new EventSource(url);
    source.onopen = () => onStatus('open');
    for (const type of ['transactions', 'kiosk', 'change'] as const) {
      source.addEventListener(type, (ev) => {
        try {
          onEvent(JSON.parse((ev as MessageEvent<string>).data) as LiveEvent);
        } catch {
          // a malformed frame is dropped; the next one refreshes the page anyway
        }
      });
    }
    source.onerror = () => {
      if (source?.readyState !== EventSource.CLOSED) return; // the browser is retrying by itself
      source.close();
      onStatus('closed');
      // Closed for good: most likely the access token expired. Refresh, then reconnect.
      retry = setTimeout(() => void refresh().then((ok) => ok && open()), 2_000);
    };
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    source?.close();
  };
}
