/**
 * Item scans from both sources: the core's `scan` event (NFC item tags, scanners the core
 * owns) and a keyboard-wedge scanner typing into this window.
 */
import { useEffect, useRef } from 'react';
import type { KioskApi } from '../../protocol/kiosk-api.ts';
import { WedgeScanner } from './wedge-scanner.ts';

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
    const off = api.on('scan', (scan) => handler.current(scan.tag, scan.itemId));
    const wedge = new WedgeScanner();
    const onKey = (e: KeyboardEvent) => {
      // Typing into a field is the field's business (the search box handles its own Enter).
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      const tag = wedge.feed(e.key, e.timeStamp);
      if (tag) {
        e.preventDefault();
        handler.current(tag, null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      off();
      window.removeEventListener('keydown', onKey);
    };
  }, [api, enabled]);
}
