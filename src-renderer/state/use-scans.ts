/**
 * Item scans, all from the core's `scan` event: NFC item tags, scanners the core owns, and
 * a keyboard-wedge scanner typing into this window (use-keyboard-wedge.ts hands its keys to
 * the core, whose classifier sends the tag back as a scan).
 */
import { useEffect, useRef } from 'react';
import type { KioskApi } from '../../protocol/kiosk-api.ts';

export function useScans(
  api: KioskApi,
  onTag: (tag: string, itemId: string | null) => void,
  enabled: boolean,
) {
  // The latest handler without resubscribing on every render.
  const handler = useRef(onTag);
  handler.current = onTag;

  useEffect(() => {
    if (!enabled) return;
    return api.on('scan', (scan) => handler.current(scan.tag, scan.itemId));
  }, [api, enabled]);
}
